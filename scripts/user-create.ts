// `npm run user:create -- --email a@b.c --role ADMIN [--name "A B"] [--password …]`: creates an account.
// Without --password a strong one is generated and printed once.
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { readLaunchEnv } from "@/lib/env";
import { isAppError } from "@/lib/errors";
import { prepareDatabase } from "@/lib/launch/database";

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { email: { type: "string" }, role: { type: "string", default: "APPLICANT" }, name: { type: "string" }, password: { type: "string" } },
  });
  if (!values.email) {
    console.error('Usage: npm run user:create -- --email a@b.c --role ADMIN|REVIEWER|APPLICANT [--name "Name"] [--password secret]');
    process.exit(2);
  }
  const password = values.password ?? randomBytes(15).toString("base64url");
  const database = await prepareDatabase(readLaunchEnv());
  process.env.DATABASE_URL = database.url;
  try {
    const [{ createUser }, { disconnectDb }] = await Promise.all([import("@/lib/users/service"), import("@/lib/db")]);
    const user = await createUser({
      input: { email: values.email, role: values.role?.toUpperCase(), name: values.name ?? values.email.split("@")[0], password },
    });
    await disconnectDb();
    console.log(`Created ${user.role} ${user.email}.`);
    if (!values.password) console.log(`Password (shown once): ${password}`);
  } catch (error) {
    if (!isAppError(error)) throw error;
    const details = Object.entries(error.fieldErrors).map(([field, messages]) => `  --${field}: ${messages?.join(" ")}`);
    console.error([error.message, ...details].join("\n"));
    process.exitCode = 1;
  } finally {
    await database.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
