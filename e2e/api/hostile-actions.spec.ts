// Hostile posts to every server action of the production build: prototype keys, oversize fields, wrong types and
// missing fields are refused with a form error (never a 5xx or a stack trace), cross-origin posts are a 403, and
// the server stays healthy. Actions are found in the build's server-reference manifest, so a new action is covered
// (or fails the "every action has a role" check) without editing this file.
import { readFileSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import { expect, request as playwrightRequest, test, type APIRequestContext, type APIResponse } from "@playwright/test";
import type { Role } from "../../lib/users/schema";
import { demoAccount } from "../accounts";

interface ServerAction {
  id: string;
  name: string;
  file: string;
  /** The route group (e.g. "(admin)") of the page below. */
  group: string;
  /** A page whose bundle holds the action: actions are posted to a page, as the browser does. */
  page: string;
}

type Field = [name: string, value: string | Blob];

/** The app's server actions (lib/actions/), from the manifest of the build that `npm start` serves. */
function serverActions(): ServerAction[] {
  const manifestPath = path.join(process.cwd(), process.env.NEXT_DIST_DIR || ".next", "server", "server-reference-manifest.json");
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as { node: Record<string, { workers: Record<string, unknown>; filename: string; exportedName: string }> };
  return Object.entries(manifest.node)
    .filter(([, entry]) => !entry.filename.includes("node_modules"))
    .map(([id, entry]) => {
      const worker = Object.keys(entry.workers)[0] ?? "";
      return { id, name: entry.exportedName, file: entry.filename, group: /^app\/(\([^)]+\))\//.exec(worker)?.[1] ?? "", page: pagePath(worker) };
    });
}

/** "app/(applicant)/applicant/applications/[id]/edit/page" -> "/applicant/applications/hostile/edit". */
function pagePath(worker: string): string {
  const segments = worker
    .replace(/^app\//, "")
    .replace(/\/?page$/, "")
    .split("/")
    .filter((segment) => segment !== "" && !/^\(.*\)$/.test(segment))
    .map((segment) => (/^\[.*\]$/.test(segment) ? "hostile" : segment));
  return `/${segments.join("/")}`;
}

// Review-page actions only an admin may take: a reviewer would be refused for the role before the input is read.
const adminReviewActions = new Set(["decideApplicationAction", "assignReviewerAction"]);

/** Who may call an action at all (by the area of the page that uses it): hostile input must reach its parsing. */
function roleFor(action: ServerAction): Role | null {
  if (action.group === "(admin)" || adminReviewActions.has(action.name)) return "ADMIN";
  if (action.group === "(review)") return "REVIEWER";
  if (["(applicant)", "(account)", "(public)"].includes(action.group)) return "APPLICANT";
  return null;
}

// Actions that take no input: hostile fields are ignored and the call succeeds.
const inputless = new Set(["markAllNotificationsReadAction"]);

async function signedIn(baseURL: string, role: Role): Promise<APIRequestContext> {
  const context = await playwrightRequest.newContext({ baseURL });
  const account = demoAccount(role);
  const { csrfToken } = (await (await context.get("/api/auth/csrf")).json()) as { csrfToken: string };
  await context.post("/api/auth/callback/credentials", { form: { csrfToken, email: account.email, password: account.password, json: "true" }, maxRedirects: 0 });
  const session = (await (await context.get("/api/auth/session")).json()) as { user?: { email?: string } };
  expect(session.user?.email, `signed in as the demo ${role.toLowerCase()}`).toBe(account.email);
  return context;
}

/**
 * The request React sends for `action(previous, formData)` or `action(formData)`: the form's fields under two
 * references, so whichever argument the action reads is the hostile form.
 */
function actionBody(fields: Field[]): FormData {
  const body = new FormData();
  for (const ref of [1, 2]) for (const [name, value] of fields) body.append(`_${ref}_${name}`, value);
  body.append("0", JSON.stringify(["$K1", "$K2"]));
  return body;
}

async function postAction(context: APIRequestContext, action: ServerAction, body: FormData | string, headers: Record<string, string> = {}): Promise<APIResponse> {
  return context.post(action.page, {
    headers: { "next-action": action.id, accept: "text/x-component", ...headers },
    ...(typeof body === "string" ? { data: body } : { multipart: body }),
    maxRedirects: 0,
  });
}

/** A readable refusal: 2xx with the action's `{ ok: false, message }`, no 5xx, nothing that looks like a stack trace. */
async function expectRefused(response: APIResponse, action: ServerAction): Promise<string | null> {
  const text = await response.text();
  const problems: string[] = [];
  if (response.status() >= 500) problems.push(`status ${response.status()}`);
  if (/\bat .+:\d+:\d+|node_modules|webpack-internal|\bTypeError\b|\bReferenceError\b/.test(text)) problems.push("a stack trace or internal error in the body");
  if (!inputless.has(action.name)) {
    if (!text.includes('"ok":false')) problems.push(`no form error (status ${response.status()}): ${text.slice(0, 300)}`);
    else if (!/"message":"[^"]{5,}"/.test(text)) problems.push(`no readable message: ${text.slice(0, 300)}`);
  }
  return problems.length > 0 ? `${action.name} (${action.page}): ${problems.join("; ")}` : null;
}

// Every field name the app's forms post (and some they don't): hostile payloads fill them all.
const fieldNames = [
  "applicationId", "organizationId", "keyId", "grantId", "userId", "id", "eventId", "notificationId", "invitationId", "reviewerId",
  "replaceReviewerId", "name", "email", "password", "currentPassword", "newPassword", "confirmPassword", "body", "message", "conditions",
  "reason", "productName", "description", "categoryId", "track", "role", "status", "action", "outcome", "direction", "slug", "token",
  "graceHours", "answers.supportedUseCase", "answers.risk.harms", "academic.institution", "risk.note", "scope.topics", "scope.models", "then",
];

const hostilePayloads: Record<string, () => Field[]> = {
  "prototype keys": () => [
    ["__proto__.polluted", "yes"],
    ["constructor.prototype.polluted", "yes"],
    ["answers.__proto__.polluted", "yes"],
    ["__proto__", "yes"],
    ["applicationId", "hostile"],
  ],
  // 40 fields of 12,000 characters, each sent under two references: under the 1 MB action body limit, over every
  // field's own bound (the longest, a message, is 10,000).
  "oversize fields": () => fieldNames.map((name): Field => [name, "x".repeat(12_000)]),
  "wrong types (files and repeated fields where text belongs)": () =>
    fieldNames.flatMap((name): Field[] => [
      [name, new Blob(["not text"], { type: "application/octet-stream" })],
      [name, "second value"],
    ]),
  "missing fields": () => [],
  // PostgreSQL's text cannot hold NUL: ids and text alike must be refused before a query is made.
  "NUL characters in every field": () => fieldNames.map((name): Field => [name, "ab\u0000cd"]),
};

test.describe.configure({ mode: "serial" });

test.describe("hostile posts to every server action", () => {
  let actions: ServerAction[] = [];
  const contexts = new Map<Role, APIRequestContext>();

  test.beforeAll(async ({ baseURL }) => {
    actions = serverActions();
    for (const role of ["ADMIN", "REVIEWER", "APPLICANT"] as const) contexts.set(role, await signedIn(baseURL ?? "", role));
  });

  test.afterAll(async () => {
    for (const context of contexts.values()) await context.dispose();
  });

  function contextFor(action: ServerAction): APIRequestContext {
    const role = roleFor(action);
    const context = role ? contexts.get(role) : undefined;
    if (!context) throw new Error(`no role is mapped to ${action.name} (${action.file}, used by ${action.page})`);
    return context;
  }

  test("every server action of the build is known and mapped to a role that may call it", () => {
    expect(actions.length).toBeGreaterThanOrEqual(39);
    expect(actions.filter((action) => roleFor(action) === null).map((action) => action.name)).toEqual([]);
    expect(actions.map((action) => action.name)).toEqual(expect.arrayContaining(["saveDraftAction", "signUpAction", "decideApplicationAction", "changePasswordAction"]));
  });

  for (const [label, payload] of Object.entries(hostilePayloads)) {
    test(`${label} are refused with a form error by every action`, async () => {
      const failures: string[] = [];
      for (const action of actions) {
        const failure = await expectRefused(await postAction(contextFor(action), action, actionBody(payload())), action);
        if (failure) failures.push(failure);
      }
      expect(failures).toEqual([]);
    });
  }

  test("arguments that are not forms (strings, numbers, objects with prototype keys) are refused by every action", async () => {
    const bodies = [
      JSON.stringify(["not a form", "not a form"]),
      JSON.stringify([5, 5]),
      JSON.stringify([null]),
      '[{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}},"name":"a","email":"b","password":"c"},{"__proto__":{"polluted":"yes"}}]',
      // A NUL and an unpaired surrogate where text belongs (a sign-up's name: no form encoding would carry them).
      '[{"name":"Nul\\u0000name","email":"nul@example.com","password":"long-enough-password"}]',
      '[{"name":"Lone\\ud800","email":"lone@example.com","password":"long-enough-password"}]',
    ];
    const failures: string[] = [];
    for (const action of actions) {
      for (const body of bodies) {
        const failure = await expectRefused(await postAction(contextFor(action), action, body, { "content-type": "text/plain;charset=UTF-8" }), action);
        if (failure) failures.push(`${failure} for ${body.slice(0, 40)}`);
      }
    }
    expect(failures).toEqual([]);
  });

  test("a prototype key in a saved draft leaves the server healthy: health, pages and sign-in still answer", async ({ baseURL }) => {
    const saveDraft = actions.find((action) => action.name === "saveDraftAction");
    if (!saveDraft) throw new Error("saveDraftAction is not in the build");
    const applicant = contextFor(saveDraft);
    const response = await postAction(applicant, saveDraft, actionBody([["__proto__.polluted", "yes"], ["applicationId", "hostile"]]));
    expect(response.status()).toBe(200);
    expect(await response.text()).toContain("The form contains a field name that is not allowed.");

    const health = await applicant.get("/api/health");
    expect(health.status()).toBe(200);
    expect(await health.json()).toEqual({ status: "ok", database: "ok" });
    for (const page of ["/", "/signin", "/applicant"]) expect((await applicant.get(page)).status(), page).toBe(200);
    // A new sign-in still works (next-auth builds objects too).
    await (await signedIn(baseURL ?? "", "REVIEWER")).dispose();
  });

  test("a body over the 1 MB action limit is a 413, not a 5xx", async () => {
    const action = actions.find((candidate) => candidate.name === "postApplicantMessageAction");
    if (!action) throw new Error("postApplicantMessageAction is not in the build");
    const response = await postAction(contextFor(action), action, actionBody([["body", "x".repeat(1_200_000)]]));
    expect(response.status()).toBe(413);
  });

  test("a form streamed without a length is a 411, and action arguments that are not JSON a 400, never a 5xx", async ({ baseURL }) => {
    const action = actions.find((candidate) => candidate.name === "postApplicantMessageAction");
    if (!action) throw new Error("postApplicantMessageAction is not in the build");
    const context = contextFor(action);
    const { cookies } = await context.storageState();
    // node:http sends a body written in pieces without a length as Transfer-Encoding: chunked.
    const chunkedStatus = await new Promise<number>((resolve, reject) => {
      const request = http.request(new URL(action.page, baseURL), {
        method: "POST",
        headers: {
          "next-action": action.id,
          accept: "text/x-component",
          "content-type": "text/plain;charset=UTF-8",
          cookie: cookies.map((cookie) => `${cookie.name}=${cookie.value}`).join("; "),
        },
      });
      request.on("response", (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      });
      request.on("error", reject);
      request.write(`["${"x".repeat(750_000)}`);
      request.end(`${"x".repeat(750_000)}"]`);
    });
    expect(chunkedStatus).toBe(411);
    for (const body of ["not json at all", '["unterminated', '{"an":"object"}']) {
      const response = await postAction(context, action, body, { "content-type": "text/plain;charset=UTF-8" });
      expect(response.status(), body).toBe(400);
      expect(await response.text(), body).toContain("This form could not be read");
    }
  });

  test("a server action posted from a foreign origin is a 403", async ({ baseURL }) => {
    const action = actions.find((candidate) => candidate.name === "changePasswordAction");
    if (!action) throw new Error("changePasswordAction is not in the build");
    const context = contextFor(action);
    const fields: Field[] = [["currentPassword", "gatehouse-applicant-demo"], ["newPassword", "hijacked-password-1"], ["confirmPassword", "hijacked-password-1"]];
    for (const origin of ["https://evil.example", "null"]) {
      const response = await postAction(context, action, actionBody(fields), { origin });
      expect(response.status(), origin).toBe(403);
    }
    // The form as a browser without JavaScript posts it (no Next-Action header), from another site.
    const form = new FormData();
    form.append("$ACTION_ID_" + action.id, "");
    for (const [name, value] of fields) form.append(name, value);
    const noScript = await context.post(action.page, { headers: { origin: "https://evil.example" }, multipart: form, maxRedirects: 0 });
    expect(noScript.status()).toBe(403);
    // From the app's own origin the action runs (and refuses these passwords with a form error).
    const sameOrigin = await postAction(context, action, actionBody([["currentPassword", "not the password"], ["newPassword", "short"], ["confirmPassword", "short"]]), {
      origin: new URL(baseURL ?? "").origin,
    });
    expect(sameOrigin.status()).toBe(200);
    expect(await sameOrigin.text()).toContain('"ok":false');
  });
});

test("security headers are sent on pages, API routes and the /v1 API", async ({ request }) => {
  for (const route of ["/", "/signin", "/policy", "/api/health", "/api/auth/session", "/v1/models", "/no-such-page"]) {
    const response = await request.get(route, { maxRedirects: 0 });
    const headers = response.headers();
    const csp = headers["content-security-policy"] ?? "";
    expect(csp, route).toContain("frame-ancestors 'none'");
    expect(csp, route).toContain("script-src 'self'");
    expect(csp, route).toContain("object-src 'none'");
    expect(headers["x-frame-options"], route).toBe("DENY");
    expect(headers["x-content-type-options"], route).toBe("nosniff");
    expect(headers["referrer-policy"], route).toBe("strict-origin-when-cross-origin");
  }
});
