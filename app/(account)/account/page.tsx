import type { Metadata } from "next";
import { ChangePasswordForm } from "@/components/auth/change-password-form";
import { Card, PageHeader } from "@/components/ui/card";
import { requireUser } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Your account" };

export default async function AccountPage() {
  const user = await requireUser("/account");
  return (
    <div className="max-w-xl space-y-6">
      <PageHeader title="Your account" description={`${user.name} · ${user.email} · ${user.role.toLowerCase()}`} />
      <Card title="Change password">
        <ChangePasswordForm />
      </Card>
    </div>
  );
}
