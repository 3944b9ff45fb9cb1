// Browsers ask for /favicon.ico on every first load: it is served (not a 404), and pages name the icons they use.
import { expect, test } from "@playwright/test";

test("the favicon and the SVG icon are served from public/", async ({ request }) => {
  const ico = await request.get("/favicon.ico");
  expect(ico.status()).toBe(200);
  expect(ico.headers()["content-type"]).toMatch(/image\/(x-icon|vnd\.microsoft\.icon)/);
  // An ICO file starts with reserved 0, type 1 (icon).
  expect([...(await ico.body()).subarray(0, 4)]).toEqual([0, 0, 1, 0]);

  const svg = await request.get("/icon.svg");
  expect(svg.status()).toBe(200);
  expect(svg.headers()["content-type"]).toContain("image/svg+xml");
});

test("every page links both icons in its head", async ({ request }) => {
  const html = await (await request.get("/policy")).text();
  expect(html).toMatch(/<link rel="icon" href="\/favicon\.ico" sizes="any"/);
  expect(html).toMatch(/<link rel="icon" href="\/icon\.svg" type="image\/svg\+xml"/);
});
