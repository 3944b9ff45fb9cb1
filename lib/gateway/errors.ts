// The gateway's one error type and one mapper to OpenAI's error shape { error: { message, type, param, code } }.
import { ZodError } from "zod";

export type ApiErrorType = "invalid_request_error" | "authentication_error" | "permission_error" | "not_found_error" | "rate_limit_error" | "insufficient_quota" | "server_error" | "upstream_error";

export class ApiError extends Error {
  override name = "ApiError";
  constructor(
    readonly status: number,
    readonly type: ApiErrorType,
    readonly code: string | null,
    message: string,
    readonly param: string | null = null,
  ) {
    super(message);
  }
}

export interface ErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

/** The one answer for every unusable key, so a caller cannot tell missing, unknown, revoked or suspended apart. */
export function invalidApiKey(): ApiError {
  return new ApiError(401, "authentication_error", "invalid_api_key", "Incorrect API key provided. You can find your API keys on your organisation's Keys page.");
}

export function invalidParam(param: string, message: string, code: string | null = "invalid_value"): ApiError {
  return new ApiError(400, "invalid_request_error", code, message, param);
}

/** A zod path such as ["messages", 0, "content"] becomes OpenAI's "messages[0].content". */
export function paramOf(path: readonly PropertyKey[]): string | null {
  if (path.length === 0) return null;
  let param = "";
  for (const part of path) {
    if (typeof part === "number") param += `[${part}]`;
    else param += param === "" ? String(part) : `.${String(part)}`;
  }
  return param;
}

/** Maps anything thrown inside the pipeline to a status and OpenAI's error body; unknown errors never leak details. */
export function toApiError(error: unknown, requestId: string): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof ZodError) {
    const issue = error.issues[0];
    const param = issue ? paramOf(issue.path) : null;
    const message = issue ? `Invalid value for '${param ?? "body"}': ${issue.message}` : "Invalid request body.";
    return new ApiError(400, "invalid_request_error", issue?.code === "invalid_type" && issue.message.includes("undefined") ? "missing_required_parameter" : "invalid_value", message, param);
  }
  console.error(`[gateway] ${requestId} unexpected error`, error);
  return new ApiError(500, "server_error", "internal_error", `The server had an error while processing your request. Quote request id ${requestId} when you contact us.`);
}

export function errorBody(error: ApiError): ErrorBody {
  return { error: { message: error.message, type: error.type, param: error.param, code: error.code } };
}
