// Reads of the use-case policy: categories in their display order.
import "server-only";
import { db } from "@/lib/db";

export async function listActiveCategories() {
  return db.useCaseCategory.findMany({
    where: { retiredAt: null },
    orderBy: [{ position: "asc" }, { name: "asc" }],
    select: { id: true, slug: true, name: true, description: true, status: true, examples: true, safeguards: true },
  });
}
