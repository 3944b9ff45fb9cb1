import type { Metadata } from "next";
import { ModerationSettingsForm } from "@/components/admin/moderation-settings-form";
import { ReviewSettingsForm } from "@/components/reviews/review-settings-form";
import { Card, PageHeader } from "@/components/ui/card";
import { requireArea } from "@/lib/auth/session";
import { getModerationSettings } from "@/lib/moderation/settings";
import { getReviewSettings } from "@/lib/reviews/settings";

export const metadata: Metadata = { title: "Settings" };

export default async function AdminSettingsPage() {
  await requireArea("admin", "/admin/settings");
  const [settings, moderation] = await Promise.all([getReviewSettings(), getModerationSettings()]);
  return (
    <div className="space-y-6">
      <PageHeader title="Settings" description="How many reviews a decision needs, when an application is flagged as high risk, how soon it should be decided, how many open assignments automatic assignment gives a reviewer, and how flagged content is enforced." />
      <Card title="Review settings">
        <ReviewSettingsForm settings={settings} />
      </Card>
      <Card title="Moderation and enforcement">
        <ModerationSettingsForm settings={moderation} />
      </Card>
    </div>
  );
}
