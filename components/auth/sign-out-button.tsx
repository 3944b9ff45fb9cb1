"use client";

import { signOut } from "next-auth/react";
import { useRouter } from "next/navigation";

export function SignOutButton() {
  const router = useRouter();
  // redirect: false keeps the user on the host they came in by (next-auth would send them to NEXTAUTH_URL).
  async function onClick() {
    await signOut({ redirect: false });
    router.replace("/");
    router.refresh();
  }
  return (
    <button type="button" onClick={() => void onClick()} className="text-slate-700 hover:text-indigo-700">
      Sign out
    </button>
  );
}
