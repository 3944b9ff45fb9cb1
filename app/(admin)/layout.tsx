import type { ReactNode } from "react";
import { requireArea } from "@/lib/auth/session";

export default async function AdminLayout({ children }: { children: ReactNode }) {
  await requireArea("admin", "/admin");
  return children;
}
