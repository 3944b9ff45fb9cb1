import type { Metadata } from "next";
import { CodeSnippets } from "@/components/keys/code-snippets";
import { KeyAreaNav } from "@/components/keys/key-area-nav";
import { Playground } from "@/components/keys/playground";
import { Card, PageHeader } from "@/components/ui/card";
import { requireArea } from "@/lib/auth/session";
import { serverEnv } from "@/lib/env";

export const metadata: Metadata = { title: "Playground" };

export default async function PlaygroundPage() {
  await requireArea("applicant", "/applicant/playground");
  // The launcher always sets NEXTAUTH_URL; the fallback only matters for a bare `next start`.
  const appUrl = (serverEnv().NEXTAUTH_URL ?? "http://localhost:3000").replace(/\/+$/, "");
  return (
    <div>
      <PageHeader title="Playground" description="Try the API with one of your keys; answers stream in as they are generated." />
      <KeyAreaNav current="/applicant/playground" />
      <div className="space-y-6">
        <Card>
          <Playground />
        </Card>
        <Card title="Use it from code">
          <CodeSnippets baseUrl={`${appUrl}/v1`} model="gatehouse-ngram" />
        </Card>
      </div>
    </div>
  );
}
