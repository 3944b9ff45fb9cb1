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
  const form = { content: initialSnapshot };
  const saver = createDraftSaver({ initialSnapshot, current: () => form.content, onState: (state) => states.push(state) });
  /** Edits the form and queues its save, as a blur does. */
  const edit = (content: string, send: () => Promise<SaveOutcome>, options?: { force?: boolean }) => {
    form.content = content;
    return saver.save(content, send, options);
  };
  return { saver, states, form, edit };
}

describe("createDraftSaver", () => {
  it("does not say saved while a later save is still on its way", async () => {
    const { saver, states, edit } = saverWithLog();
    const first = deferred();
    const second = deferred();
    const sent: string[] = [];
    void edit("name", () => (sent.push("name"), first.promise));
    const all = edit("name+answer", () => (sent.push("name+answer"), second.promise));

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
    const { edit } = saverWithLog();
    const first = deferred();
    let secondStarted = false;
    void edit("a", () => first.promise);
    const all = edit("b", async () => {
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
    const { saver, states, edit } = saverWithLog("loaded");
    let sends = 0;
    const send = async (): Promise<SaveOutcome> => (sends++, { ok: true });
    await edit("loaded", send);
    expect(sends).toBe(0);
    expect(saver.hasUnsaved("loaded")).toBe(false);
    expect(saver.hasUnsaved("edited")).toBe(true);
    await edit("edited", send);
    await edit("edited", send);
    expect(sends).toBe(1);
    await edit("edited", send, { force: true });
    expect(sends).toBe(2);
    expect(states).toEqual(["idle", "saving", "saved", "saved", "saving", "saved"]);
  });

  it("keeps refused content unsaved so the next save sends it again", async () => {
    const { saver, states, edit } = saverWithLog();
    let answer: SaveOutcome = { ok: false, message: "Product name: too long" };
    let sends = 0;
    const send = async () => (sends++, answer);
    await edit("too long", send);
    expect(states.at(-1)).toBe("error");
    expect(saver.hasUnsaved("too long")).toBe(true);
    answer = { ok: true };
    await edit("too long", send);
    expect(sends).toBe(2);
    expect(states.at(-1)).toBe("saved");
  });

  it("reports a network failure as an error and keeps the queue working", async () => {
    const outcomes: (SaveOutcome | undefined)[] = [];
    const saver = createDraftSaver({ initialSnapshot: "", current: () => "a", onState: (_state, outcome) => outcomes.push(outcome) });
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

  it("says unsaved, not saved, when the form changed again while the newest save was on its way", async () => {
    const { states, form, edit } = saverWithLog();
    const first = deferred();
    const done = edit("typed", () => first.promise);
    form.content = "typed, then more";
    first.resolve({ ok: true });
    await done;
    expect(states).toEqual(["saving", "unsaved"]);
    await edit("typed, then more", async () => ({ ok: true }));
    expect(states.at(-1)).toBe("saved");
  });

  it("shows the newest outcome even when an earlier save was refused", async () => {
    const { saver, states, edit } = saverWithLog();
    const first = deferred();
    void edit("bad", () => first.promise);
    const all = edit("fixed", async () => ({ ok: true }));
    first.resolve({ ok: false, message: "refused" });
    await all;
    expect(states).toEqual(["saving", "saving", "saved"]);
    expect(saver.hasUnsaved("fixed")).toBe(false);
  });
});
