import { mkdir, mkdtemp, readFile, rm, stat, utimes, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { isBuildStale } from "@/lib/launch/build";
import { assertPortFree } from "@/lib/launch/port";
import { loadOrCreateSecret } from "@/lib/launch/secret";
import net from "node:net";

const tempDirs: string[] = [];

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "gatehouse-launch-"));
  tempDirs.push(dir);
  return dir;
}

afterAll(async () => {
  await Promise.all(tempDirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe("loadOrCreateSecret", () => {
  it("creates a secret of at least 32 characters in a new data directory, readable by the owner only", async () => {
    const dataDir = path.join(await tempDir(), "nested", "data");

    const secret = await loadOrCreateSecret(dataDir);

    expect(secret.length).toBeGreaterThanOrEqual(32);
    expect(secret).toMatch(/^[A-Za-z0-9_-]+$/);
    const file = path.join(dataDir, "nextauth-secret");
    expect((await readFile(file, "utf8")).trim()).toBe(secret);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it("returns the same secret on every later start", async () => {
    const dataDir = await tempDir();
    const first = await loadOrCreateSecret(dataDir);
    await expect(loadOrCreateSecret(dataDir)).resolves.toBe(first);
    await expect(loadOrCreateSecret(dataDir)).resolves.toBe(first);
  });

  it("gives each data directory its own secret", async () => {
    const [a, b] = await Promise.all([tempDir(), tempDir()]);
    expect(await loadOrCreateSecret(a)).not.toBe(await loadOrCreateSecret(b));
  });

  it("replaces a secret file too short to be safe", async () => {
    const dataDir = await tempDir();
    await writeFile(path.join(dataDir, "nextauth-secret"), "short\n");

    const secret = await loadOrCreateSecret(dataDir);

    expect(secret.length).toBeGreaterThanOrEqual(32);
    await expect(loadOrCreateSecret(dataDir)).resolves.toBe(secret);
  });
});

describe("isBuildStale", () => {
  const past = new Date("2026-01-01T00:00:00Z");
  const built = new Date("2026-01-02T00:00:00Z");
  const later = new Date("2026-01-03T00:00:00Z");

  beforeEach(() => {
    // The build directory may be moved with NEXT_DIST_DIR; these tests use the default.
    vi.stubEnv("NEXT_DIST_DIR", undefined);
  });

  afterEach(() => {
    vi.unstubAllEnvs();
  });

  async function writeAt(root: string, file: string, time: Date, content = "x"): Promise<void> {
    const full = path.join(root, file);
    await mkdir(path.dirname(full), { recursive: true });
    await writeFile(full, content);
    await utimes(full, time, time);
  }

  /** A checkout with sources written at `past`, built at `built`. */
  async function builtProject(): Promise<string> {
    const root = await tempDir();
    await writeAt(root, "app/page.tsx", past);
    await writeAt(root, "lib/users/service.ts", past);
    await writeAt(root, "package.json", past, "{}");
    await writeAt(root, "prisma/schema.prisma", past);
    await writeAt(root, ".next/BUILD_ID", built, "build-1");
    return root;
  }

  it("is stale when there is no build", async () => {
    const root = await tempDir();
    await writeAt(root, "app/page.tsx", past);
    expect(isBuildStale(root)).toBe(true);
  });

  it("is fresh when the build is newer than every source", async () => {
    expect(isBuildStale(await builtProject())).toBe(false);
  });

  it.each(["lib/users/service.ts", "app/page.tsx", "package.json", "prisma/schema.prisma", "components/ui/new-button.tsx"])(
    "is stale once %s is newer than the build",
    async (file) => {
      const root = await builtProject();
      await writeAt(root, file, later);
      expect(isBuildStale(root)).toBe(true);
    },
  );

  it.each(["lib/users/service.test.ts", "lib/generated/prisma/client.ts", "node_modules/pkg/index.js", "e2e/journey.spec.ts", "README.md"])(
    "stays fresh when only %s changes",
    async (file) => {
      const root = await builtProject();
      await writeAt(root, file, later);
      expect(isBuildStale(root)).toBe(false);
    },
  );
});

describe("assertPortFree", () => {
  it("passes a free port, and names a port in use with what to do", async () => {
    const holder = net.createServer();
    await new Promise<void>((resolve) => holder.listen(0, resolve));
    const port = (holder.address() as net.AddressInfo).port;
    try {
      await expect(assertPortFree(port)).rejects.toThrow(`Port ${port} is already in use (another Gatehouse or another program). Stop it, or set PORT to a free port.`);
    } finally {
      await new Promise((resolve) => holder.close(resolve));
    }
    await expect(assertPortFree(port)).resolves.toBeUndefined();
  });
});
