/** Child `deno` processes and scratch directories for the shipping tests (URL, install, compile). */
import { RUN_PERMISSIONS } from "./run_main.ts";

/** The project root. */
export const ROOT = new URL("../../", import.meta.url);

/** A file URL as a local path (these tests run on POSIX hosts). */
export function localPath(url: URL): string {
  return decodeURIComponent(url.pathname).replace(/\/$/, "");
}

/** Exit code and decoded output of one child process. */
export interface ChildResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs a program and captures its output. `deno` is run by name, which is what the test task's
 * `--allow-run=deno` grants.
 */
export async function run(
  program: string,
  args: string[],
  opts: { cwd?: string | URL; env?: Record<string, string> } = {},
): Promise<ChildResult> {
  const out = await new Deno.Command(program, {
    args,
    cwd: opts.cwd ?? ROOT,
    env: { NO_COLOR: "1", ...opts.env },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

/** Flags for a reproducible whole run. */
export const RUN_ARGS = [
  "--instant",
  "--seed",
  "1",
  "--format",
  "jsonl",
  "--start",
  "2026-11-24T09:00:00Z",
];

/** The reference: the checkout run the README gives, from the project root. */
export async function localRun(): Promise<ChildResult> {
  return await run("deno", ["run", ...RUN_PERMISSIONS, "main.ts", ...RUN_ARGS]);
}

/** Makes a scratch directory under dist/ (the only place the test task may write). */
export async function scratchDir(prefix: string): Promise<string> {
  const dist = localPath(new URL("dist/", ROOT));
  await Deno.mkdir(dist, { recursive: true });
  return await Deno.makeTempDir({ dir: dist, prefix: `.test-${prefix}-` });
}

/** Removes a scratch directory. */
export async function removeScratch(dir: string): Promise<void> {
  await Deno.remove(dir, { recursive: true });
}

/** Drops ANSI escapes, in case a child colours its stderr despite NO_COLOR. */
export function stripAnsi(text: string): string {
  // deno-lint-ignore no-control-regex
  return text.replace(/\x1b\[[0-9;]*m/g, "");
}
