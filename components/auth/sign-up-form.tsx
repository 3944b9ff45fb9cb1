"use client";

import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState, useTransition, type FormEvent } from "react";
import { signUpAction } from "@/lib/actions/signup";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import type { FieldErrors } from "@/lib/errors";
import { PASSWORD_MIN, signUpSchema } from "@/lib/users/schema";
import { fieldErrorsOf } from "@/lib/validation";

export function SignUpForm({ callbackUrl }: { callbackUrl?: string } = {}) {
  const router = useRouter();
  const [message, setMessage] = useState<string>();
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [isPending, startTransition] = useTransition();

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const input = { name: String(form.get("name") ?? ""), email: String(form.get("email") ?? ""), password: String(form.get("password") ?? "") };
    const parsed = signUpSchema.safeParse(input);
    if (!parsed.success) {
      setFieldErrors(fieldErrorsOf(parsed.error));
      setMessage("Please correct the highlighted fields.");
      return;
    }
    startTransition(async () => {
      const result = await signUpAction(input);
      if (!result.ok) {
        setFieldErrors(result.fieldErrors);
        setMessage(result.message);
        return;
      }
      const signedIn = await signIn("credentials", { email: parsed.data.email, password: input.password, redirect: false });
      if (!signedIn || signedIn.error) {
        router.replace("/signin");
        return;
      }
      router.replace(callbackUrl ?? "/home");
      router.refresh();
    });
  }

  return (
    <form method="post" onSubmit={onSubmit} noValidate className="space-y-4">
      <FormMessage message={message} />
      <Field label="Your name" name="name" autoComplete="name" required errors={fieldErrors.name} />
      <Field label="Work email" name="email" type="email" autoComplete="email" required errors={fieldErrors.email} />
      <Field
        label="Password"
        name="password"
        type="password"
        autoComplete="new-password"
        required
        minLength={PASSWORD_MIN}
        hint={`At least ${PASSWORD_MIN} characters.`}
        errors={fieldErrors.password}
      />
      <Button type="submit" disabled={isPending} className="w-full">
        {isPending ? "Creating account…" : "Create account"}
      </Button>
    </form>
  );
}
