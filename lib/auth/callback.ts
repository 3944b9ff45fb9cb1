// Where to go after signing in or up: only a path of this site. A browser reads `/\evil.example` (and `/<tab>/evil`)
// as `//evil.example`, another site, so the value is resolved as a browser would and kept only if it stays here.

/** Any origin will do: only whether the resolved address keeps it matters. */
const HERE = "http://gatehouse.invalid";
const MAX_CALLBACK_CHARS = 2_000;

/** The callbackUrl as a path of this site (normalised), or undefined when it is not one. */
export function safeCallbackPath(value: unknown): string | undefined {
  if (typeof value !== "string" || !value.startsWith("/") || value.length > MAX_CALLBACK_CHARS) return undefined;
  let url: URL;
  try {
    url = new URL(value, HERE);
  } catch {
    return undefined;
  }
  return url.origin === HERE ? `${url.pathname}${url.search}${url.hash}` : undefined;
}
