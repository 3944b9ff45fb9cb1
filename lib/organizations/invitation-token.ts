// Invitation link tokens: 32 random bytes, shown once to the owner who creates the link; only the SHA-256 is stored.
import { createHash, randomBytes } from "node:crypto";

export function generateInvitationToken(): { token: string; tokenHash: string } {
  const token = randomBytes(32).toString("base64url");
  return { token, tokenHash: hashInvitationToken(token) };
}

export function hashInvitationToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export function invitationPath(token: string): string {
  return `/invitations/${token}`;
}
