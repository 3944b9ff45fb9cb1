// The API's hot path never waits on a stalled database for long: its queries race a short deadline, and a database
// that fails or does not answer in time becomes a 503 in OpenAI's shape (the client retries), never a hang or a 500.
import { isRefusal, refusal } from "./refusals";
import { messageOf } from "@/lib/errors";

export const HOT_PATH_DEADLINE_MS = 2_000;

export async function withDatabaseDeadline<T>(work: Promise<T>, ms = HOT_PATH_DEADLINE_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(refusal("service_unavailable", { detail: "the database did not answer in time" })), ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } catch (error) {
    if (isRefusal(error)) throw error;
    console.error("[gateway] database call failed:", messageOf(error));
    throw refusal("service_unavailable", { detail: "the database is unavailable" });
  } finally {
    clearTimeout(timer);
    // A late failure of the raced work must not surface as an unhandled rejection.
    work.catch(() => undefined);
  }
}
