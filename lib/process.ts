// One value per server process, whatever Next bundles: instrumentation, each route handler and the pages are bundled
// separately, so a module-level variable can exist once per bundle. Values kept here must be plain data and
// closures, or objects no bundle checks with instanceof (a database client, a connection pool).
// globalThis declares no symbol-keyed properties; this is the one place that reads and writes them. A name's value is
// only ever stored by that name's `create`, so reading it back as T is sound.
const store = globalThis as unknown as Record<symbol, unknown>;
const keyOf = (name: string) => Symbol.for(`gatehouse.${name}`);

export function processSingleton<T>(name: string, create: () => T): T {
  const key = keyOf(name);
  const existing = store[key] as T | undefined;
  if (existing !== undefined) return existing;
  const created = create();
  store[key] = created;
  return created;
}

/** Removes the value kept under `name` and returns it (a client being closed: the next use makes a new one). */
export function takeProcessSingleton<T>(name: string): T | undefined {
  const key = keyOf(name);
  const existing = store[key] as T | undefined;
  delete store[key];
  return existing;
}
