import { CopyButton } from "./copy-button";

export function snippetsFor(baseUrl: string, model: string) {
  return [
    {
      id: "curl",
      title: "curl",
      code: `curl ${baseUrl}/chat/completions \\
  -H "Authorization: Bearer $GATEHOUSE_API_KEY" \\
  -H "Content-Type: application/json" \\
  -d '{
    "model": "${model}",
    "messages": [{"role": "user", "content": "Hello!"}],
    "stream": true
  }'`,
    },
    {
      id: "js",
      title: "JavaScript (openai SDK)",
      code: `import OpenAI from "openai";

const client = new OpenAI({
  apiKey: process.env.GATEHOUSE_API_KEY,
  baseURL: "${baseUrl}",
});

const stream = await client.chat.completions.create({
  model: "${model}",
  messages: [{ role: "user", content: "Hello!" }],
  stream: true,
});
for await (const chunk of stream) {
  process.stdout.write(chunk.choices[0]?.delta?.content ?? "");
}`,
    },
    {
      id: "python",
      title: "Python (openai SDK)",
      code: `import os
from openai import OpenAI

client = OpenAI(
    api_key=os.environ["GATEHOUSE_API_KEY"],
    base_url="${baseUrl}",
)

stream = client.chat.completions.create(
    model="${model}",
    messages=[{"role": "user", "content": "Hello!"}],
    stream=True,
)
for chunk in stream:
    print(chunk.choices[0].delta.content or "", end="")`,
    },
  ];
}

/** Ready-to-run examples with this install's base URL; the key comes from an environment variable. */
export function CodeSnippets({ baseUrl, model }: { baseUrl: string; model: string }) {
  return (
    <div className="space-y-4">
      <p className="text-sm text-slate-600">
        Base URL: <code className="rounded bg-slate-100 px-1 font-mono" data-testid="api-base-url">{baseUrl}</code>. Set <code className="font-mono">GATEHOUSE_API_KEY</code> to one of your key secrets.
      </p>
      {snippetsFor(baseUrl, model).map((snippet) => (
        <div key={snippet.id} className="space-y-1">
          <div className="flex items-center justify-between">
            <h3 className="text-sm font-semibold text-slate-700">{snippet.title}</h3>
            <CopyButton value={snippet.code} label={`Copy ${snippet.title}`} />
          </div>
          <pre className="overflow-x-auto rounded-md bg-slate-900 p-4 text-xs text-slate-100">
            <code>{snippet.code}</code>
          </pre>
        </div>
      ))}
    </div>
  );
}
