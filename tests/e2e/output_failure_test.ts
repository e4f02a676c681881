/**
 * An output that refuses bytes (stdout on a full disk, /dev/full): every kind of invocation
 * prints one clear line on stderr and exits 1, without a stack trace; a reader that goes away
 * (EPIPE) stays quiet with status 0.
 */
import assert from "node:assert/strict";
import { shellQuote } from "./tmux.ts";

const ROOT = new URL("../../", import.meta.url);
/** Linux has /dev/full, where every write fails with ENOSPC. */
const HAS_DEV_FULL = Deno.build.os === "linux";

/** Runs main.ts through bash (with pipefail) with stdout redirected as `redirect` says (e.g. "> /dev/full"). */
async function runShell(args: string[], redirect: string) {
  const line = `deno run --quiet main.ts ${args.map(shellQuote).join(" ")} ${redirect}`;
  const out = await new Deno.Command("bash", {
    args: ["-c", `set -o pipefail; ${line}`],
    cwd: ROOT,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

const FULL_DISK_CASES: Array<[string, string[]]> = [
  ["an instant text run", ["--instant", "--seed", "4", "--format", "text"]],
  ["an instant jsonl run", ["--instant", "--seed", "4", "--format", "jsonl"]],
  ["a paced run", ["--seed", "4", "--speed", "5000", "--format", "text"]],
  ["--help", ["--help"]],
  ["--list models", ["--list", "models"]],
  ["--version", ["--version"]],
];

for (const [name, args] of FULL_DISK_CASES) {
  Deno.test({
    name: `${name} into /dev/full: one line on stderr, status 1, no stack trace`,
    ignore: !HAS_DEV_FULL,
    fn: async () => {
      const r = await runShell(args, "> /dev/full");
      assert.equal(r.code, 1, r.stderr);
      assert.equal(
        r.stderr,
        "fauxtrain: cannot write the output: No space left on device (os error 28)\n",
      );
    },
  });
}

Deno.test("--help and --list piped to head end quietly with status 0", async () => {
  for (const args of [["--help"], ["--list", "models"]]) {
    const r = await runShell(args, "| head -n 1");
    assert.equal(r.stderr, "", `${args.join(" ")}: nothing on stderr`);
    assert.equal(r.code, 0, `${args.join(" ")}`);
    assert.equal(r.stdout.split("\n").length, 2, "one line");
  }
});
