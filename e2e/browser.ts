// Which Chromium Playwright drives: CHROMIUM_PATH, else Debian's /usr/bin/chromium, else Playwright's own download.
import { existsSync } from "node:fs";

export function chromiumExecutable(): string | undefined {
  const candidates = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"];
  return candidates.find((candidate): candidate is string => candidate !== undefined && candidate !== "" && existsSync(candidate));
}

export const chromiumArgs = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
