import type { Metadata } from "next";
import { ReviewSettingsForm } from "@/components/reviews/review-settings-form";
import { Card, PageHeader } from "@/components/ui/card";
import { requireArea } from "@/lib/auth/session";
import { getReviewSettings } from "@/lib/reviews/settings";

export const metadata: Metadata = { title: "Review settings" };

export default async function AdminSettingsPage() {
  await requireArea("admin", "/admin/settings");
  const settings = await getReviewSettings();
  return (
    <div className="space-y-6">
      <PageHeader title="Review settings" description="How many reviews a decision needs, and when an application is flagged as high risk." />
      <Card>
        <ReviewSettingsForm settings={settings} />
      </Card>
    </div>
  );
}
