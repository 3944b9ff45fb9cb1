// Anonymous HTTP requests: no session is reported, and protected pages redirect to sign-in at the HTTP level.
import { expect, test } from "@playwright/test";

test("the session endpoint reports no session without cookies", async ({ request }) => {
  const response = await request.get("/api/auth/session");
  expect(response.status()).toBe(200);
  expect(await response.json()).toEqual({});
});

for (const path of ["/admin", "/admin/users", "/review", "/applicant", "/account"]) {
  test(`an anonymous GET ${path} is a 307 redirect to sign in with the path as callbackUrl`, async ({ request }) => {
    const response = await request.get(path, { maxRedirects: 0 });
    expect(response.status()).toBe(307);
    const location = new URL(response.headers()["location"] ?? "", "http://localhost");
    expect(location.pathname).toBe("/signin");
    expect(location.search).toBe(`?callbackUrl=${encodeURIComponent(path)}`);
  });
}

test("the sign-in page itself is public", async ({ request }) => {
  const response = await request.get("/signin", { maxRedirects: 0 });
  expect(response.status()).toBe(200);
});
