// The moderation settings' schema, shared by the settings form and the server.
import { z } from "zod";
import { formNumber } from "@/lib/validation";

const count = (min: number, max: number, what: string) =>
  formNumber(z.number({ error: "Enter a number." }).int("Use a whole number.").min(min, `${what}: at least ${min}.`).max(max, `${what}: at most ${max}.`));

export const moderationSettingsSchema = z.object({
  // A checkbox: present ("on", "true") when ticked, absent otherwise.
  autoSuspendEnabled: z.preprocess((value) => value === true || value === "on" || value === "true", z.boolean()),
  autoSuspendFlags: count(1, 1000, "Flags"),
  autoSuspendMinutes: count(1, 10_080, "Minutes"),
  excerptRetentionDays: count(1, 3650, "Days"),
});
export type ModerationSettings = z.infer<typeof moderationSettingsSchema>;

/** Automatic suspension is off until an admin turns it on. */
export const defaultModerationSettings: ModerationSettings = {
  autoSuspendEnabled: false,
  autoSuspendFlags: 5,
  autoSuspendMinutes: 10,
  excerptRetentionDays: 30,
};
