// Step 4: with topics set, a request must mention a keyword or phrase of one of them (case-insensitive, whole words).
// All keywords of a key go into one pattern, so a long prompt is scanned once, not once per keyword.
import type { Topic } from "@/lib/keys/scopes";
import { refuse } from "./refusals";

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** A keyword or phrase as a pattern; the words of a phrase may be separated by any whitespace. */
function keywordSource(keyword: string): string {
  return keyword.trim().split(/\s+/).map(escapeRegExp).join("\\s+");
}

// One pattern per topics list: a key's scopes (and so its topics) are the same object for as long as it is cached.
const patterns = new WeakMap<readonly Topic[], RegExp | null>();

function topicsPattern(topics: readonly Topic[]): RegExp | null {
  let pattern = patterns.get(topics);
  if (pattern === undefined) {
    pattern = buildPattern(topics);
    patterns.set(topics, pattern);
  }
  return pattern;
}

function buildPattern(topics: readonly Topic[]): RegExp | null {
  const sources = topics.flatMap((topic) => topic.keywords.map(keywordSource)).filter((source) => source !== "");
  if (sources.length === 0) return null;
  return new RegExp(`(?<![\\p{L}\\p{N}])(?:${sources.join("|")})(?![\\p{L}\\p{N}])`, "iu");
}

export function matchedTopic(text: string, topics: readonly Topic[]): string | null {
  for (const topic of topics) {
    if (topicsPattern([topic])?.test(text)) return topic.name;
  }
  return null;
}

export function isOnTopic(text: string, topics: readonly Topic[]): boolean {
  return topics.length === 0 || (topicsPattern(topics)?.test(text) ?? false);
}

export function checkTopic(text: string, topics: readonly Topic[]): void {
  if (!isOnTopic(text, topics)) refuse("off_topic", { detail: topics.map((topic) => topic.name).join(", ") });
}
