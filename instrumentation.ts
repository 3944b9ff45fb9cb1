// Runs once when the server starts: warms the API up and installs the shutdown flush of its usage records.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startGateway } = await import("@/lib/gateway/shutdown");
  startGateway();
}
