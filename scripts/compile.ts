/**
 * Builds fauxtrain as one executable with `deno compile`: `deno task compile` for this machine
 * (dist/fauxtrain), `deno task compile:all` for every target Deno supports
 * (dist/fauxtrain-<target>). Each build prefers a Deno runtime (denort) already on disk:
 * DENORT_BIN for the host target, else the zip Deno caches under
 * $DENO_DIR/dl/release/v<version>/; only when neither exists does `deno compile` download it.
 * main.ts runs the bundle (bundle/fauxtrain.js, from `deno task build`), which carries the
 * telemetry worker and the data, so the executable embeds those two files and nothing else.
 */
import { parseArgs } from "node:util";

/** Every `--target` that `deno compile` accepts in Deno 2.9. */
export const TARGETS = [
  "x86_64-unknown-linux-gnu",
  "aarch64-unknown-linux-gnu",
  "x86_64-apple-darwin",
  "aarch64-apple-darwin",
  "x86_64-pc-windows-msvc",
  "aarch64-pc-windows-msvc",
] as const;

/**
 * The permissions baked into the executable: only the four environment variables the terminal
 * view reads (the bundle carries its worker, so nothing is read from disk).
 */
export const BAKED_PERMISSIONS = ["--allow-env=TERM,COLUMNS,LINES,FORCE_COLOR"];

/**
 * V8 flags baked in: young-generation semi-spaces capped at 4 MiB, so a long `--loop` keeps a flat
 * footprint instead of growing them to 16 MiB (docs/memory.md).
 */
export const BAKED_V8_FLAGS = ["--v8-flags=--max-semi-space-size=4"];

/** What the build machine offers: its target, Deno version and cache, and any DENORT_BIN. */
export interface Host {
  target: string;
  denoVersion: string;
  denoDir: string;
  denortBin: string | undefined;
  exists: (path: string) => boolean;
}

/** One `deno compile` invocation and where its runtime comes from. */
export interface Build {
  target: string;
  output: string;
  runtime: string;
  /** Whether DENORT_BIN is passed on; it names one platform's runtime, so only the host's. */
  useDenortBin: boolean;
  args: string[];
}

/** The cached runtime zip `deno compile` looks for before it downloads one. */
export function cachedRuntimePath(host: Host, target: string): string {
  const sep = host.denoDir.includes("\\") ? "\\" : "/";
  return [host.denoDir, "dl", "release", `v${host.denoVersion}`, `denort-${target}.zip`].join(sep);
}

function runtimeFor(host: Host, target: string): { runtime: string; useDenortBin: boolean } {
  if (host.denortBin && target === host.target) {
    return { runtime: `DENORT_BIN ${host.denortBin}`, useDenortBin: true };
  }
  const zip = cachedRuntimePath(host, target);
  if (host.exists(zip)) return { runtime: `cached ${zip}`, useDenortBin: false };
  const url = `https://dl.deno.land/release/v${host.denoVersion}/denort-${target}.zip`;
  return { runtime: `download ${url}`, useDenortBin: false };
}

/**
 * Plans one build per target. With no target given, one build for this machine named
 * `fauxtrain` (plus `.exe` on Windows); chosen targets carry the target in their names.
 */
export function planBuilds(host: Host, targets: string[] | null, outDir: string): Build[] {
  return (targets ?? [host.target]).map((target) => {
    const exe = target.includes("windows") ? ".exe" : "";
    const output = `${outDir}/${targets ? `fauxtrain-${target}` : "fauxtrain"}${exe}`;
    const args = [
      "compile",
      ...BAKED_PERMISSIONS,
      ...BAKED_V8_FLAGS,
      "--target",
      target,
      "--output",
      output,
    ];
    return { target, output, ...runtimeFor(host, target), args: [...args, "main.ts"] };
  });
}

/** Parses the script's flags; throws an Error with a one-line message on bad input. */
export function parseFlags(argv: string[]): { targets: string[] | "all" | null; outDir: string } {
  const { values } = parseArgs({
    args: argv,
    options: {
      all: { type: "boolean", default: false },
      target: { type: "string", multiple: true },
      "out-dir": { type: "string", default: "dist" },
    },
  });
  for (const t of values.target ?? []) {
    if (!(TARGETS as readonly string[]).includes(t)) {
      throw new Error(`--target must be one of ${TARGETS.join(", ")}, got "${t}"`);
    }
  }
  const targets = values.all ? "all" : values.target?.length ? values.target : null;
  return { targets, outDir: values["out-dir"]! };
}

async function denoInfo(): Promise<{ denoVersion: string; denoDir: string }> {
  const out = await new Deno.Command("deno", { args: ["info", "--json"], stderr: "inherit" })
    .output();
  if (!out.success) throw new Error("`deno info --json` failed");
  const { denoVersion, denoDir } = JSON.parse(new TextDecoder().decode(out.stdout));
  return { denoVersion, denoDir };
}

function exists(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}

async function runBuild(build: Build): Promise<boolean> {
  console.log(`fauxtrain: ${build.target} → ${build.output} (runtime: ${build.runtime})`);
  const env = Deno.env.toObject();
  if (!build.useDenortBin) delete env.DENORT_BIN;
  const root = new URL("../", import.meta.url);
  const cmd = new Deno.Command("deno", { args: build.args, cwd: root, env, clearEnv: true });
  const { success } = await cmd.spawn().status;
  return success;
}

async function main(): Promise<void> {
  let flags: ReturnType<typeof parseFlags>;
  try {
    flags = parseFlags(Deno.args);
  } catch (e) {
    console.error(`compile: ${(e as Error).message}`);
    Deno.exit(2);
  }
  const info = await denoInfo();
  const host: Host = {
    target: Deno.build.target,
    ...info,
    denortBin: Deno.env.get("DENORT_BIN"),
    exists,
  };
  const targets = flags.targets === "all" ? [...TARGETS] : flags.targets;
  const failed: string[] = [];
  for (const build of planBuilds(host, targets, flags.outDir)) {
    if (!(await runBuild(build))) failed.push(build.target);
  }
  if (failed.length) {
    console.error(`compile: failed for ${failed.join(", ")}`);
    Deno.exit(1);
  }
}

if (import.meta.main) await main();
