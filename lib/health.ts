import "server-only";
import { db } from "@/lib/db";

const TIMEOUT_MS = 2_000;

export async function checkDatabase(): Promise<{ ok: boolean }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error("database health check timed out")), TIMEOUT_MS);
  });
  try {
    await Promise.race([db.$queryRaw`SELECT 1`, timeout]);
    return { ok: true };
  } catch (error) {
    console.error("[health] database unreachable:", error instanceof Error ? error.message : error);
    return { ok: false };
  } finally {
    clearTimeout(timer);
  }
}
