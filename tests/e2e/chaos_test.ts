/** Faults as a user sees them: every kind in text output, the same lines as the jsonl events. */
import assert from "node:assert/strict";
import { parseLines, runMain, START } from "./run_main.ts";

// A whole run (a model fixed by the user), long enough for every kind of fault.
// fauxtrain's own wording of every fault (framework styles print only what their tools print).
const ARGS = [
  "--instant",
  "--seed",
  "15",
  "--start",
  START,
  "--chaos",
  "high",
  "--model",
  "gpt2-774m",
  "--style",
  "native",
];

Deno.test("--chaos high prints every fault and the whole GPU-fault recovery in text mode", async () => {
  const text = await runMain([...ARGS, "--format", "text"]);
  assert.equal(text.code, 0, text.stderr);
  const expected = [
    /WARN +Loss spike at step \d+: loss \d+\.\d{4} \(\d\.\d\d× the running loss\)/,
    /WARN +Grad-norm spike at step \d+: .* skipping this batch/,
    /WARN +Gradient overflow at step \d+ \(inf in the fp16 gradients\): skipping update/,
    /WARN +Non-finite gradients at step \d+ on rank \d+/,
    /WARN +Straggler found at step \d+ on rank \d+ .* ran \d\.\d% slow/,
    /ERROR \[rank\d+\]: torch\.OutOfMemoryError: CUDA out of memory\./,
    /ERROR CUDA out of memory at step \d+ .* retrying with micro batch \d+/,
    /ERROR \S+: NVRM: Xid \(PCI:[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\): 79, pid=\d+, name=python3, GPU has fallen off/,
    /ERROR GPU fault at step (\d+) on rank \d+ .* resumes from the checkpoint at step \d+/,
    /ERROR \[rank\d+\]:\[E\d{4} [\d:.]+ ProcessGroupNCCL\.cpp:\d+\] \[Rank \d+\] Watchdog caught/,
    /WARN +torch\.distributed\.elastic\.agent\.server\.api: \[default\] Worker group FAILED/,
    /WARN +Slurm: node \S+ drained/,
    /INFO +Loading checkpoint \S+\/checkpoint-\d+ /,
    /WARN +Resuming from step \d+ after restart 1: step counter rolled back from \d+/,
  ];
  let at = 0;
  const lines = text.stdout.split("\n");
  for (const re of expected.slice(7)) {
    const i = lines.findIndex((l, k) => k >= at && re.test(l));
    assert.ok(i >= 0, `in order: ${re}`);
    at = i;
  }
  for (const re of expected) assert.match(text.stdout, re);
});

Deno.test("each jsonl fault event's message is a line of the text output", async () => {
  const [text, jsonl] = await Promise.all([
    runMain([...ARGS, "--format", "text", "--no-timestamps"]),
    runMain([...ARGS, "--format", "jsonl"]),
  ]);
  const lines = new Set(text.stdout.split("\n"));
  const faults = parseLines(jsonl.stdout).filter((l) => l.type === "fault");
  assert.equal(faults.length, 8);
  for (const f of faults) assert.ok(lines.has(f.msg as string), `${f.msg}`);
});
