"use client";

import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState, useTransition, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { fieldErrorsOf } from "@/lib/validation";
import { signInSchema } from "@/lib/users/schema";
import type { FieldErrors } from "@/lib/errors";

export function SignInForm({ callbackUrl, notice }: { callbackUrl?: string; notice?: string }) {
  const router = useRouter();
  const [message, setMessage] = useState(notice);
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [isPending, startTransition] = useTransition();

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const parsed = signInSchema.safeParse({ email: form.get("email"), password: form.get("password") });
    if (!parsed.success) {
      setFieldErrors(fieldErrorsOf(parsed.error));
      setMessage(undefined);
      return;
    }
    setFieldErrors({});
    startTransition(async () => {
      const result = await signIn("credentials", { ...parsed.data, redirect: false });
      if (!result || result.error) {
        setMessage(result?.error && result.error !== "CredentialsSignin" ? result.error : "The email or password is incorrect.");
        return;
      }
      router.replace(callbackUrl ?? "/home");
      router.refresh();
    });
  }

  return (
    <form method="post" onSubmit={onSubmit} noValidate className="space-y-4">
      <FormMessage message={message} />
      <Field label="Email" name="email" type="email" autoComplete="email" required errors={fieldErrors.email} />
      <Field label="Password" name="password" type="password" autoComplete="current-password" required errors={fieldErrors.password} />
      <Button type="submit" disabled={isPending} className="w-full">
        {isPending ? "Signing in…" : "Sign in"}
      </Button>
    </form>
  );
}
