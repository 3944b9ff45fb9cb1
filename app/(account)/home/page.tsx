import { redirect } from "next/navigation";
import { homeFor } from "@/lib/auth/areas";
import { requireUser } from "@/lib/auth/session";

/** /home sends each signed-in user to the first area of their role. */
export default async function HomeRedirect() {
  const user = await requireUser("/home");
  redirect(homeFor(user.role));
}
