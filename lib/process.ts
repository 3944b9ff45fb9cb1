// One value per server process, whatever Next bundles: instrumentation, each route handler and the pages are bundled
// separately, so a module-level variable can exist once per bundle. Values kept here must be plain data and
// closures, never class instances whose identity (instanceof) another bundle would check.
export function processSingleton<T>(name: string, create: () => T): T {
  const key = Symbol.for(`gatehouse.${name}`);
  const store = globalThis as unknown as Record<symbol, T | undefined>;
  const existing = store[key];
  if (existing !== undefined) return existing;
  const created = create();
  store[key] = created;
  return created;
}
