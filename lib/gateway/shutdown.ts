// Flushes the usage buffer when the server stops. `npm start` sets NEXT_MANUAL_SIG_HANDLE=1, so these handlers own
// SIGINT/SIGTERM: they drain in-flight API requests, write the buffered records, then exit with the signal's code.
import "server-only";
import { drainRuntime, existingRuntime, gatewayRuntime, warmUpGateway } from "./runtime";

/** Server start: warm the gateway up in the background so the first API request is fast. */
export function startGateway(): void {
  installShutdownFlush();
  void warmUpGateway(gatewayRuntime().config).catch((error: unknown) => console.error("[gateway] warm-up failed", error));
}

/** Drains in-flight API requests and writes every buffered usage record; the signal handlers call it before exiting. */
export async function stopGateway(): Promise<void> {
  const runtime = existingRuntime();
  if (runtime) await drainRuntime(runtime);
}

const globalForShutdown = globalThis as unknown as { gatehouseShutdownInstalled?: boolean };

function installShutdownFlush(): void {
  if (globalForShutdown.gatehouseShutdownInstalled) return;
  globalForShutdown.gatehouseShutdownInstalled = true;
  const exitCodes: Record<string, number> = { SIGINT: 130, SIGTERM: 143 };
  let isStopping = false;
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      if (isStopping) return;
      isStopping = true;
      void stopGateway()
        .catch((error: unknown) => console.error("[gateway] flushing usage at shutdown failed", error))
        .finally(() => process.exit(exitCodes[signal] ?? 1));
    });
  }
  process.on("beforeExit", () => {
    const runtime = existingRuntime();
    if (runtime && runtime.usage.pending > 0) void runtime.usage.flush();
  });
}
