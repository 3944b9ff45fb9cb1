import type { KeyScopes } from "@/lib/keys/scopes";
import { formatUtc } from "@/lib/keys/status";

const endpointNames: Record<KeyScopes["endpoints"][number], string> = {
  "chat.completions": "POST /v1/chat/completions",
  completions: "POST /v1/completions",
  models: "GET /v1/models",
  moderations: "POST /v1/moderations",
};

const filterNames = { off: "Off", standard: "Standard", strict: "Strict" } as const;

const number = (value: number) => value.toLocaleString("en-US");

/** A grant's scopes in words, as the applicant was approved for them. */
export function ScopeSummary({ scopes }: { scopes: KeyScopes | null }) {
  if (!scopes) return <p className="text-sm text-red-700">The scopes of this approval could not be read; contact an administrator.</p>;
  const rows: [string, string][] = [
    ["Models", scopes.models.join(", ")],
    ["Endpoints", scopes.endpoints.map((endpoint) => endpointNames[endpoint]).join(", ")],
    ["Max prompt tokens", number(scopes.maxPromptTokens)],
    ["Max completion tokens", number(scopes.maxCompletionTokens)],
    ["Requests per minute", number(scopes.requestsPerMinute)],
    ["Tokens per minute", number(scopes.tokensPerMinute)],
    ["Monthly token quota", number(scopes.monthlyTokenQuota)],
    [
      "End-user identifier",
      scopes.requireEndUserId
        ? `Required (send \`user\`)${scopes.perEndUserRequestsPerMinute ? `, ${number(scopes.perEndUserRequestsPerMinute)} requests per minute per end user` : ""}`
        : scopes.perEndUserRequestsPerMinute
          ? `Optional; ${number(scopes.perEndUserRequestsPerMinute)} requests per minute per end user when sent`
          : "Not required",
    ],
    ["Allowed topics", scopes.topics.length === 0 ? "Any (no topic restriction)" : scopes.topics.map((topic) => topic.name).join(", ")],
    ["Content filter (input)", filterNames[scopes.inputFilter]],
    ["Content filter (output)", filterNames[scopes.outputFilter]],
    ["Expires", scopes.expiresAt ? formatUtc(new Date(scopes.expiresAt)) : "Never"],
  ];
  return (
    <dl className="grid grid-cols-1 gap-x-6 gap-y-1 text-sm sm:grid-cols-2">
      {rows.map(([term, value]) => (
        <div key={term} className="flex gap-2">
          <dt className="shrink-0 text-slate-500">{term}:</dt>
          <dd className="text-slate-900">{value}</dd>
        </div>
      ))}
    </dl>
  );
}
