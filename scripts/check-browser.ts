// Fails fast, with one clear line, when no Chromium is available for the end-to-end tests.
import { existsSync } from "node:fs";
import { chromium } from "@playwright/test";
import { chromiumExecutable } from "../e2e/browser";

function playwrightChromium(): string | undefined {
  try {
    const path = chromium.executablePath();
    return existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

if (!chromiumExecutable() && !playwrightChromium()) {
  console.error(
    "No Chromium for the end-to-end tests: install Debian's (`apt-get install chromium`, or set CHROMIUM_PATH), or online run `npx playwright install chromium`.",
  );
  process.exit(1);
}
