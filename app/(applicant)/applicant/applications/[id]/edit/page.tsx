import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { ApplicationForm } from "@/components/applications/application-form";
import { PageHeader } from "@/components/ui/card";
import { getApplicationForApplicant } from "@/lib/applications/queries";
import { flattenFormValues } from "@/lib/applications/schema";
import { canTransition } from "@/lib/applications/status";
import { requireArea } from "@/lib/auth/session";
import { listActiveCategories } from "@/lib/categories/queries";
import { orNotFound } from "../../load";

export const metadata: Metadata = { title: "Edit application" };

export default async function EditApplicationPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const [{ id }, query] = await Promise.all([params, searchParams]);
  const user = await requireArea("applicant", `/applicant/applications/${id}/edit`);
  const [application, categories] = await Promise.all([orNotFound(getApplicationForApplicant({ actor: user, applicationId: id })), listActiveCategories()]);
  if (!canTransition(application.status, "edit")) redirect(`/applicant/applications/${id}`);
  const initialValues = flattenFormValues({
    productName: application.productName,
    description: application.description,
    categoryId: application.categoryId,
    answers: application.answers,
    academic: application.academic,
  });
  const kind = application.stage === "PRODUCTION" ? "Production review" : application.track === "ACADEMIC" ? "Academic access request" : "Access request";
  return (
    <div className="mx-auto max-w-3xl space-y-4">
      <PageHeader
        title={application.productName || "New application"}
        description={`${kind} · ${application.organization.name}. Your answers are saved as a draft when you change step or leave a field.`}
      >
        <Link href={`/applicant/applications/${id}`} className="text-sm font-medium text-indigo-700 hover:underline">
          Status and timeline
        </Link>
      </PageHeader>
      <ApplicationForm
        applicationId={id}
        track={application.track}
        stage={application.stage}
        isResubmission={application.status === "CHANGES_REQUESTED"}
        categories={categories}
        initialValues={initialValues}
        initialStep={typeof query.step === "string" ? query.step : undefined}
      />
    </div>
  );
}
