// The API's hot path never waits on a stalled database for long: its queries race a short deadline, and a database
// that fails or does not answer in time becomes a 503 in OpenAI's shape (the client retries), never a hang or a 500.
import { isRefusal, refusal } from "./refusals";
import { messageOf } from "@/lib/errors";
import { logSparingly } from "@/lib/log/sparing";

export const HOT_PATH_DEADLINE_MS = 2_000;

/** `work`, or a 503 refusal when it fails or has not settled within `ms` (a late outcome is then ignored). */
export function withDatabaseDeadline<T>(work: Promise<T>, ms = HOT_PATH_DEADLINE_MS): Promise<T> {
  // One promise and one timer per call, no race of two promises: this runs on every request (admission).
  return new Promise<T>((resolve, reject) => {
    let isLate = false;
    const timer = setTimeout(() => {
      isLate = true;
      reject(refusal("service_unavailable", { detail: "the database did not answer in time" }));
    }, ms);
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        if (isLate) return;
        if (isRefusal(error)) return reject(error);
        logSparingly("database-call", `[gateway] database call failed: ${messageOf(error)}`);
        reject(refusal("service_unavailable", { detail: "the database is unavailable" }));
      },
    );
  });
}
