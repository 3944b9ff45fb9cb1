// The handlers of /v1 and /v1/* paths that no endpoint serves: a 404 in OpenAI's error shape for every method.
import { notFoundResponse } from "./pipeline";

export const GET = notFoundResponse;
export const POST = notFoundResponse;
export const PUT = notFoundResponse;
export const PATCH = notFoundResponse;
export const DELETE = notFoundResponse;
