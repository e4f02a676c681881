/**
 * Faults as a user sees them: in a framework style only the tools' own error chain (no
 * narration); in jsonl every fault as a typed event; in fauxtrain's own look, its lines.
 */
import assert from "node:assert/strict";
import { parseLines, runMain, START } from "./run_main.ts";

// A whole run (its model fixed by the user), long enough for every kind of fault.
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
];

Deno.test("--chaos high shows a killed job as torch, torchrun and Slurm print it, then relaunches", async () => {
  const text = await runMain([...ARGS, "--format", "text", "--no-timestamps"]);
  assert.equal(text.code, 0, text.stderr);
  const lines = text.stdout.split("\n");
  const chain = [
    /^\[rank\d+\]: (?:RuntimeError|torch\.AcceleratorError): CUDA error: /,
    /^terminate called after throwing an instance of 'c10::DistBackendError'$/,
    /failed \(exitcode: -6\) local_rank: \d+ \(pid: \d+\) of binary: /,
    /^torch\.distributed\.elastic\.multiprocessing\.errors\.ChildFailedError: $/,
    /^Root Cause \(first observed failure\):$/,
    /^srun: error: \S+: task \d+: Exited with exit code 1$/,
    /\] \[Rank \d+\] Watchdog caught collective operation timeout: WorkNCCL\(SeqNum=\d+, /,
    /\[Rank \d+\] To avoid data inconsistency, we are taking the entire process down\.$/,
  ];
  let at = 0;
  for (const re of chain) {
    const i = lines.findIndex((l, k) => k >= at && re.test(l));
    assert.ok(i >= 0, `in order: ${re}`);
    at = i;
  }
  assert.match(text.stdout, /torch\.OutOfMemoryError: CUDA out of memory\. Tried to allocate /);
  // The job's first line (a launch command, or torchrun's banner with its own time and pid)
  // comes again with each relaunch, as many times as the first launch printed it.
  const shape = (l: string) => l.replace(/\d+/g, "#");
  const first = lines.findIndex((l) => /ChildFailedError/.test(l));
  const perLaunch = lines.slice(0, first).filter((l) => shape(l) === shape(lines[0])).length;
  const launches = lines.filter((l) => shape(l) === shape(lines[0]));
  assert.ok(launches.length >= 2 * perLaunch, "each relaunch starts as the first launch did");
  for (
    const narration of [
      /Loss spike at step/,
      /retrying with micro batch/,
      /Slurm: node \S+ drained/,
      /Resuming from step \d+ after restart/,
      /more ranks timed out the same way/,
      /NVRM: Xid/,
    ]
  ) {
    assert.doesNotMatch(text.stdout, narration);
  }
});

Deno.test("jsonl carries every fault as a typed event; fauxtrain's own look prints its lines", async () => {
  const [text, jsonl] = await Promise.all([
    runMain([...ARGS, "--style", "native", "--format", "text", "--no-timestamps"]),
    runMain([...ARGS, "--format", "jsonl"]),
  ]);
  const lines = new Set(text.stdout.split("\n"));
  const faults = parseLines(jsonl.stdout).filter((l) => l.type === "fault");
  assert.equal(faults.length, 10);
  assert.ok(faults.every((f) => f.msg === ""), "a framework style prints no fault summary");
  const native = await runMain([...ARGS, "--style", "native", "--format", "jsonl"]);
  for (const f of parseLines(native.stdout).filter((l) => l.type === "fault")) {
    assert.ok(lines.has(f.msg as string), `${f.msg}`);
  }
});
