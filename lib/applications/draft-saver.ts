// The application form's autosave queue, kept free of React so its ordering can be tested on its own. Saves run one
// after another; only the newest save's outcome is shown, so "Draft saved" never appears while a later edit is still
// on its way (an earlier save finishing first used to say "saved" while the newest answer was not, and a reload lost it).

import type { FieldErrors } from "@/lib/errors";

export type SaveState = "idle" | "unsaved" | "saving" | "saved" | "error";
export type SaveOutcome = { ok: true } | { ok: false; message: string; fieldErrors?: FieldErrors };

export interface DraftSaver {
  /** Queues a save of the form whose serialised content is `snapshot`, unless that content is already saved or queued
   * (`force` saves anyway). Resolves when every save queued so far has finished; never rejects. */
  save(snapshot: string, send: () => Promise<SaveOutcome>, options?: { force?: boolean }): Promise<void>;
  /** Resolves when every save queued so far has finished. */
  settled(): Promise<void>;
  /** True while a save is under way or `snapshot` differs from the last content sent (or that content failed to save). */
  hasUnsaved(snapshot: string): boolean;
}

export function createDraftSaver({
  initialSnapshot,
  current,
  onState,
}: {
  /** The content as the page loaded it: already saved. */
  initialSnapshot: string;
  /** The form's content now: a save that finishes after further edits reports "unsaved", not "saved". */
  current: () => string;
  /** Called with "saving" when a save is queued, with the newest save's outcome once it finishes, and with the current
   * state when a save is skipped because nothing changed (the form may have shown "unsaved" meanwhile). */
  onState: (state: SaveState, outcome?: SaveOutcome) => void;
}): DraftSaver {
  let lastSent = initialSnapshot;
  let queue: Promise<void> = Promise.resolve();
  let queued = 0;
  let newest = 0;
  let settledState: "idle" | "saved" | "error" = "idle";

  return {
    save(snapshot, send, { force = false } = {}) {
      if (!force && snapshot === lastSent) {
        onState(queued > 0 ? "saving" : settledState);
        return queue;
      }
      lastSent = snapshot;
      const sequence = ++newest;
      queued += 1;
      onState("saving");
      queue = queue.then(async () => {
        let outcome: SaveOutcome;
        try {
          outcome = await send();
        } catch {
          outcome = { ok: false, message: "the server could not be reached. Your answers are still here; try again." };
        }
        queued -= 1;
        if (sequence !== newest) return;
        // A failed save leaves its content unsaved, so the next blur or edit sends it again.
        if (!outcome.ok) lastSent = "";
        settledState = outcome.ok ? "saved" : "error";
        onState(outcome.ok && current() !== lastSent ? "unsaved" : settledState, outcome);
      });
      return queue;
    },
    settled: () => queue,
    hasUnsaved: (snapshot) => queued > 0 || snapshot !== lastSent,
  };
}
