// Next.js calls register() once when the server starts: the Node.js server refuses request lines Next cannot take
// (lib/http/request-guard), retries and sends pending email, warms the API up, installs the shutdown flush of its
// usage records and reminds reviewers of overdue items.
export async function register(): Promise<void> {
  // NEXT_RUNTIME is inlined by Next at build time (not configuration, so not in lib/env.ts): the edge bundle drops this.
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const [{ installRequestGuard }, { startEmailDeliveryLoop }, { startGateway }, { dropOutputToClosedPipes }, { startReminderLoop }] = await Promise.all([
      import("@/lib/http/request-guard"),
      import("@/lib/notifications/email"),
      import("@/lib/gateway/shutdown"),
      import("@/lib/log"),
      import("@/lib/calibration/reminders"),
    ]);
    installRequestGuard();
    dropOutputToClosedPipes();
    startEmailDeliveryLoop();
    startReminderLoop();
    startGateway();
  }
}

/** Every error a page, action or route handler throws on the server: one structured log line (lib/log). */
export async function onRequestError(
  error: unknown,
  request: { path: string; method: string },
  context: { routerKind: string; routePath: string; routeType: string },
): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { logger } = await import("@/lib/log");
  const digest = typeof error === "object" && error !== null && "digest" in error ? String(error.digest) : undefined;
  logger().error({ err: error, method: request.method, path: request.path, route: context.routePath, routeType: context.routeType, digest }, "server error");
}
