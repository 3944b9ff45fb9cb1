// What a key's row means right now: one status the pages show and filter by (the gateway enforces the same rules).
export const keyStatuses = ["active", "grace", "revoked", "suspended", "expired"] as const;
export type KeyStatus = (typeof keyStatuses)[number];

export interface KeyStatusInput {
  revokedAt: Date | null;
  revokedReason: string | null;
  suspendedAt: Date | null;
  graceUntil: Date | null;
  grantRevokedAt: Date | null;
  /** The grant's scopes.expiresAt (ISO), null for no expiry. */
  grantExpiresAt: string | null;
  organizationSuspendedAt: Date | null;
}

export type KeyState =
  | { status: "active" }
  | { status: "grace"; until: Date }
  | { status: "revoked"; reason: string }
  | { status: "suspended"; byOrganization: boolean }
  | { status: "expired"; why: "rotated" | "grant" };

/** Revocation wins over suspension, suspension over expiry, so the most lasting reason is the one shown. */
export function keyStateOf(key: KeyStatusInput, now: Date = new Date()): KeyState {
  if (key.revokedAt) return { status: "revoked", reason: key.revokedReason ?? "Revoked." };
  if (key.grantRevokedAt) return { status: "revoked", reason: "The approval behind this key was withdrawn." };
  if (key.organizationSuspendedAt) return { status: "suspended", byOrganization: true };
  if (key.suspendedAt) return { status: "suspended", byOrganization: false };
  if (key.grantExpiresAt && new Date(key.grantExpiresAt).getTime() <= now.getTime()) return { status: "expired", why: "grant" };
  if (key.graceUntil) return key.graceUntil.getTime() > now.getTime() ? { status: "grace", until: key.graceUntil } : { status: "expired", why: "rotated" };
  return { status: "active" };
}

/** "2026-11-25 14:03 UTC": one unambiguous format for server-rendered times. */
export function formatUtc(date: Date): string {
  return `${date.toISOString().replace("T", " ").slice(0, 16)} UTC`;
}

export function describeKeyState(state: KeyState): string {
  switch (state.status) {
    case "active":
      return "Active";
    case "grace":
      return `In grace until ${formatUtc(state.until)}`;
    case "revoked":
      return `Revoked: ${state.reason}`;
    case "suspended":
      return state.byOrganization ? "Suspended (organisation's API access is suspended)" : "Suspended by an administrator";
    case "expired":
      return state.why === "rotated" ? "Expired (replaced by rotation)" : "Expired (the approval's expiry date has passed)";
    default: {
      const unreachable: never = state;
      return unreachable;
    }
  }
}

