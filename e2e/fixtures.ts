import path from "node:path";
import type { Browser, Page } from "@playwright/test";
import type { Role } from "../lib/users/schema";

export function storageStateFor(role: Role): string {
  return path.join(__dirname, ".auth", `${role.toLowerCase()}.json`);
}

/** A page in a new browser context signed in as the role's demo account; close it with `page.context().close()`. */
export async function pageAs(browser: Browser, role: Role): Promise<Page> {
  const context = await browser.newContext({ storageState: storageStateFor(role) });
  return context.newPage();
}
