import type { Metadata } from "next";
import { Card, PageHeader } from "@/components/ui/card";
import { requireArea } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Review queue" };

export default async function ReviewHome() {
  const user = await requireArea("review", "/review");
  return (
    <div className="space-y-6">
      <PageHeader title="Review queue" description={`Signed in as ${user.email}`} />
      <Card>
        <p className="text-sm text-slate-600">The queue is empty: no application is awaiting review.</p>
      </Card>
    </div>
  );
}
