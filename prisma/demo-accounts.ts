// The demo accounts the README lists; kept apart from seed.ts so tests can import them without server code.
import type { Role } from "../lib/users/schema";

export const demoAccounts: { email: string; password: string; name: string; role: Role }[] = [
  { email: "admin@gatehouse.test", password: "gatehouse-admin-demo", name: "Ada Admin", role: "ADMIN" },
  { email: "reviewer@gatehouse.test", password: "gatehouse-reviewer-demo", name: "Rory Reviewer", role: "REVIEWER" },
  { email: "applicant@gatehouse.test", password: "gatehouse-applicant-demo", name: "Alex Applicant", role: "APPLICANT" },
];
