// Runs once when the server starts: installs the shutdown flush of the API's usage records.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { installShutdownFlush } = await import("@/lib/gateway/shutdown");
  installShutdownFlush();
}
