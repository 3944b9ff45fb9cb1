import type { ReactNode } from "react";
import { requireArea } from "@/lib/auth/session";

export default async function ReviewLayout({ children }: { children: ReactNode }) {
  await requireArea("review", "/review");
  return children;
}
