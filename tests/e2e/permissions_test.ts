/** Least privilege: a whole run needs read access to src/ and workers/ and nothing else. */
import assert from "node:assert/strict";
import { localPath, localRun, ROOT, run, RUN_ARGS } from "./deno_child.ts";
import { RUN_PERMISSIONS } from "./run_main.ts";

const DENY_ALL_ELSE = ["--deny-write", "--deny-net", "--deny-run", "--deny-ffi"];
const MAIN = localPath(new URL("main.ts", ROOT));
const ADVICE = /^fauxtrain: .*run again with (--allow-read=\S+)\n$/;

Deno.test("a whole --instant run succeeds with write, net, run and ffi denied", async () => {
  const denied = await run("deno", [
    "run",
    "--no-prompt",
    ...RUN_PERMISSIONS,
    ...DENY_ALL_ELSE,
    "main.ts",
    ...RUN_ARGS,
  ]);
  assert.equal(denied.code, 0, denied.stderr);
  assert.equal(denied.stderr, "");
  const all = await run("deno", ["run", "--allow-all", "main.ts", ...RUN_ARGS]);
  assert.ok(denied.stdout.includes('"type":"gpu"'), "worker telemetry is in the output");
  assert.ok(denied.stdout === all.stdout, "output with denials differs from --allow-all");
});

Deno.test("with no permission the run stops with one line naming the flag to add", async () => {
  const r = await run("deno", ["run", "main.ts", ...RUN_ARGS]);
  assert.equal(r.code, 2);
  assert.equal(r.stdout, "");
  const flag = `--allow-read=${localPath(new URL("src", ROOT))},${
    localPath(new URL("workers", ROOT))
  }`;
  assert.match(r.stderr, ADVICE);
  assert.equal(r.stderr.match(ADVICE)![1], flag);
});

Deno.test("read access to workers/ alone is reported the same way, not as a stack trace", async () => {
  const r = await run("deno", [
    "run",
    "--no-prompt",
    "--allow-read=./workers",
    "main.ts",
    ...RUN_ARGS,
  ]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, ADVICE);
});

Deno.test("from another directory the suggested flag works where ./src,./workers does not", async () => {
  const elsewhere = new URL("tests/", ROOT);
  const relative = await run("deno", ["run", ...RUN_PERMISSIONS, MAIN, ...RUN_ARGS], {
    cwd: elsewhere,
  });
  assert.equal(relative.code, 2);
  const flag = relative.stderr.match(ADVICE)?.[1];
  assert.ok(flag, relative.stderr);
  const fixed = await run("deno", ["run", flag, MAIN, ...RUN_ARGS], { cwd: elsewhere });
  assert.equal(fixed.code, 0, fixed.stderr);
  const local = await localRun();
  assert.ok(fixed.stdout === local.stdout, "the run from elsewhere differs from the local run");
});

Deno.test("--version, --help and --list need no permission at all", async () => {
  for (const flag of ["--version", "--help", "--list=gpus"]) {
    const r = await run("deno", ["run", "--no-prompt", "main.ts", flag]);
    assert.equal(r.code, 0, `${flag}: ${r.stderr}`);
    assert.ok(r.stdout.length > 0, flag);
  }
});
