// npm 12 skips dependencies' install scripts unless package.json approves them: every installed one must be approved.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(__dirname, "..");
const manifest = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as { allowScripts?: Record<string, boolean> };
const lock = JSON.parse(readFileSync(path.join(root, "package-lock.json"), "utf8")) as {
  packages: Record<string, { hasInstallScript?: boolean; optional?: boolean }>;
};

/** Packages with install scripts that this machine's install holds (other platforms' optional binaries are absent). */
function installedWithScripts(): string[] {
  return Object.entries(lock.packages)
    .filter(([location, entry]) => location !== "" && entry.hasInstallScript === true && existsSync(path.join(root, location)))
    .map(([location]) => location.replace(/^.*node_modules\//, ""))
    .sort();
}

describe("install scripts", () => {
  it("approves exactly the installed packages whose install scripts Gatehouse needs", () => {
    const approved = Object.entries(manifest.allowScripts ?? {})
      .filter(([, allowed]) => allowed)
      .map(([name]) => name)
      .sort();
    expect(approved).toEqual(installedWithScripts());
  });

  it("commits the lock file as npm writes it for a project with its own postinstall", () => {
    expect(lock.packages[""]?.hasInstallScript).toBe(true);
  });
});
