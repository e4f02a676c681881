/**
 * Least privilege: the bundle that main.ts runs needs no permission at all; a run from the
 * sources needs read access to src/ and workers/ (for the worker's modules) and says so.
 */
import assert from "node:assert/strict";
import { localPath, localRun, ROOT, run, RUN_ARGS } from "./deno_child.ts";

const DENY_ALL = [
  "--no-prompt",
  "--deny-read",
  "--deny-write",
  "--deny-net",
  "--deny-run",
  "--deny-ffi",
  "--deny-env",
  "--deny-sys",
];
const SOURCES = "cli.ts";
const SOURCES_PATH = localPath(new URL(SOURCES, ROOT));
const ADVICE = /^fauxtrain: .*run again with (--allow-read=\S+)\n$/;

Deno.test("main.ts makes a whole --instant run with every permission denied", async () => {
  const denied = await run("deno", ["run", ...DENY_ALL, "main.ts", ...RUN_ARGS]);
  assert.equal(denied.code, 0, denied.stderr);
  assert.equal(denied.stderr, "");
  const all = await run("deno", ["run", "--allow-all", "main.ts", ...RUN_ARGS]);
  assert.ok(denied.stdout.includes('"type":"gpu"'), "worker telemetry is in the output");
  assert.ok(denied.stdout === all.stdout, "output with denials differs from --allow-all");
});

Deno.test("the sources, given read access to src/ and workers/ only, print the bundle's bytes", async () => {
  const sources = await run("deno", [
    "run",
    ...DENY_ALL.filter((f) => f !== "--deny-read"),
    "--allow-read=./src,./workers",
    SOURCES,
    ...RUN_ARGS,
  ]);
  assert.equal(sources.code, 0, sources.stderr);
  assert.ok(sources.stdout === (await localRun()).stdout, "sources and bundle differ");
});

Deno.test("the sources without read access stop with one line naming the flag to add", async () => {
  const r = await run("deno", ["run", SOURCES, ...RUN_ARGS]);
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
    SOURCES,
    ...RUN_ARGS,
  ]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, ADVICE);
});

Deno.test("from another directory the suggested flag works where ./src,./workers does not", async () => {
  const elsewhere = new URL("tests/", ROOT);
  const relative = await run(
    "deno",
    ["run", "--allow-read=./src,./workers", SOURCES_PATH, ...RUN_ARGS],
    { cwd: elsewhere },
  );
  assert.equal(relative.code, 2);
  const flag = relative.stderr.match(ADVICE)?.[1];
  assert.ok(flag, relative.stderr);
  const fixed = await run("deno", ["run", flag, SOURCES_PATH, ...RUN_ARGS], { cwd: elsewhere });
  assert.equal(fixed.code, 0, fixed.stderr);
  const local = await localRun();
  assert.ok(fixed.stdout === local.stdout, "the run from elsewhere differs from the local run");
});

Deno.test("--version, --help and --list need no permission at all", async () => {
  for (const flag of ["--version", "--help", "--list=gpus"]) {
    const r = await run("deno", ["run", ...DENY_ALL, "main.ts", flag]);
    assert.equal(r.code, 0, `${flag}: ${r.stderr}`);
    assert.ok(r.stdout.length > 0, flag);
  }
});
