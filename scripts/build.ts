/**
 * `deno task build`: bundles fauxtrain into bundle/fauxtrain.js, the one module that main.ts runs.
 * Loading one module instead of eighty is what lets the program start about as fast as a
 * hello-world. The telemetry worker is bundled first and carried inside the bundle as text,
 * started from a blob: URL (the bundle's stand-in for src/cluster/worker_url.ts), so the program
 * reads no file and needs no permission. The bundle is minified: that took 7 ms (a tenth of a
 * hello-world's start) off the time to the first byte. `deno bundle` is deterministic for a
 * given Deno, and tests/scripts/build_test.ts fails when the committed bundle differs from a
 * fresh build; profile and debug from the sources (`deno task dev`), which keep their names.
 * Usage: deno task build [--out FILE]
 */
import { parseArgs } from "node:util";

/** Where the bundle goes unless --out says otherwise. */
export const BUNDLE_PATH = "bundle/fauxtrain.js";
const ROOT = new URL("../", import.meta.url);
/** Scratch files of the build (dist/ is ignored by git); fixed, because the bundle names them. */
const WORK_DIR = "dist/.build";
const SEAM = "src/cluster/worker_url.ts";

/** The first lines of the bundle. */
export const BUNDLE_HEADER = [
  "// fauxtrain, bundled by `deno task build` from cli.ts and workers/.",
  "// Generated: edit the sources, then run `deno task build`.",
  "",
].join("\n");

/** The module that replaces src/cluster/worker_url.ts in the bundle. */
export function workerSeamModule(workerCode: string): string {
  return [
    "// The bundled telemetry worker, started from a blob: URL (see src/cluster/worker_url.ts).",
    `const WORKER_CODE = ${JSON.stringify(workerCode)};`,
    "export const TELEMETRY_WORKER_URL = URL.createObjectURL(",
    '  new Blob([WORKER_CODE], { type: "text/javascript" }),',
    ");",
    "export const WORKER_NEEDS_READ = false;",
    "",
  ].join("\n");
}

/** Runs `deno bundle` in the project root (the bundle names files relative to it). */
async function denoBundle(args: string[]): Promise<string> {
  const out = await new Deno.Command("deno", {
    args: ["bundle", "--quiet", "--platform", "deno", "--minify", ...args],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(out.stderr).trim();
  if (!out.success) throw new Error(`deno bundle ${args.join(" ")} failed: ${stderr}`);
  return new TextDecoder().decode(out.stdout);
}

/** Builds the bundle from the sources; returns its text. */
export async function buildBundle(): Promise<string> {
  const workerCode = await denoBundle(["workers/telemetry_worker.ts"]);
  const work = new URL(`${WORK_DIR}/`, ROOT);
  await Deno.mkdir(work, { recursive: true });
  await Deno.writeTextFile(new URL("worker_url.js", work), workerSeamModule(workerCode));
  const importMap = { imports: { [new URL(SEAM, ROOT).href]: "./worker_url.js" } };
  await Deno.writeTextFile(new URL("import_map.json", work), JSON.stringify(importMap, null, 2));
  const main = await denoBundle(["--import-map", `${WORK_DIR}/import_map.json`, "cli.ts"]);
  // The sources' seam names the worker's file; the bundle's stand-in carries its code instead.
  if (main.includes("telemetry_worker.ts")) {
    throw new Error(`the bundle did not take the worker from ${WORK_DIR}/worker_url.js`);
  }
  return BUNDLE_HEADER + main;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: Deno.args,
    options: { out: { type: "string", default: BUNDLE_PATH } },
  });
  const text = await buildBundle();
  const dir = values.out.includes("/") ? values.out.slice(0, values.out.lastIndexOf("/")) : ".";
  await Deno.mkdir(dir, { recursive: true });
  await Deno.writeTextFile(values.out, text);
  console.error(`build: wrote ${values.out} (${(text.length / 1024).toFixed(0)} KiB)`);
}

if (import.meta.main) {
  try {
    await main();
  } catch (e) {
    console.error(`build: ${(e as Error).message}`);
    Deno.exit(1);
  }
}
