// What the gateway needs from the environment, as one object so tests can inject upstream settings.
import { serverEnv } from "@/lib/env";
import type { ExternalModerationConfig } from "@/lib/moderation/external";

export interface UpstreamConfig {
  baseUrl: string;
  apiKey: string | undefined;
  /** Gatehouse model name -> upstream model name. */
  modelMap: Record<string, string>;
  timeoutMs: number;
}

export interface GatewayConfig {
  dataDir: string;
  upstream: UpstreamConfig | null;
  maxBodyBytes: number;
  /** Shared limit counters in Redis (several instances); null: in this process. */
  redisUrl: string | null;
  /** An external moderation service; null: the built-in classifier. */
  moderation: ExternalModerationConfig | null;
}

export const MAX_BODY_BYTES = 1024 * 1024;

let cached: GatewayConfig | undefined;

/** The running server's configuration (route handlers call this; tests build their own). */
export function gatewayConfig(): GatewayConfig {
  if (cached) return cached;
  const env = serverEnv();
  cached = {
    dataDir: env.DATA_DIR,
    maxBodyBytes: MAX_BODY_BYTES,
    redisUrl: env.REDIS_URL ?? null,
    moderation: env.MODERATION_BASE_URL
      ? { baseUrl: env.MODERATION_BASE_URL.replace(/\/+$/, ""), apiKey: env.MODERATION_API_KEY, model: env.MODERATION_MODEL, timeoutMs: env.MODERATION_TIMEOUT_MS }
      : null,
    upstream: env.UPSTREAM_BASE_URL
      ? { baseUrl: env.UPSTREAM_BASE_URL.replace(/\/+$/, ""), apiKey: env.UPSTREAM_API_KEY, modelMap: env.UPSTREAM_MODEL_MAP, timeoutMs: env.UPSTREAM_TIMEOUT_MS }
      : null,
  };
  return cached;
}
