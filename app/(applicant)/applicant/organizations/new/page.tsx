import type { Metadata } from "next";
import Link from "next/link";
import { OrganizationForm } from "@/components/organizations/organization-form";
import { Card, PageHeader } from "@/components/ui/card";
import { requireArea } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Create an organisation" };

export default async function NewOrganizationPage() {
  await requireArea("applicant", "/applicant/organizations/new");
  return (
    <div className="max-w-xl space-y-6">
      <PageHeader title="Create an organisation" description="You become its owner and can invite your teammates.">
        <Link href="/applicant" className="text-sm font-medium text-indigo-700 hover:underline">
          Back
        </Link>
      </PageHeader>
      <Card>
        <OrganizationForm />
      </Card>
    </div>
  );
}
