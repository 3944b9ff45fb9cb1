import { z } from "zod";
import { idSchema, plainName } from "@/lib/validation";

export const roles = ["APPLICANT", "REVIEWER", "ADMIN"] as const;
export type Role = (typeof roles)[number];
export const userStatuses = ["ACTIVE", "SUSPENDED"] as const;
export type UserStatus = (typeof userStatuses)[number];

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 200;

export const emailSchema = z
  .string({ error: "Enter your email address." })
  .trim()
  .toLowerCase()
  .min(1, "Enter your email address.")
  .max(254, "That email address is too long.")
  .pipe(z.email("Enter a valid email address, like name@example.com."));

export const passwordSchema = z
  .string({ error: "Enter a password." })
  .min(PASSWORD_MIN, `Use at least ${PASSWORD_MIN} characters.`)
  .max(PASSWORD_MAX, `Use at most ${PASSWORD_MAX} characters.`)
  // Spaces are fine inside a passphrase; a password of nothing else is one keystroke held down.
  .refine((value) => value.trim() !== "", "A password cannot be only spaces.");

export const signUpSchema = z.object({
  name: plainName(z.string({ error: "Enter your name." }).trim().min(1, "Enter your name.").max(100, "Use at most 100 characters.")),
  email: emailSchema,
  password: passwordSchema,
});
export type SignUpInput = z.infer<typeof signUpSchema>;

export const signInSchema = z.object({
  email: emailSchema,
  password: z.string({ error: "Enter your password." }).min(1, "Enter your password.").max(PASSWORD_MAX),
});

export const changePasswordSchema = z
  .object({
    currentPassword: z.string({ error: "Enter your current password." }).min(1, "Enter your current password.").max(PASSWORD_MAX, `Use at most ${PASSWORD_MAX} characters.`),
    newPassword: passwordSchema,
    confirmPassword: z.string({ error: "Repeat the new password." }).max(PASSWORD_MAX, `Use at most ${PASSWORD_MAX} characters.`),
  })
  .refine((value) => value.newPassword === value.confirmPassword, {
    path: ["confirmPassword"],
    message: "The two new passwords differ.",
  })
  .refine((value) => value.newPassword !== value.currentPassword, {
    path: ["newPassword"],
    message: "Choose a password different from the current one.",
  });

export const createUserSchema = signUpSchema.extend({ role: z.enum(roles).default("APPLICANT") });
export type CreateUserInput = z.input<typeof createUserSchema>;

export const setRoleSchema = z.object({ userId: idSchema(), role: z.enum(roles, { error: "Choose a role." }) });
export const setStatusSchema = z.object({ userId: idSchema(), status: z.enum(userStatuses) });

export const listUsersSchema = z.object({
  q: z.string().trim().max(200).optional().default(""),
  page: z.coerce.number().int().min(1).catch(1).default(1),
});
