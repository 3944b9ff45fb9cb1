import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ConfigError, readLaunchEnv } from "@/lib/env";

/** An environment holding only `values` (NODE_ENV is required by Next's typing of process.env). */
function envOf(values: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { NODE_ENV: "test", ...values };
}

function configErrorOf(read: () => unknown): ConfigError {
  try {
    read();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a ConfigError, but the configuration was accepted");
}

describe("readLaunchEnv", () => {
  it("defaults to port 3000 and ./data as an absolute path, with the embedded database", () => {
    const env = readLaunchEnv(envOf());
    expect(env.PORT).toBe(3000);
    expect(path.isAbsolute(env.DATA_DIR)).toBe(true);
    expect(env.DATA_DIR).toBe(path.resolve(process.cwd(), "data"));
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.NEXTAUTH_SECRET).toBeUndefined();
  });

  it("treats blank values as unset", () => {
    const env = readLaunchEnv(envOf({ DATA_DIR: "  ", DATABASE_URL: "", NEXTAUTH_SECRET: " " }));
    expect(env.DATA_DIR).toBe(path.resolve(process.cwd(), "data"));
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.NEXTAUTH_SECRET).toBeUndefined();
  });

  it("reads a port, a relative data directory and a PostgreSQL URL", () => {
    const env = readLaunchEnv(envOf({ PORT: "8080", DATA_DIR: "var/gatehouse", DATABASE_URL: "postgres://app:secret@db:5432/gatehouse" }));
    expect(env.PORT).toBe(8080);
    expect(env.DATA_DIR).toBe(path.resolve(process.cwd(), "var/gatehouse"));
    expect(env.DATABASE_URL).toBe("postgres://app:secret@db:5432/gatehouse");
  });

  it.each(["http", "0", "70000", "80.5"])("refuses PORT=%s and names the setting", (port) => {
    const error = configErrorOf(() => readLaunchEnv(envOf({ PORT: port })));
    expect(error.message).toMatch(/^Invalid configuration:\n\s+PORT: /);
  });

  it("refuses a DATABASE_URL that is not PostgreSQL, saying what it must be", () => {
    const error = configErrorOf(() => readLaunchEnv(envOf({ DATABASE_URL: "mysql://root@localhost/gatehouse" })));
    expect(error.message).toContain("DATABASE_URL: DATABASE_URL must be a postgresql:// connection string");
  });

  it("refuses a NEXTAUTH_URL that is not a URL", () => {
    const error = configErrorOf(() => readLaunchEnv(envOf({ NEXTAUTH_URL: "gatehouse.example.com" })));
    expect(error.message).toContain("NEXTAUTH_URL must be a URL");
  });

  it("reports every invalid setting at once", () => {
    const error = configErrorOf(() => readLaunchEnv(envOf({ PORT: "nope", DATABASE_URL: "sqlite://file.db" })));
    expect(error.message).toMatch(/PORT: /);
    expect(error.message).toMatch(/DATABASE_URL: /);
  });
});

describe("serverEnv", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  // serverEnv caches its first result, so each test reads it from a freshly imported module.
  async function freshEnvModule() {
    vi.resetModules();
    return import("@/lib/env");
  }

  it("requires NEXTAUTH_SECRET and says how to make one", async () => {
    vi.stubEnv("DATABASE_URL", "postgresql://app@localhost/gatehouse");
    vi.stubEnv("NEXTAUTH_SECRET", undefined);
    const fresh = await freshEnvModule();

    expect(() => fresh.serverEnv()).toThrow(fresh.ConfigError);
    expect(() => fresh.serverEnv()).toThrow(/NEXTAUTH_SECRET is not set: .*openssl rand -base64 32/);
  });

  it("refuses a NEXTAUTH_SECRET shorter than 16 characters", async () => {
    vi.stubEnv("DATABASE_URL", "postgresql://app@localhost/gatehouse");
    vi.stubEnv("NEXTAUTH_SECRET", "too-short");
    const fresh = await freshEnvModule();

    expect(() => fresh.serverEnv()).toThrow(/NEXTAUTH_SECRET must be at least 16 characters/);
  });

  it("requires DATABASE_URL", async () => {
    vi.stubEnv("DATABASE_URL", undefined);
    vi.stubEnv("NEXTAUTH_SECRET", "a-secret-long-enough-for-tests");
    const fresh = await freshEnvModule();

    expect(() => fresh.serverEnv()).toThrow(/DATABASE_URL is not set/);
    expect(() => fresh.databaseUrl()).toThrow(fresh.ConfigError);
  });

  it("returns the settings and keeps them for later calls", async () => {
    vi.stubEnv("DATABASE_URL", "postgresql://app@localhost/gatehouse");
    vi.stubEnv("NEXTAUTH_SECRET", "a-secret-long-enough-for-tests");
    vi.stubEnv("DATA_DIR", "");
    vi.stubEnv("NODE_ENV", "production");
    const fresh = await freshEnvModule();

    const env = fresh.serverEnv();
    expect(env).toMatchObject({
      DATABASE_URL: "postgresql://app@localhost/gatehouse",
      NEXTAUTH_SECRET: "a-secret-long-enough-for-tests",
      DATA_DIR: path.resolve(process.cwd(), "data"),
      NODE_ENV: "production",
    });
    vi.stubEnv("NEXTAUTH_SECRET", "another-secret-long-enough");
    expect(fresh.serverEnv()).toBe(env);
  });

  it("the upstream model map resolves only the mapped names, never Object's members", async () => {
    vi.stubEnv("DATABASE_URL", "postgresql://app@localhost/gatehouse");
    vi.stubEnv("NEXTAUTH_SECRET", "a-secret-long-enough-for-tests");
    vi.stubEnv("UPSTREAM_MODEL_MAP", "small=llama3.1:8b");
    const fresh = await freshEnvModule();

    const map = fresh.serverEnv().UPSTREAM_MODEL_MAP;
    expect(map.small).toBe("llama3.1:8b");
    for (const name of ["constructor", "toString", "__proto__", "hasOwnProperty"]) expect(map[name]).toBeUndefined();
  });
});
