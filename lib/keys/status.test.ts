import { describe, expect, it } from "vitest";
import { describeKeyState, keyStateOf, type KeyStatusInput } from "@/lib/keys/status";

const now = new Date("2026-11-25T12:00:00Z");
const base: KeyStatusInput = {
  revokedAt: null,
  revokedReason: null,
  suspendedAt: null,
  graceUntil: null,
  grantRevokedAt: null,
  grantExpiresAt: null,
  organizationSuspendedAt: null,
};

describe("key state", () => {
  it("an untouched key is active", () => {
    expect(keyStateOf(base, now)).toEqual({ status: "active" });
  });

  it("a rotated key is in grace until its end, then expired", () => {
    const until = new Date("2026-11-25T13:00:00Z");
    expect(keyStateOf({ ...base, graceUntil: until }, now)).toEqual({ status: "grace", until });
    expect(describeKeyState(keyStateOf({ ...base, graceUntil: until }, now))).toBe("In grace until 2026-11-25 13:00 UTC");
    expect(keyStateOf({ ...base, graceUntil: new Date("2026-11-25T11:00:00Z") }, now)).toEqual({ status: "expired", why: "rotated" });
  });

  it("revocation wins over suspension, suspension over expiry", () => {
    const everything = { ...base, revokedAt: now, revokedReason: "Leaked", suspendedAt: now, organizationSuspendedAt: now, grantExpiresAt: "2020-01-01T00:00:00Z" };
    expect(keyStateOf(everything, now)).toEqual({ status: "revoked", reason: "Leaked" });
    expect(keyStateOf({ ...everything, revokedAt: null }, now)).toEqual({ status: "suspended", byOrganization: true });
    expect(keyStateOf({ ...everything, revokedAt: null, organizationSuspendedAt: null }, now)).toEqual({ status: "suspended", byOrganization: false });
    expect(keyStateOf({ ...base, grantExpiresAt: "2020-01-01T00:00:00Z" }, now)).toEqual({ status: "expired", why: "grant" });
    expect(keyStateOf({ ...base, grantRevokedAt: now }, now).status).toBe("revoked");
  });
});
