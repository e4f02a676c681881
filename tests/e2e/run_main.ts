/** Runs main.ts in a child Deno process, the way a user would, and captures its output. */

/** Exit code and captured output of one run. */
export interface MainResult {
  code: number;
  stdout: string;
  stderr: string;
}

const ROOT = new URL("../../", import.meta.url);
/** The permissions the README tells users to pass for a local checkout: none (it runs the bundle). */
export const RUN_PERMISSIONS: string[] = [];

/** Runs `deno run <permissions> main.ts ...args` in the project root. */
export async function runMain(
  args: string[],
  opts: { permissions?: string[]; env?: Record<string, string> } = {},
): Promise<MainResult> {
  const cmd = new Deno.Command("deno", {
    args: ["run", "--quiet", ...(opts.permissions ?? RUN_PERMISSIONS), "main.ts", ...args],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
    stdin: "null",
    env: { NO_COLOR: "", ...opts.env },
  });
  const out = await cmd.output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

/** A fixed start so runs are reproducible. */
export const START = "2026-11-24T09:00:00Z";

/** A short, reproducible one-node fine-tune printed at once. */
export const SMALL_RUN = [
  "--instant",
  "--seed",
  "4",
  "--nodes",
  "1",
  "--dataset",
  "dolly-15k",
  "--start",
  START,
];

/** Parses JSON lines. */
export function parseLines(text: string): Record<string, unknown>[] {
  return text.trimEnd().split("\n").map((l) => JSON.parse(l));
}
