import type { Metadata } from "next";
import { CodeSnippets } from "@/components/keys/code-snippets";
import { KeyAreaNav } from "@/components/keys/key-area-nav";
import { Playground, type PlaygroundKey } from "@/components/keys/playground";
import { Card, PageHeader } from "@/components/ui/card";
import { requireArea } from "@/lib/auth/session";
import { serverEnv } from "@/lib/env";
import { listKeysForUser } from "@/lib/keys/queries";

export const metadata: Metadata = { title: "Playground" };

export default async function PlaygroundPage() {
  const actor = await requireArea("applicant", "/applicant/playground");
  const organizations = await listKeysForUser({ actor });
  // Usable keys and their completion limit, so the form's defaults fit the key that is pasted.
  const keys: PlaygroundKey[] = organizations.flatMap((organization) =>
    organization.grants.flatMap(({ scopes, keys: grantKeys }) => {
      if (!scopes) return [];
      const usable = grantKeys.filter((key) => key.state.status === "active" || key.state.status === "grace");
      return usable.map((key) => ({ prefix: key.prefix, name: key.name, maxCompletionTokens: scopes.maxCompletionTokens }));
    }),
  );
  // The launcher always sets NEXTAUTH_URL; the fallback only matters for a bare `next start`.
  const appUrl = (serverEnv().NEXTAUTH_URL ?? "http://localhost:3000").replace(/\/+$/, "");
  return (
    <div>
      <PageHeader title="Playground" description="Try the API with one of your keys; answers stream in as they are generated." />
      <KeyAreaNav current="/applicant/playground" />
      <div className="space-y-6">
        <Card>
          <Playground keys={keys} />
        </Card>
        <Card title="Use it from code">
          <CodeSnippets baseUrl={`${appUrl}/v1`} model="gatehouse-ngram" />
        </Card>
      </div>
    </div>
  );
}
