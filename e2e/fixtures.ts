import path from "node:path";
import type { Role } from "../lib/users/schema";

export function storageStateFor(role: Role): string {
  return path.join(__dirname, ".auth", `${role.toLowerCase()}.json`);
}
