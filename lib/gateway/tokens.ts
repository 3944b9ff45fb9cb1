// Token counts as OpenAI reports them, with gpt-tokenizer's o200k encoding.
import { countTokens, decode, encode } from "gpt-tokenizer";

export { countTokens };

/** OpenAI's chat accounting: each message costs its content plus 3, and the reply is primed with 3 more. */
export function countChatTokens(messages: readonly { role: string; content: string }[]): number {
  return messages.reduce((sum, message) => sum + countTokens(message.content) + 3, 3);
}

/** The longest prefix of `text` with at most `maxTokens` tokens. */
export function truncateToTokens(text: string, maxTokens: number): { text: string; isTruncated: boolean } {
  const tokens = encode(text);
  if (tokens.length <= maxTokens) return { text, isTruncated: false };
  return { text: decode(tokens.slice(0, maxTokens)), isTruncated: true };
}
