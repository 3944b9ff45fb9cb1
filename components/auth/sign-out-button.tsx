"use client";

import { signOut } from "next-auth/react";

export function SignOutButton() {
  return (
    <button type="button" onClick={() => void signOut({ callbackUrl: "/" })} className="text-slate-700 hover:text-indigo-700">
      Sign out
    </button>
  );
}
