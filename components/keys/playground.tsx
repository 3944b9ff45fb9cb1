"use client";

import { useEffect, useRef, useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";

export const PLAYGROUND_STORAGE_KEY = "gatehouse.playground.key";
const DEFAULT_MODEL = "gatehouse-ngram";
const PREFERRED_MAX_TOKENS = 128;

/** What the page knows of the user's usable keys: secrets are never stored, so a pasted key is matched by prefix. */
export interface PlaygroundKey {
  prefix: string;
  name: string;
  maxCompletionTokens: number;
}

/** The keys a pasted secret may be (display prefixes are short, so more than one can match). */
function keysMatching(keys: PlaygroundKey[], secret: string): PlaygroundKey[] {
  return secret ? keys.filter((key) => secret.startsWith(key.prefix)) : [];
}

/** A max-tokens default every candidate key accepts: 128, or less when a key's scopes allow less. */
function defaultMaxTokens(candidates: PlaygroundKey[]): number {
  return Math.min(PREFERRED_MAX_TOKENS, ...candidates.map((key) => key.maxCompletionTokens));
}

/** OpenAI's error shape first; anything else (an HTML 404, a proxy page) becomes a plain status line. */
async function errorMessageOf(response: Response): Promise<string> {
  const text = await response.text().catch(() => "");
  try {
    const body: unknown = JSON.parse(text);
    if (body && typeof body === "object" && "error" in body) {
      const error = (body as { error: unknown }).error;
      if (error && typeof error === "object" && "message" in error && typeof error.message === "string") return error.message;
    }
  } catch {
    // Not JSON: fall through to the status line.
  }
  return `The API answered ${response.status}${response.statusText ? ` ${response.statusText}` : ""}.`;
}

interface StreamChunk {
  choices?: { delta?: { content?: string | null }; finish_reason?: string | null }[];
  error?: { message?: string };
}

const inputClass = "block w-full rounded-md border-0 px-3 py-2 text-sm ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-indigo-600";

/** Calls the API from the browser with a pasted key; the key stays in this tab (memory and sessionStorage). */
export function Playground({ keys }: { keys: PlaygroundKey[] }) {
  const keyRef = useRef<HTMLInputElement>(null);
  // Before a key is pasted, the default suits every key the user has; once it is known, that key's own limit.
  const [matched, setMatched] = useState<PlaygroundKey[]>([]);
  const [maxTokens, setMaxTokens] = useState(() => String(defaultMaxTokens(keys)));
  const limit = matched.length > 0 ? Math.min(...matched.map((key) => key.maxCompletionTokens)) : null;
  const abortRef = useRef<AbortController | null>(null);
  const [models, setModels] = useState<string[]>([]);
  const [model, setModel] = useState(DEFAULT_MODEL);
  const [output, setOutput] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [info, setInfo] = useState<string | null>(null);
  const [isBusy, setIsBusy] = useState(false);

  function applyKeyScopes(secret: string) {
    const candidates = keysMatching(keys, secret.trim());
    setMatched(candidates);
    setMaxTokens(String(defaultMaxTokens(candidates.length > 0 ? candidates : keys)));
  }

  useEffect(() => {
    const stored = window.sessionStorage.getItem(PLAYGROUND_STORAGE_KEY);
    if (stored && keyRef.current) {
      keyRef.current.value = stored;
      applyKeyScopes(stored);
    }
    // Only on mount: later changes go through the key input's onChange.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  function currentKey(): string | null {
    const key = keyRef.current?.value.trim() ?? "";
    if (!key) {
      setError("Paste one of your API key secrets first (it starts with gk_dev_ or gk_live_).");
      return null;
    }
    window.sessionStorage.setItem(PLAYGROUND_STORAGE_KEY, key);
    return key;
  }

  async function loadModels() {
    setError(null);
    setInfo(null);
    const key = currentKey();
    if (!key) return;
    setIsBusy(true);
    try {
      const response = await fetch("/v1/models", { headers: { Authorization: `Bearer ${key}` } });
      if (!response.ok) {
        setError(await errorMessageOf(response));
        return;
      }
      const body = (await response.json()) as { data?: { id: string }[] };
      const ids = (body.data ?? []).map((entry) => entry.id);
      setModels(ids);
      if (ids.length > 0 && !ids.includes(model)) setModel(ids[0] ?? DEFAULT_MODEL);
      setInfo(ids.length === 0 ? "This key may use no models." : `This key may use ${ids.length} model${ids.length === 1 ? "" : "s"}.`);
    } catch {
      setError("Could not reach the API. Check your connection and try again.");
    } finally {
      setIsBusy(false);
    }
  }

  function forgetKey() {
    window.sessionStorage.removeItem(PLAYGROUND_STORAGE_KEY);
    if (keyRef.current) keyRef.current.value = "";
    applyKeyScopes("");
    setModels([]);
    setInfo("The key is forgotten in this tab.");
  }

  async function send(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setError(null);
    setInfo(null);
    const key = currentKey();
    if (!key) return;
    const form = new FormData(event.currentTarget);
    const text = (name: string) => String(form.get(name) ?? "").trim();
    const messages = [
      ...(text("system") ? [{ role: "system", content: text("system") }] : []),
      { role: "user", content: text("prompt") },
    ];
    if (!text("prompt")) {
      setError("Write a message to send.");
      return;
    }
    const stop = text("stop")
      .split(",")
      .map((entry) => entry.trim())
      .filter(Boolean)
      .slice(0, 4);
    const body = {
      model,
      messages,
      stream: true,
      temperature: Number(text("temperature") || "1"),
      max_tokens: Number(text("maxTokens") || String(defaultMaxTokens(matched.length > 0 ? matched : keys))),
      ...(stop.length > 0 ? { stop } : {}),
      ...(text("seed") ? { seed: Number(text("seed")) } : {}),
    };
    const controller = new AbortController();
    abortRef.current = controller;
    setOutput("");
    setIsBusy(true);
    try {
      const response = await fetch("/v1/chat/completions", {
        method: "POST",
        headers: { Authorization: `Bearer ${key}`, "Content-Type": "application/json" },
        body: JSON.stringify(body),
        signal: controller.signal,
      });
      if (!response.ok || !response.body) {
        setError(await errorMessageOf(response));
        return;
      }
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = "";
      let finish: string | null = null;
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        const events = buffer.split(/\r?\n\r?\n/);
        buffer = events.pop() ?? "";
        for (const rawEvent of events) {
          for (const line of rawEvent.split(/\r?\n/)) {
            if (!line.startsWith("data:")) continue;
            const data = line.slice(5).trim();
            if (data === "[DONE]") continue;
            const chunk = JSON.parse(data) as StreamChunk;
            if (chunk.error) {
              setError(chunk.error.message ?? "The stream ended with an error.");
              continue;
            }
            const choice = chunk.choices?.[0];
            const delta = choice?.delta?.content;
            if (delta) setOutput((previous) => previous + delta);
            if (choice?.finish_reason) finish = choice.finish_reason;
          }
        }
      }
      setInfo(finish ? `Finished: ${finish}.` : "Finished.");
    } catch (caught) {
      if (caught instanceof DOMException && caught.name === "AbortError") setInfo("Stopped.");
      else setError("The request failed before the answer finished. Try again.");
    } finally {
      abortRef.current = null;
      setIsBusy(false);
    }
  }

  return (
    <div className="space-y-4">
      <div className="space-y-1">
        <label htmlFor="playground-key" className="block text-sm font-medium text-slate-800">
          API key secret
        </label>
        <div className="flex flex-wrap gap-2">
          <input
            id="playground-key"
            ref={keyRef}
            type="password"
            autoComplete="off"
            spellCheck={false}
            placeholder="gk_dev_…"
            aria-describedby="playground-key-hint"
            onChange={(event) => applyKeyScopes(event.currentTarget.value)}
            className={`${inputClass} max-w-md font-mono`}
          />
          <Button variant="secondary" onClick={loadModels} disabled={isBusy}>
            Load models
          </Button>
          <Button variant="secondary" onClick={forgetKey}>
            Forget key
          </Button>
        </div>
        <p id="playground-key-hint" className="text-xs text-slate-500">
          Gatehouse never stores secrets, so paste one here. It stays in this browser tab only (session storage) and is sent straight to the API.
        </p>
      </div>
      {/* A value the browser refuses (temperature 3) blocks the send with its own message: the last answer's error goes. */}
      <form method="post" onSubmit={send} onInvalidCapture={() => setError(null)} className="space-y-4">
        <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-5">
          <div className="space-y-1">
            <label htmlFor="playground-model" className="block text-sm font-medium text-slate-800">
              Model
            </label>
            <select id="playground-model" value={model} onChange={(event) => setModel(event.target.value)} className={inputClass}>
              {(models.length > 0 ? models : [DEFAULT_MODEL]).map((id) => (
                <option key={id} value={id}>
                  {id}
                </option>
              ))}
            </select>
          </div>
          <div className="space-y-1">
            <label htmlFor="playground-temperature" className="block text-sm font-medium text-slate-800">
              Temperature
            </label>
            <input id="playground-temperature" name="temperature" type="number" min={0} max={2} step={0.1} defaultValue={1} className={inputClass} />
          </div>
          <div className="space-y-1">
            <label htmlFor="playground-max-tokens" className="block text-sm font-medium text-slate-800">
              Max tokens
            </label>
            <input
              id="playground-max-tokens"
              name="maxTokens"
              type="number"
              min={1}
              max={limit ?? undefined}
              step={1}
              value={maxTokens}
              onChange={(event) => setMaxTokens(event.currentTarget.value)}
              aria-describedby={limit !== null ? "playground-max-tokens-hint" : undefined}
              className={inputClass}
            />
            {limit !== null ? (
              <p id="playground-max-tokens-hint" className="text-xs text-slate-600">
                Up to {limit.toLocaleString("en-US")} for {matched.length === 1 ? `“${matched[0]?.name}”` : "this key"}.
              </p>
            ) : null}
          </div>
          <div className="space-y-1">
            <label htmlFor="playground-stop" className="block text-sm font-medium text-slate-800">
              Stop sequences
            </label>
            <input id="playground-stop" name="stop" placeholder="comma-separated, up to 4" className={inputClass} />
          </div>
          <div className="space-y-1">
            <label htmlFor="playground-seed" className="block text-sm font-medium text-slate-800">
              Seed
            </label>
            <input id="playground-seed" name="seed" type="number" step={1} placeholder="optional" className={inputClass} />
          </div>
        </div>
        <div className="space-y-1">
          <label htmlFor="playground-system" className="block text-sm font-medium text-slate-800">
            System message (optional)
          </label>
          <textarea id="playground-system" name="system" rows={2} className={inputClass} />
        </div>
        <div className="space-y-1">
          <label htmlFor="playground-prompt" className="block text-sm font-medium text-slate-800">
            Message
          </label>
          <textarea id="playground-prompt" name="prompt" rows={4} className={inputClass} defaultValue="Write a short, friendly reply to a customer asking where their order is." />
        </div>
        <div className="flex gap-2">
          <Button type="submit" disabled={isBusy}>
            Send
          </Button>
          <Button variant="secondary" onClick={() => abortRef.current?.abort()} disabled={!isBusy}>
            Stop
          </Button>
        </div>
      </form>
      <div aria-live="polite" className="space-y-2">
        {error ? (
          <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 ring-1 ring-red-200" data-testid="playground-error">
            {error}
          </p>
        ) : null}
        {info ? <p className="text-sm text-slate-600">{info}</p> : null}
      </div>
      <section aria-labelledby="playground-output-title" className="space-y-1">
        <h2 id="playground-output-title" className="text-sm font-medium text-slate-800">
          Response
        </h2>
        <pre data-testid="playground-output" aria-busy={isBusy} className="min-h-24 whitespace-pre-wrap rounded-md bg-slate-900 p-4 text-sm text-slate-100">
          {output || (isBusy ? "…" : "The streamed answer appears here.")}
        </pre>
      </section>
    </div>
  );
}
