// Organisations, their members and invitation links.
import { z } from "zod";
import { idSchema, plainName } from "@/lib/validation";
import { emailSchema } from "@/lib/users/schema";

export const orgRoles = ["OWNER", "MEMBER"] as const;
export type OrgRole = (typeof orgRoles)[number];

export const INVITATION_TTL_DAYS = 7;

const emptyToUndefined = (value: unknown) => (typeof value === "string" && value.trim() === "" ? undefined : value);

export const organizationInputSchema = z.object({
  name: plainName(z.string({ error: "Enter the organisation's name." }).trim().min(1, "Enter the organisation's name.").max(100, "Use at most 100 characters.")),
  website: z.preprocess(
    emptyToUndefined,
    z
      .url({ protocol: /^https?$/, error: "Enter a full web address starting with https://, or leave it empty." })
      .max(300, "Use at most 300 characters.")
      .optional(),
  ),
  description: z.string().trim().max(2000, "Use at most 2,000 characters.").default(""),
});
export type OrganizationInput = z.infer<typeof organizationInputSchema>;

export const createInvitationSchema = z.object({
  organizationId: idSchema(),
  email: z.preprocess(emptyToUndefined, emailSchema.optional()),
  role: z.enum(orgRoles, { error: "Choose a role." }).default("MEMBER"),
});

export const invitationIdSchema = z.object({ invitationId: idSchema() });
export const tokenSchema = z.object({ token: z.string().trim().min(20, "That invitation link is not valid.").max(200, "That invitation link is not valid.") });
export const memberTargetSchema = z.object({ organizationId: idSchema(), userId: idSchema() });
export const changeRoleSchema = memberTargetSchema.extend({ role: z.enum(orgRoles, { error: "Choose a role." }) });
export const organizationIdSchema = z.object({ organizationId: idSchema() });

export function orgRoleLabel(role: OrgRole): string {
  return role === "OWNER" ? "Owner" : "Member";
}
