// Review settings (reviews required per stage, risk thresholds), kept in the Setting table under one key.
import "server-only";
import { assertAdmin } from "@/lib/auth/policy";
import { recordAudit } from "@/lib/audit";
import { db, type Tx } from "@/lib/db";
import type { SessionUser } from "@/lib/users/service";
import { parseInput } from "@/lib/validation";
import { defaultReviewSettings, reviewSettingsSchema, type ReviewSettings } from "./schema";

export const REVIEW_SETTINGS_KEY = "reviews";

/** The stored settings over the defaults; a stored value that no longer parses falls back field by field. */
export async function getReviewSettings(tx: Tx = db): Promise<ReviewSettings> {
  const row = await tx.setting.findUnique({ where: { key: REVIEW_SETTINGS_KEY } });
  const stored = row && typeof row.value === "object" && row.value !== null && !Array.isArray(row.value) ? row.value : {};
  const merged = { ...defaultReviewSettings, ...stored };
  const parsed = reviewSettingsSchema.safeParse(merged);
  return parsed.success ? parsed.data : defaultReviewSettings;
}

export function requiredReviewsFor(settings: ReviewSettings, stage: "ACCESS" | "PRODUCTION"): number {
  return stage === "PRODUCTION" ? settings.requiredReviewsProduction : settings.requiredReviewsAccess;
}

export async function updateReviewSettings({ actor, input }: { actor: SessionUser; input: unknown }): Promise<ReviewSettings> {
  assertAdmin(actor, "change review settings");
  const settings = parseInput(reviewSettingsSchema, input);
  await db.$transaction(async (tx) => {
    await tx.setting.upsert({ where: { key: REVIEW_SETTINGS_KEY }, create: { key: REVIEW_SETTINGS_KEY, value: settings }, update: { value: settings } });
    await recordAudit({ actorId: actor.id, action: "settings.reviews.updated", targetType: "Setting", targetId: REVIEW_SETTINGS_KEY, data: settings }, tx);
  });
  return settings;
}
