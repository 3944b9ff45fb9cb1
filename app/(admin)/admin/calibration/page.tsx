import type { Metadata } from "next";
import { CalibrationReportView } from "@/components/calibration/calibration-report";
import { Card, PageHeader } from "@/components/ui/card";
import { FilterForm, FilterSelect } from "@/components/ui/filters";
import { requireArea } from "@/lib/auth/session";
import { getCalibrationReport } from "@/lib/calibration/queries";
import { calibrationPeriods } from "@/lib/calibration/schema";
import { isAppError } from "@/lib/errors";

export const metadata: Metadata = { title: "Calibration and time to decision" };

export default async function CalibrationPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requireArea("admin", "/admin/calibration");
  const { period } = await searchParams;
  const input = { period: Array.isArray(period) ? period[0] : period };
  const report = await getCalibrationReport({ actor, input }).catch((error: unknown) => {
    // A bad period is answered on the page, with the filter to correct it.
    if (isAppError(error) && error.kind === "invalid") return error;
    throw error;
  });
  const selected = isAppError(report) ? "90" : report.period;
  return (
    <div className="space-y-6">
      <PageHeader title="Calibration and time to decision" description="How far reviewers agree, who scores apart from the others, and how long applications wait for a review and a decision." />
      <FilterForm action="/admin/calibration" submitLabel="Show">
        <FilterSelect id="period" name="period" label="Period" defaultValue={selected}>
          {calibrationPeriods.map((days) => (
            <option key={days} value={days}>
              Last {days} days
            </option>
          ))}
        </FilterSelect>
      </FilterForm>
      {isAppError(report) ? (
        <Card>
          <p role="alert" className="text-sm text-red-700">
            {report.fieldErrors?.period?.[0] ?? report.message}
          </p>
        </Card>
      ) : (
        <>
          <p className="text-sm text-slate-600">
            Reviews and submissions since {report.since.toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" })} (UTC).
          </p>
          <CalibrationReportView report={report} />
        </>
      )}
    </div>
  );
}
