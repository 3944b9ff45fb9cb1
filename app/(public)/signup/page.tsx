import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { SignUpForm } from "@/components/auth/sign-up-form";
import { Card } from "@/components/ui/card";
import { homeFor } from "@/lib/auth/areas";
import { safeCallbackPath } from "@/lib/auth/callback";
import { getSessionUser } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Create an account" };

export default async function SignUpPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const callbackUrl = safeCallbackPath(params.callbackUrl);
  const user = await getSessionUser();
  if (user?.status === "ACTIVE") redirect(callbackUrl ?? homeFor(user.role));
  return (
    <div className="mx-auto max-w-md">
      <Card title="Create your Gatehouse account">
        <p className="mb-4 text-sm text-slate-600">
          An account lets your team apply for API access. Reviewers read every application before any key is issued.
        </p>
        <SignUpForm callbackUrl={callbackUrl} />
        <p className="mt-6 text-sm text-slate-600">
          Already have an account?{" "}
          <Link href={callbackUrl ? `/signin?callbackUrl=${encodeURIComponent(callbackUrl)}` : "/signin"} className="font-medium text-indigo-700 hover:underline">
            Sign in
          </Link>
        </p>
      </Card>
    </div>
  );
}
