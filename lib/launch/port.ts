// Checked before anything else starts: a port in use would otherwise be found only after the database was prepared
// and the demo data seeded (its key, shown once, printed by a start that then fails).
import net from "node:net";
import { ConfigError } from "@/lib/env";

/** Resolves when `port` can be listened on (all interfaces, as `next start` listens); a ConfigError saying why not. */
export function assertPortFree(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", (error: NodeJS.ErrnoException) => {
      reject(
        error.code === "EADDRINUSE"
          ? new ConfigError(`Port ${port} is already in use (another Gatehouse or another program). Stop it, or set PORT to a free port.`)
          : error.code === "EACCES"
            ? new ConfigError(`Port ${port} needs more privileges than this process has. Set PORT to 1024 or above.`)
            : error,
      );
    });
    probe.listen(port, () => probe.close(() => resolve()));
  });
}
