// Step 2: the endpoint and the model must be among the key's scopes; unknown models are 404 like OpenAI's.
import type { ApiEndpoint } from "@/lib/keys/scopes";
import { ApiError } from "./errors";
import type { KeyContext } from "./authenticate";

export function authorizeEndpoint(key: KeyContext, endpoint: ApiEndpoint): void {
  if (!key.scopes.endpoints.includes(endpoint)) {
    throw new ApiError(403, "permission_error", "endpoint_not_allowed", `This API key may not use the ${endpoint} endpoint.`);
  }
}

export function authorizeModel(key: KeyContext, model: string, knownModels: readonly string[]): void {
  if (!knownModels.includes(model)) {
    throw new ApiError(404, "invalid_request_error", "model_not_found", `The model '${model}' does not exist or you do not have access to it.`, "model");
  }
  if (!key.scopes.models.includes(model)) {
    throw new ApiError(403, "permission_error", "model_not_allowed", `This API key may not use the model '${model}'.`, "model");
  }
}
