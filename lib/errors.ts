// Expected failures of domain functions; pages, actions and routes map each kind to a message or a status.
export const errorKinds = ["unauthenticated", "forbidden", "not_found", "invalid", "conflict", "rate_limited"] as const;
export type ErrorKind = (typeof errorKinds)[number];

export type FieldErrors = Record<string, string[] | undefined>;

export class AppError extends Error {
  override name = "AppError";
  constructor(
    readonly kind: ErrorKind,
    message: string,
    readonly fieldErrors: FieldErrors = {},
  ) {
    super(message);
  }
}

export const httpStatusOf: Record<ErrorKind, number> = {
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  invalid: 400,
  conflict: 409,
  rate_limited: 429,
};

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

/** What to log of anything thrown: its message, never a stack or an object dump. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
