import { afterEach, describe, expect, it, vi } from "vitest";
import { withDatabaseDeadline } from "./deadline";
import { isRefusal, refusal } from "./refusals";

const codeOf = (error: unknown) => (isRefusal(error) ? error.code : `not a refusal: ${String(error)}`);

describe("withDatabaseDeadline", () => {
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it("answers what the work answers", async () => {
    await expect(withDatabaseDeadline(Promise.resolve(42))).resolves.toBe(42);
  });

  it("passes a refusal through and turns any other failure into service_unavailable", async () => {
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    await expect(withDatabaseDeadline(Promise.reject(refusal("invalid_api_key"))).catch(codeOf)).resolves.toBe("invalid_api_key");
    await expect(withDatabaseDeadline(Promise.reject(new Error("connection refused"))).catch(codeOf)).resolves.toBe("service_unavailable");
  });

  it("refuses with service_unavailable when the work is not done in time, and ignores its late outcome", async () => {
    vi.useFakeTimers();
    const logged = vi.spyOn(console, "error").mockImplementation(() => undefined);
    let fail: (error: Error) => void = () => undefined;
    const work = new Promise<number>((_, reject) => (fail = reject));
    const answer = withDatabaseDeadline(work, 50).catch(codeOf);
    await vi.advanceTimersByTimeAsync(49);
    let isSettled = false;
    void answer.then(() => (isSettled = true));
    await Promise.resolve();
    expect(isSettled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await expect(answer).resolves.toBe("service_unavailable");
    // A failure after the deadline is neither logged nor an unhandled rejection.
    fail(new Error("late"));
    await vi.advanceTimersByTimeAsync(10);
    expect(logged).not.toHaveBeenCalled();
  });
});
