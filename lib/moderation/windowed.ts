// Long texts are classified in overlapping windows, yielding the event loop between them: the classifier costs
// about 4 µs a character, so a 600 KB prompt classified at once would stall every other request for seconds.
// A text up to WINDOW_CHARS long is classified whole, exactly as `moderate`; a longer one gets, per category, its
// highest score in any window (the overlap keeps a phrase that straddles two windows whole in one of them).
import { moderate, moderationCategories, type ModerationCategory, type ModerationLevel, type ModerationOutcome } from "./classify";

export const WINDOW_CHARS = 4_000;
const OVERLAP_CHARS = 200;

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

function windowsOf(text: string): string[] {
  const windows: string[] = [];
  for (let start = 0; start < text.length; start += WINDOW_CHARS - OVERLAP_CHARS) {
    let from = start;
    // Never start or end inside a surrogate pair.
    if (/[\uDC00-\uDFFF]/.test(text[from] ?? "")) from -= 1;
    let to = Math.min(text.length, start + WINDOW_CHARS);
    if (/[\uD800-\uDBFF]/.test(text[to - 1] ?? "")) to += 1;
    windows.push(text.slice(Math.max(0, from), to));
    if (to >= text.length) break;
  }
  return windows;
}

export async function moderateLongText(text: string, level: ModerationLevel): Promise<ModerationOutcome> {
  if (text.length <= WINDOW_CHARS) return moderate(text, level);
  let merged: ModerationOutcome | null = null;
  for (const window of windowsOf(text)) {
    const outcome = moderate(window, level);
    // The first window's outcome is copied before merging into it (a clean outcome is shared and frozen).
    if (merged === null) merged = { ...outcome, result: { ...outcome.result, categories: { ...outcome.result.categories }, category_scores: { ...outcome.result.category_scores } } };
    else {
      for (const category of moderationCategories) {
        merged.result.category_scores[category] = Math.max(merged.result.category_scores[category], outcome.result.category_scores[category]);
        merged.result.categories[category] ||= outcome.result.categories[category];
      }
    }
    await yieldToEventLoop();
  }
  if (merged === null) return moderate(text, level);
  const flaggedCategories: ModerationCategory[] = moderationCategories.filter((category) => merged.result.categories[category]);
  merged.result.flagged = flaggedCategories.length > 0;
  return { result: merged.result, flagged: merged.result.flagged, flaggedCategories };
}
