// Next.js calls register() once when the server starts: the Node.js server retries and sends pending email, warms
// the API up and installs the shutdown flush of its usage records.
export async function register(): Promise<void> {
  // NEXT_RUNTIME is inlined by Next at build time (not configuration, so not in lib/env.ts): the edge bundle drops this.
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const [{ startEmailDeliveryLoop }, { startGateway }] = await Promise.all([import("@/lib/notifications/email"), import("@/lib/gateway/shutdown")]);
    startEmailDeliveryLoop();
    startGateway();
  }
}
