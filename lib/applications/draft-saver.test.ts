import { describe, expect, it } from "vitest";
import { createDraftSaver, type SaveOutcome, type SaveState } from "./draft-saver";

function deferred() {
  let resolve!: (outcome: SaveOutcome) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<SaveOutcome>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

function saverWithLog(initialSnapshot = "loaded") {
  const states: SaveState[] = [];
  const saver = createDraftSaver({ initialSnapshot, onState: (state) => states.push(state) });
  return { saver, states };
}

describe("createDraftSaver", () => {
  it("does not say saved while a later save is still on its way", async () => {
    const { saver, states } = saverWithLog();
    const first = deferred();
    const second = deferred();
    const sent: string[] = [];
    void saver.save("name", () => (sent.push("name"), first.promise));
    const all = saver.save("name+answer", () => (sent.push("name+answer"), second.promise));

    first.resolve({ ok: true });
    await Promise.resolve();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(sent).toEqual(["name", "name+answer"]);
    expect(states).toEqual(["saving", "saving"]);
    expect(saver.hasUnsaved("name+answer")).toBe(true);

    second.resolve({ ok: true });
    await all;
    expect(states).toEqual(["saving", "saving", "saved"]);
    expect(saver.hasUnsaved("name+answer")).toBe(false);
  });

  it("runs saves one after another, never two at once", async () => {
    const { saver } = saverWithLog();
    const first = deferred();
    let secondStarted = false;
    void saver.save("a", () => first.promise);
    const all = saver.save("b", async () => {
      secondStarted = true;
      return { ok: true };
    });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(secondStarted).toBe(false);
    first.resolve({ ok: true });
    await all;
    expect(secondStarted).toBe(true);
  });

  it("skips content that is already saved or queued unless forced", async () => {
    const { saver, states } = saverWithLog("loaded");
    let sends = 0;
    const send = async (): Promise<SaveOutcome> => (sends++, { ok: true });
    await saver.save("loaded", send);
    expect(sends).toBe(0);
    expect(saver.hasUnsaved("loaded")).toBe(false);
    expect(saver.hasUnsaved("edited")).toBe(true);
    await saver.save("edited", send);
    await saver.save("edited", send);
    expect(sends).toBe(1);
    await saver.save("edited", send, { force: true });
    expect(sends).toBe(2);
    expect(states).toEqual(["idle", "saving", "saved", "saved", "saving", "saved"]);
  });

  it("keeps refused content unsaved so the next save sends it again", async () => {
    const { saver, states } = saverWithLog();
    let answer: SaveOutcome = { ok: false, message: "Product name: too long" };
    let sends = 0;
    const send = async () => (sends++, answer);
    await saver.save("too long", send);
    expect(states.at(-1)).toBe("error");
    expect(saver.hasUnsaved("too long")).toBe(true);
    answer = { ok: true };
    await saver.save("too long", send);
    expect(sends).toBe(2);
    expect(states.at(-1)).toBe("saved");
  });

  it("reports a network failure as an error and keeps the queue working", async () => {
    const outcomes: (SaveOutcome | undefined)[] = [];
    const saver = createDraftSaver({ initialSnapshot: "", onState: (_state, outcome) => outcomes.push(outcome) });
    const failing = deferred();
    const done = saver.save("a", () => failing.promise);
    failing.reject(new Error("Failed to fetch"));
    await expect(done).resolves.toBeUndefined();
    expect(outcomes.at(-1)).toMatchObject({ ok: false, message: expect.stringContaining("could not be reached") });
    expect(saver.hasUnsaved("a")).toBe(true);

    await saver.save("a", async () => ({ ok: true }));
    expect(outcomes.at(-1)).toEqual({ ok: true });
    expect(saver.hasUnsaved("a")).toBe(false);
  });

  it("shows the newest outcome even when an earlier save was refused", async () => {
    const { saver, states } = saverWithLog();
    const first = deferred();
    void saver.save("bad", () => first.promise);
    const all = saver.save("fixed", async () => ({ ok: true }));
    first.resolve({ ok: false, message: "refused" });
    await all;
    expect(states).toEqual(["saving", "saving", "saved"]);
    expect(saver.hasUnsaved("fixed")).toBe(false);
  });
});
