import type { ReactNode } from "react";
import { requireArea } from "@/lib/auth/session";

export default async function ApplicantLayout({ children }: { children: ReactNode }) {
  await requireArea("applicant", "/applicant");
  return children;
}
