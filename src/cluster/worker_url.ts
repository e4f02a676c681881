/**
 * Where the telemetry worker's code comes from. Run from the sources, it is the module file next
 * to them, which Deno may load only with read access to src/ and workers/. The bundle built by
 * `deno task build` replaces this module with one that carries the bundled worker as text and
 * serves it from a blob: URL, so the shipped program needs no permission at all.
 */

/** The URL a telemetry worker is started from. */
export const TELEMETRY_WORKER_URL: string = new URL(
  "../../workers/telemetry_worker.ts",
  import.meta.url,
).href;

/** Whether starting a worker needs read access to the source directories. */
export const WORKER_NEEDS_READ = true;
