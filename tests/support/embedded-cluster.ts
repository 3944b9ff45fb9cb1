// The embedded PostgreSQL cluster of a data directory, as fault tests see it: its postmaster, and a way to freeze it.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { childrenOf } from "@/lib/database/embedded";

/** The postmaster's pid from DATA_DIR/pg/postmaster.pid, or null when the cluster is not running. */
export async function postmasterPid(dataDir: string): Promise<number | null> {
  const text = await readFile(path.join(dataDir, "pg", "postmaster.pid"), "utf8").catch(() => null);
  const pid = Number(text?.split("\n")[0]);
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

/**
 * Freezes the whole cluster (SIGSTOP): the postmaster first (no new backends), then every process it started.
 * Signalling the postmaster's process group is not enough: each backend calls setsid(), and the open connections would
 * go on serving. Returns the thaw.
 */
export async function freezeCluster(dataDir: string): Promise<() => void> {
  const postmaster = await postmasterPid(dataDir);
  if (postmaster === null) throw new Error(`no postmaster.pid in ${dataDir}`);
  process.kill(postmaster, "SIGSTOP");
  const children = await childrenOf(postmaster);
  for (const pid of children) process.kill(pid, "SIGSTOP");
  return () => {
    for (const pid of [...children, postmaster]) {
      try {
        process.kill(pid, "SIGCONT");
      } catch {
        // Gone already.
      }
    }
  };
}
