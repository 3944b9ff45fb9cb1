// Step 2: the endpoint and the model must be among the key's scopes; unknown models are 404 like OpenAI's.
import type { ApiEndpoint } from "@/lib/keys/scopes";
import type { KeyContext } from "./authenticate";
import { refuse } from "./refusals";

export function authorizeEndpoint(key: KeyContext, endpoint: ApiEndpoint): void {
  if (!key.scopes.endpoints.includes(endpoint)) refuse("endpoint_not_allowed", { detail: endpoint });
}

export function authorizeModel(key: KeyContext, model: string, knownModels: readonly string[]): void {
  if (!knownModels.includes(model)) refuse("model_not_found", { param: "model", value: model });
  if (!key.scopes.models.includes(model)) refuse("model_not_allowed", { param: "model", value: model });
}
