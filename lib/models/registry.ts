// The models the gateway serves: the built-in n-gram model and, when an upstream is configured, its mapped models.
import type { UpstreamConfig } from "@/lib/gateway/config";

export const BUILTIN_MODEL_ID = "gatehouse-ngram";
/** A fixed creation time for the model list (the built-in model's first release). */
export const MODEL_CREATED = 1_767_225_600;

export type ResolvedModel = { kind: "builtin"; id: string } | { kind: "upstream"; id: string; upstreamModel: string };

export function listModelIds(upstream: UpstreamConfig | null): string[] {
  const ids = new Set([BUILTIN_MODEL_ID, ...Object.keys(upstream?.modelMap ?? {})]);
  return [...ids];
}

export function resolveModel(upstream: UpstreamConfig | null, id: string): ResolvedModel | null {
  const upstreamModel = upstream?.modelMap[id];
  if (upstreamModel) return { kind: "upstream", id, upstreamModel };
  if (id === BUILTIN_MODEL_ID) return { kind: "builtin", id };
  return null;
}

export function modelObject(id: string, upstream: UpstreamConfig | null) {
  const resolved = resolveModel(upstream, id);
  return { id, object: "model" as const, created: MODEL_CREATED, owned_by: resolved?.kind === "upstream" ? "upstream" : "gatehouse" };
}
