/** Colour conventions in a pipe: text and JSON lines stay plain whatever the environment says. */
import assert from "node:assert/strict";
import { RUN_PERMISSIONS, runMain, SMALL_RUN } from "./run_main.ts";

const SMALL = SMALL_RUN;
const WITH_ENV = [...RUN_PERMISSIONS, "--allow-env=TERM,FORCE_COLOR,COLUMNS,LINES"];
// deno-lint-ignore no-control-regex
const ESC = /\x1b/;

async function textOutput(env: Record<string, string>, extra: string[] = []) {
  const r = await runMain([...SMALL, ...extra], { permissions: WITH_ENV, env });
  assert.equal(r.code, 0, r.stderr);
  return r.stdout;
}

Deno.test("a pipe gets plain text with no escape byte by default", async () => {
  const out = await textOutput({});
  assert.doesNotMatch(out, ESC);
  // A framework's lines carry their own times: no prefix of fauxtrain's is put in front.
  assert.doesNotMatch(out, /^\d{4}-\d\d-\d\dT[\d:.]+Z (INFO |WARN |ERROR) /m);
});

Deno.test("FORCE_COLOR, even over NO_COLOR, leaves text mode byte-identical and escape-free", async () => {
  const [plain, ...forced] = await Promise.all([
    textOutput({}),
    textOutput({ FORCE_COLOR: "1" }),
    textOutput({ FORCE_COLOR: "3", NO_COLOR: "1" }),
  ]);
  // Colour belongs to the live view only: log collectors read text mode.
  for (const out of forced) assert.equal(out, plain);
});

Deno.test("FORCE_COLOR=0, --no-color and JSON lines stay plain", async () => {
  const outs = await Promise.all([
    textOutput({ FORCE_COLOR: "0" }),
    textOutput({ FORCE_COLOR: "1" }, ["--no-color"]),
    textOutput({ FORCE_COLOR: "1" }, ["--format", "jsonl"]),
  ]);
  for (const out of outs) assert.doesNotMatch(out, ESC);
});

Deno.test("without --allow-env the environment is never read and nothing prompts", async () => {
  const r = await runMain(SMALL, { env: { FORCE_COLOR: "1", TERM: "dumb" } });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, "");
  assert.doesNotMatch(r.stdout, ESC, "FORCE_COLOR unread without permission");
});
