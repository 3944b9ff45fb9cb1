// Step 4: with topics set, a request must mention a keyword or phrase of one of them (case-insensitive, whole words).
import type { Topic } from "@/lib/keys/scopes";
import { ApiError } from "./errors";

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** A keyword or phrase as a whole-word pattern; the words of a phrase may be separated by any whitespace. */
function keywordPattern(keyword: string): RegExp {
  const words = keyword.trim().split(/\s+/).map(escapeRegExp).join("\\s+");
  return new RegExp(`(?<![\\p{L}\\p{N}])${words}(?![\\p{L}\\p{N}])`, "iu");
}

export function matchedTopic(text: string, topics: readonly Topic[]): string | null {
  for (const topic of topics) {
    if (topic.keywords.some((keyword) => keywordPattern(keyword).test(text))) return topic.name;
  }
  return null;
}

export function isOnTopic(text: string, topics: readonly Topic[]): boolean {
  return topics.length === 0 || matchedTopic(text, topics) !== null;
}

export function checkTopic(text: string, topics: readonly Topic[]): void {
  if (!isOnTopic(text, topics)) {
    const names = topics.map((topic) => topic.name).join(", ");
    throw new ApiError(400, "invalid_request_error", "off_topic", `This request is outside the topics approved for this key (${names}).`);
  }
}
