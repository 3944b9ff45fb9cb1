// Structured logs: one JSON object per line (level, time, msg and fields such as requestId, route, status, code)
// for log collectors; human-readable lines when stdout is a terminal. LOG_LEVEL and LOG_FORMAT (lib/env.ts) change
// both. One logger per process (lib/process.ts); pino is loaded once from node_modules (serverExternalPackages).
import "server-only";
import pino, { type Logger } from "pino";
import pretty from "pino-pretty";
import { observabilityEnv } from "@/lib/env";
import { processSingleton } from "@/lib/process";

/**
 * When whoever reads our output is gone (a closed pipe: EPIPE), writes fail. Unhandled, each failure would be an
 * uncaught error that is itself logged to the broken pipe, and so on forever at full CPU, never yielding to the
 * signal that should stop the process. The lines are dropped instead.
 */
export function dropOutputToClosedPipes(): void {
  processSingleton("stdio-guard", () => {
    for (const stream of [process.stdout, process.stderr]) stream.on("error", () => undefined);
    return true;
  });
}

/** Lines waiting for a stdout nobody reads are dropped beyond this, rather than filling the memory. */
const MAX_BUFFERED_LOG_BYTES = 16 * 1024 * 1024;
/** JSON lines are handed to the kernel once this much has gathered (about 16 request lines)... */
const LOG_WRITE_BYTES = 4096;
/** ...or this often, whichever comes first: a line is out within this time however quiet the server is. */
export const LOG_FLUSH_MS = 200;

/**
 * pino's ISO time, made once a second: the part up to the seconds is kept and only the milliseconds are added per
 * line (pino's own builds a Date and its ISO string per line: a request's line cost 4.8 µs with it, 3.9-4.2 without).
 * Same text as toISOString.
 */
export function createIsoTime(now: () => number = Date.now): () => string {
  let second = Number.NaN;
  let prefix = "";
  return () => {
    const ms = now();
    const thisSecond = Math.floor(ms / 1000);
    if (thisSecond !== second) {
      second = thisSecond;
      prefix = new Date(thisSecond * 1000).toISOString().slice(0, 20);
    }
    const millis = ms - thisSecond * 1000;
    return `,"time":"${prefix}${millis < 10 ? "00" : millis < 100 ? "0" : ""}${millis}Z"`;
  };
}

function createLogger(): Logger {
  dropOutputToClosedPipes();
  const { LOG_LEVEL: level, LOG_FORMAT: format } = observabilityEnv();
  const isPretty = format === "pretty" || (format === "auto" && process.stdout.isTTY === true);
  const options = { level, base: { pid: process.pid }, timestamp: createIsoTime() };
  // JSON lines are written asynchronously and together: one write per 4 KB of lines, or every 200 ms, rather than
  // one per request (a synchronous write per request cost ~30 µs of the event loop's time under load; an asynchronous
  // write per line 60 µs of CPU a line over not logging, all threads counted, against 35 µs now). pino flushes what is
  // left synchronously when the process exits, so a line logged just before exit is not lost. A terminal gets
  // synchronous pretty lines.
  const destination = isPretty
    ? pretty({ colorize: true, sync: true, translateTime: "SYS:HH:MM:ss.l", ignore: "pid" })
    : pino.destination({ dest: 1, sync: false, minLength: LOG_WRITE_BYTES, periodicFlush: LOG_FLUSH_MS, maxLength: MAX_BUFFERED_LOG_BYTES });
  destination.on("error", () => undefined);
  return pino(options, destination);
}

/** This bundle's reference to the process's logger (one lookup per bundle, not one per line). */
let processLogger: Logger | undefined;

export function logger(): Logger {
  return (processLogger ??= processSingleton("logger", createLogger));
}
