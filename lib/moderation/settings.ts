// Enforcement settings (automatic suspension on repeated flags, excerpt retention), kept in the Setting table.
import "server-only";
import { recordAudit } from "@/lib/audit";
import { assertAdmin } from "@/lib/auth/policy";
import { db, type Tx } from "@/lib/db";
import type { SessionUser } from "@/lib/users/service";
import { parseInput } from "@/lib/validation";
import { defaultModerationSettings, moderationSettingsSchema, type ModerationSettings } from "./settings-schema";

export const MODERATION_SETTINGS_KEY = "moderation";

/** The stored settings over the defaults; a stored value that no longer parses falls back to the defaults. */
export async function getModerationSettings(tx: Tx = db): Promise<ModerationSettings> {
  const row = await tx.setting.findUnique({ where: { key: MODERATION_SETTINGS_KEY } });
  const stored = row && typeof row.value === "object" && row.value !== null && !Array.isArray(row.value) ? row.value : {};
  const parsed = moderationSettingsSchema.safeParse({ ...defaultModerationSettings, ...stored });
  return parsed.success ? parsed.data : defaultModerationSettings;
}

export async function updateModerationSettings({ actor, input }: { actor: SessionUser; input: unknown }): Promise<ModerationSettings> {
  assertAdmin(actor, "change moderation settings");
  const settings = parseInput(moderationSettingsSchema, input);
  await db.$transaction(async (tx) => {
    await tx.setting.upsert({ where: { key: MODERATION_SETTINGS_KEY }, create: { key: MODERATION_SETTINGS_KEY, value: settings }, update: { value: settings } });
    await recordAudit({ actorId: actor.id, action: "settings.moderation.updated", targetType: "Setting", targetId: MODERATION_SETTINGS_KEY, data: settings }, tx);
  });
  return settings;
}
