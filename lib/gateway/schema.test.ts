import type { z } from "zod";
import { describe, expect, it } from "vitest";
import { parseWith } from "./pipeline";
import { isRefusal, viewOf } from "./refusals";
import { isCleanText } from "@/lib/validation";
import {
  chatCompletionRequestSchema,
  completionRequestSchema,
  MAX_CONTENT_PARTS,
  MAX_END_USER_CHARS,
  MAX_MESSAGES,
  MAX_MODEL_CHARS,
  MAX_MODERATION_INPUTS,
  MAX_NAME_CHARS,
  MAX_STOP_CHARS,
  MAX_TEXT_CHARS,
  moderationRequestSchema,
} from "./schema";

type Path = readonly (string | number)[];

const chat = {
  model: "gatehouse-ngram",
  messages: [
    { role: "system", content: "Be brief.", name: "setup" },
    { role: "user", content: [{ type: "text", text: "Hello" }, { type: "text", text: "there" }] },
  ],
  stop: ["a", "b", "c"],
  user: "user-1",
  safety_identifier: "end-user-1",
};
const completion = { model: "gatehouse-ngram", prompt: ["Once upon a time"], suffix: "The end.", stop: "\n\n", user: "user-1", safety_identifier: "end-user-1" };
const moderation = { input: ["one", "two", "three", "four"], model: "omni-moderation-latest" };

/** Every client-supplied string of every body, with the param OpenAI would name and its bound. */
const fields: { name: string; schema: z.ZodType; body: object; path: Path; param: string; max: number }[] = [
  { name: "chat", schema: chatCompletionRequestSchema, body: chat, path: ["model"], param: "model", max: MAX_MODEL_CHARS },
  { name: "chat", schema: chatCompletionRequestSchema, body: chat, path: ["messages", 0, "content"], param: "messages[0].content", max: MAX_TEXT_CHARS },
  { name: "chat", schema: chatCompletionRequestSchema, body: chat, path: ["messages", 1, "content", 1, "text"], param: "messages[1].content[1].text", max: MAX_TEXT_CHARS },
  { name: "chat", schema: chatCompletionRequestSchema, body: chat, path: ["messages", 0, "name"], param: "messages[0].name", max: MAX_NAME_CHARS },
  { name: "chat", schema: chatCompletionRequestSchema, body: chat, path: ["stop", 2], param: "stop[2]", max: MAX_STOP_CHARS },
  { name: "chat", schema: chatCompletionRequestSchema, body: chat, path: ["user"], param: "user", max: MAX_END_USER_CHARS },
  { name: "chat", schema: chatCompletionRequestSchema, body: chat, path: ["safety_identifier"], param: "safety_identifier", max: MAX_END_USER_CHARS },
  { name: "completions", schema: completionRequestSchema, body: completion, path: ["model"], param: "model", max: MAX_MODEL_CHARS },
  { name: "completions", schema: completionRequestSchema, body: completion, path: ["prompt", 0], param: "prompt[0]", max: MAX_TEXT_CHARS },
  { name: "completions", schema: completionRequestSchema, body: { ...completion, prompt: "Once" }, path: ["prompt"], param: "prompt", max: MAX_TEXT_CHARS },
  { name: "completions", schema: completionRequestSchema, body: completion, path: ["suffix"], param: "suffix", max: MAX_TEXT_CHARS },
  { name: "completions", schema: completionRequestSchema, body: completion, path: ["stop"], param: "stop", max: MAX_STOP_CHARS },
  { name: "completions", schema: completionRequestSchema, body: completion, path: ["user"], param: "user", max: MAX_END_USER_CHARS },
  { name: "completions", schema: completionRequestSchema, body: completion, path: ["safety_identifier"], param: "safety_identifier", max: MAX_END_USER_CHARS },
  { name: "moderations", schema: moderationRequestSchema, body: moderation, path: ["input", 3], param: "input[3]", max: MAX_TEXT_CHARS },
  { name: "moderations", schema: moderationRequestSchema, body: { ...moderation, input: "one" }, path: ["input"], param: "input", max: MAX_TEXT_CHARS },
  { name: "moderations", schema: moderationRequestSchema, body: moderation, path: ["model"], param: "model", max: MAX_MODEL_CHARS },
];

function withValue(body: object, path: Path, value: unknown): unknown {
  const copy = structuredClone(body) as Record<string | number, unknown>;
  let target = copy;
  path.slice(0, -1).forEach((part) => (target = target[part] as Record<string | number, unknown>));
  target[path[path.length - 1] ?? ""] = value;
  return copy;
}

/** What the client sees when the pipeline parses `body` with `schema`. */
function refusedAs(schema: z.ZodType, body: unknown) {
  try {
    parseWith(schema, body);
  } catch (error) {
    if (!isRefusal(error)) throw error;
    return viewOf(error, "req_schema");
  }
  throw new Error("expected the body to be refused");
}

const hostile = {
  "a NUL byte": "before\u0000after",
  "a lone high surrogate": "emoji cut in half \uD83D",
  "a lone low surrogate": "\uDE00 at the start",
  "a reversed surrogate pair": "\uDE00\uD83D",
};

describe("request bodies", () => {
  it("accept the example bodies as they are", () => {
    expect(chatCompletionRequestSchema.safeParse(chat).success).toBe(true);
    expect(completionRequestSchema.safeParse(completion).success).toBe(true);
    expect(moderationRequestSchema.safeParse(moderation).success).toBe(true);
  });

  for (const field of fields) {
    describe(`${field.name} ${field.param}`, () => {
      for (const [label, value] of Object.entries(hostile)) {
        it(`refuses ${label} with a 400 naming the param`, () => {
          const view = refusedAs(field.schema, withValue(field.body, field.path, value));
          expect(view).toMatchObject({ status: 400, code: "invalid_value", body: { error: { type: "invalid_request_error", param: field.param } } });
          expect(view.body.error.message).toContain("NUL");
        });
      }

      it(`refuses more than ${field.max} characters without echoing them, and accepts exactly ${field.max}`, () => {
        const view = refusedAs(field.schema, withValue(field.body, field.path, "x".repeat(field.max + 1)));
        expect(view).toMatchObject({ status: 400, code: "invalid_value", body: { error: { param: field.param } } });
        expect(view.body.error.message).toContain(`at most ${field.max} characters`);
        expect(view.body.error.message.length).toBeLessThan(200);
        expect(field.schema.safeParse(withValue(field.body, field.path, "x".repeat(field.max))).success).toBe(true);
      });

      it("accepts well-formed text beyond ASCII: emoji pairs, CJK, accents", () => {
        expect(field.schema.safeParse(withValue(field.body, field.path, "Olá 你好 👩‍💻🇯🇵 e\u0301")).success).toBe(true);
      });
    });
  }

  it("bound the number of messages, content parts, stop sequences and moderation inputs", () => {
    const message = { role: "user", content: "hi" };
    expect(refusedAs(chatCompletionRequestSchema, { ...chat, messages: Array.from({ length: MAX_MESSAGES + 1 }, () => message) }).body.error.param).toBe("messages");
    expect(chatCompletionRequestSchema.safeParse({ ...chat, messages: Array.from({ length: MAX_MESSAGES }, () => message) }).success).toBe(true);
    const parts = Array.from({ length: MAX_CONTENT_PARTS + 1 }, () => ({ type: "text", text: "x" }));
    expect(refusedAs(chatCompletionRequestSchema, { ...chat, messages: [{ role: "user", content: parts }] }).body.error.param).toBe("messages[0].content");
    expect(refusedAs(chatCompletionRequestSchema, { ...chat, stop: ["a", "b", "c", "d", "e"] }).body.error.param).toBe("stop");
    expect(refusedAs(moderationRequestSchema, { input: Array.from({ length: MAX_MODERATION_INPUTS + 1 }, () => "x") }).body.error.param).toBe("input");
  });

  it("say why a value that may take several shapes was refused, not just that it was", () => {
    const reason = (schema: z.ZodType, body: object) => refusedAs(schema, body).body.error;
    expect(reason(chatCompletionRequestSchema, { ...chat, stop: ["a", "b", "c", "d", "e"] }).message).toContain("At most 4 stop sequences");
    const image = { role: "user", content: [{ type: "image_url", image_url: { url: "https://example.com/a.png" } }] };
    expect(reason(chatCompletionRequestSchema, { ...chat, messages: [image] })).toMatchObject({ param: "messages[0].content[0].type", message: expect.stringContaining('Only text content parts') });
    const tooMany = Array.from({ length: MAX_MODERATION_INPUTS + 1 }, () => "x");
    expect(reason(moderationRequestSchema, { input: tooMany }).message).toContain(`At most ${MAX_MODERATION_INPUTS} inputs`);
    expect(reason(moderationRequestSchema, { input: [{ type: "image_url", image_url: { url: "x" } }] })).toMatchObject({ param: "input[0].type", message: expect.stringContaining("Only text inputs") });
    expect(reason(moderationRequestSchema, { input: 5 }).message).toContain("a string, a list of strings or a list of text parts");
  });

  it("refuse too many messages for their number before reading any of them", () => {
    // 65,000 messages that are not even objects: had each been read, the first refusal would name messages[0].
    const messages = Array.from({ length: 65_000 }, () => 0);
    const view = refusedAs(chatCompletionRequestSchema, { ...chat, messages });
    expect(view.body.error).toMatchObject({ param: "messages", message: expect.stringContaining(`At most ${MAX_MESSAGES} messages`) });
  });

  it("accept OpenAI's text parts as one moderation input, and top_p from 0 to 1", () => {
    expect(moderationRequestSchema.parse({ input: [{ type: "text", text: "hello" }, { type: "text", text: "world" }] }).input).toEqual(["hello\nworld"]);
    expect(chatCompletionRequestSchema.safeParse({ ...chat, top_p: 0 }).success).toBe(true);
    expect(refusedAs(chatCompletionRequestSchema, { ...chat, top_p: 1.5 }).body.error.param).toBe("top_p");
  });

  it("name a missing required parameter and a value of the wrong type", () => {
    expect(refusedAs(chatCompletionRequestSchema, { messages: chat.messages })).toMatchObject({ code: "missing_required_parameter", body: { error: { param: "model" } } });
    expect(refusedAs(completionRequestSchema, { ...completion, suffix: 42 })).toMatchObject({ code: "invalid_value", body: { error: { param: "suffix" } } });
  });
});

describe("isCleanText", () => {
  it("is false for NUL and unpaired surrogates, true for any well-formed text", () => {
    for (const value of Object.values(hostile)) expect(isCleanText(value)).toBe(false);
    for (const value of ["", "plain", "tab\tand\nnewline", "😀", "\uD83D\uDE00", "\u00a0\u200b\uFFFD"]) expect(isCleanText(value)).toBe(true);
  });
});
