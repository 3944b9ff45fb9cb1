// The only module that reads process.env: every setting is parsed here with zod and documented in the README.
import path from "node:path";
import { z } from "zod";

const optionalString = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === "" ? undefined : value.trim()));

const launchSchema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  DATA_DIR: optionalString.transform((value) => path.resolve(/*turbopackIgnore: true*/ value ?? "data")),
  DATABASE_URL: optionalString.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, "DATABASE_URL must be a postgresql:// connection string")
      .optional(),
  ),
  NEXTAUTH_SECRET: optionalString,
  NEXTAUTH_URL: optionalString.pipe(z.url("NEXTAUTH_URL must be a URL such as https://gatehouse.example.com").optional()),
  GATEHOUSE_SEED_DEMO: z.enum(["0", "1"]).optional(),
});

export type LaunchEnv = z.infer<typeof launchSchema>;

/** Settings the launcher needs before the database exists (scripts/start.ts, scripts/*). */
export function readLaunchEnv(source: NodeJS.ProcessEnv = process.env): LaunchEnv {
  return parseOrExplain(launchSchema, source);
}

const serverSchema = z.object({
  DATABASE_URL: z
    .string({ error: "DATABASE_URL is not set: start the app with `npm start`, which provides the embedded database" })
    .regex(/^postgres(ql)?:\/\//, "DATABASE_URL must be a postgresql:// connection string"),
  NEXTAUTH_SECRET: z
    .string({ error: "NEXTAUTH_SECRET is not set: with DATABASE_URL, generate one with `openssl rand -base64 32`" })
    .min(16, "NEXTAUTH_SECRET must be at least 16 characters"),
  DATA_DIR: optionalString.transform((value) => path.resolve(/*turbopackIgnore: true*/ value ?? "data")),
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  NEXTAUTH_URL: optionalString.pipe(z.url().optional()),
  // Email: sent through this SMTP server (smtp://user:pass@host:587) when set, kept in the admins' outbox otherwise.
  SMTP_URL: optionalString.pipe(z.url("SMTP_URL must be a URL such as smtp://user:pass@mail.example.com:587").optional()),
  MAIL_FROM: optionalString.transform((value) => value ?? "Gatehouse <gatehouse@localhost>"),
  // An OpenAI-compatible upstream (vLLM, Ollama, llama.cpp, OpenAI) behind the gateway, when set.
  UPSTREAM_BASE_URL: optionalString.pipe(z.url("UPSTREAM_BASE_URL must be a URL such as http://localhost:8000/v1").optional()),
  UPSTREAM_API_KEY: optionalString,
  // Gatehouse model name = upstream model name, comma-separated: "small=llama3.1:8b,large=llama3.1:70b".
  UPSTREAM_MODEL_MAP: optionalString.transform((value, context) => parseModelMap(value, context)),
  UPSTREAM_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(60_000),
  // An OpenAI-compatible /v1/moderations service in place of the built-in classifier, when set (fail closed).
  MODERATION_BASE_URL: optionalString.pipe(z.url("MODERATION_BASE_URL must be a URL such as https://api.openai.com/v1").optional()),
  MODERATION_API_KEY: optionalString,
  MODERATION_MODEL: optionalString.transform((value) => value ?? "omni-moderation-latest"),
  MODERATION_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5_000),
  // Shared limit counters for several instances (redis://host:6379); unset, each process counts alone.
  REDIS_URL: optionalString.pipe(z.url("REDIS_URL must be a URL such as redis://localhost:6379").optional()),
  // Benchmarks only (`npm run bench`): serves /v1/bench/baseline, the same completion with no checks.
  GATEHOUSE_BENCH_BASELINE: z.enum(["0", "1"]).default("0").transform((value) => value === "1"),
});

function parseModelMap(value: string | undefined, context: z.RefinementCtx): Record<string, string> {
  // No prototype: the gateway looks client-chosen model names up here, and "constructor" must not resolve.
  const map = Object.create(null) as Record<string, string>;
  for (const pair of (value ?? "").split(",").map((entry) => entry.trim()).filter(Boolean)) {
    const [name, upstream] = pair.split("=").map((part) => part.trim());
    if (!name || !upstream) {
      context.addIssue({ code: "custom", message: `UPSTREAM_MODEL_MAP entry "${pair}" must look like name=upstream-model` });
      continue;
    }
    map[name] = upstream;
  }
  return map;
}

export type ServerEnv = z.infer<typeof serverSchema>;

let cachedServerEnv: ServerEnv | undefined;

const observabilitySchema = z.object({
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  // auto: human-readable in a terminal, JSON lines otherwise.
  LOG_FORMAT: z.enum(["auto", "json", "pretty"]).default("auto"),
  // Bearer token of GET /api/metrics (Prometheus); unset, the endpoint answers 404.
  METRICS_TOKEN: optionalString.pipe(z.string().min(16, "METRICS_TOKEN must be at least 16 characters").optional()),
});

export type ObservabilityEnv = z.infer<typeof observabilitySchema>;

let cachedObservabilityEnv: ObservabilityEnv | undefined;

/** Logging and metrics settings: parsed apart from the server's, so that a log line never needs the database's. */
export function observabilityEnv(): ObservabilityEnv {
  cachedObservabilityEnv ??= parseOrExplain(observabilitySchema, process.env);
  return cachedObservabilityEnv;
}

const parentSchema = z.object({ GATEHOUSE_PARENT_PID: z.coerce.number().int().positive().optional().catch(undefined) });

/** The launcher's process id (set by `npm start` and the test harness): the server stops when that process is gone. */
export function parentPidToWatch(): number | undefined {
  return parentSchema.parse(process.env).GATEHOUSE_PARENT_PID;
}

/** Settings of the running server, parsed on first use so that `next build` needs none of them. */
export function serverEnv(): ServerEnv {
  cachedServerEnv ??= parseOrExplain(serverSchema, process.env);
  return cachedServerEnv;
}

/** The database URL alone, for code that runs before the rest of the server configuration exists. */
export function databaseUrl(): string {
  return parseOrExplain(serverSchema.pick({ DATABASE_URL: true }), process.env).DATABASE_URL;
}

/** The port the server listens on (`npm start` and the tests pass it as PORT; `next start`'s default otherwise). */
export function gatewayPort(): number {
  return parseOrExplain(z.object({ PORT: z.coerce.number().int().min(1).max(65535).default(3000) }), process.env).PORT;
}

/** Test settings: an external PostgreSQL for the suite when TEST_DATABASE_URL is set. */
export function testEnv(): { TEST_DATABASE_URL?: string } {
  return parseOrExplain(z.object({ TEST_DATABASE_URL: launchSchema.shape.DATABASE_URL }), process.env);
}

export class ConfigError extends Error {
  override name = "ConfigError";
}

function parseOrExplain<T extends z.ZodType>(schema: T, source: NodeJS.ProcessEnv): z.infer<T> {
  const result = schema.safeParse(source);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
  throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}`);
}
