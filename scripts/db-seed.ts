// `npm run db:seed`: adds the demo accounts and categories to the configured database (embedded if DATABASE_URL is unset).
import { readLaunchEnv } from "@/lib/env";
import { prepareDatabase } from "@/lib/launch/database";

async function main(): Promise<void> {
  const database = await prepareDatabase(readLaunchEnv());
  process.env.DATABASE_URL = database.url;
  try {
    const [{ seedDemoData }, { getDb, disconnectDb }] = await Promise.all([import("@/prisma/seed"), import("@/lib/db")]);
    const counts = await seedDemoData(getDb());
    await disconnectDb();
    console.log(`Seeded ${counts.accounts} demo accounts and ${counts.categories} categories (existing rows kept).`);
  } finally {
    await database.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
