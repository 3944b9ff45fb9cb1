import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { SignInForm } from "@/components/auth/sign-in-form";
import { Card } from "@/components/ui/card";
import { homeFor } from "@/lib/auth/areas";
import { safeCallbackPath } from "@/lib/auth/callback";
import { getSessionUser } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Sign in" };

const notices: Record<string, string> = {
  suspended: "Your account is suspended. Contact your Gatehouse administrator.",
  CredentialsSignin: "The email or password is incorrect.",
};

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const user = await getSessionUser();
  if (user?.status === "ACTIVE") redirect(homeFor(user.role));
  const error = typeof params.error === "string" ? params.error : undefined;
  const callbackUrl = safeCallbackPath(params.callbackUrl);
  return (
    <div className="mx-auto max-w-md">
      <Card title="Sign in to Gatehouse">
        <SignInForm callbackUrl={callbackUrl} notice={error ? (notices[error] ?? "Sign-in failed. Try again.") : undefined} />
        <p className="mt-6 text-sm text-slate-600">
          No account yet?{" "}
          <Link href={callbackUrl ? `/signup?callbackUrl=${encodeURIComponent(callbackUrl)}` : "/signup"} className="font-medium text-indigo-700 hover:underline">
            Create one
          </Link>
        </p>
      </Card>
    </div>
  );
}
