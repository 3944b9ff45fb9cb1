// Runs in the browser before the app's own code (Next's instrumentation-client hook).
// zod probes `new Function("")` when it builds its first object schema, to decide whether to compile parsers; the
// Content-Security-Policy (no 'unsafe-eval', see next.config.js) refuses it and the browser reports a violation on
// every page. Declaring the browser jitless skips the probe; parsing is unchanged, only not compiled.
const zodGlobal = globalThis as typeof globalThis & { __zod_globalConfig?: Record<string, unknown> };
zodGlobal.__zod_globalConfig = { ...zodGlobal.__zod_globalConfig, jitless: true };
