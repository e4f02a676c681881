/**
 * Extreme but valid invocations run to a correct end: one GPU, 16,384 nodes, --speed 100000,
 * 100 epochs, --exit-after 1s and a --loop cut short.
 */
import assert from "node:assert/strict";
import { parseLines, runMain, START } from "./run_main.ts";
import { MainChild } from "./main_child.ts";

// deno-lint-ignore no-explicit-any
type Line = Record<string, any>;

/** A small fine-tuning job: a few dozen steps per epoch. */
const SMALL = ["--nodes", "1", "--dataset", "dolly-15k", "--start", START, "--style", "native"];

function jsonRun(stdout: string) {
  const lines: Line[] = parseLines(stdout);
  const run = lines.find((l) => l.type === "run")!;
  const summary = lines.findLast((l) => l.type === "summary") ?? {};
  return { lines, run, summary };
}

Deno.test("one GPU (--nodes 1 --gpus-per-node 1) trains to the end without an all-reduce", async () => {
  const r = await runMain([
    "--instant",
    "--seed",
    "4",
    "--format",
    "jsonl",
    "--gpus-per-node",
    "1",
    ...SMALL,
  ]);
  assert.equal(r.code, 0, r.stderr);
  const { lines, run, summary } = jsonRun(r.stdout);
  assert.equal(run.gpus, 1);
  assert.equal(run.gpus_per_node, 1);
  assert.equal(run.dp, 1);
  assert.equal(summary.type, "summary");
  assert.equal(summary.steps, run.total_steps);
  assert.equal(lines.filter((l) => l.type === "allreduce").length, 0, "one rank reduces nothing");
  const gpus = lines.filter((l) => l.type === "gpu");
  assert.ok(gpus.length > 0 && gpus.every((g) => g.gpus.length === 1 && g.gpus[0].rank === 0));
  assert.match(r.stdout, /--gpus-per-node=1 torchrun --nnodes=1 --nproc_per_node=1/);
});

Deno.test("16,384 nodes run one epoch to the summary in text mode", async () => {
  const child = new MainChild([
    "--instant",
    "--seed",
    "1",
    "--nodes",
    "16384",
    "--epochs",
    "1",
    "--format",
    "text",
    "--start",
    START,
    // fauxtrain's own telemetry lines: framework styles print none of them.
    "--style",
    "native",
  ]);
  // Hundreds of thousands of GPU lines: count them as they pass instead of keeping them.
  let gpuLines = 0, tail = "";
  await child.waitFor((text) => {
    const cut = text.lastIndexOf("\n") + 1;
    gpuLines += (text.slice(0, cut).match(/ INFO {2}gpu /g) ?? []).length;
    tail = text.slice(0, cut).slice(-4000) || tail;
    child.stdout = text.slice(cut);
    return /Training complete in /.test(tail);
  }, "the summary");
  const r = await child.finish();
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, "");
  assert.match(tail, /131,072 × |Training complete in .*: [\d,]+ steps/);
  assert.ok(gpuLines >= 16384, `every node reports (${gpuLines} gpu lines)`);
  assert.equal(gpuLines % 16384, 0, "each report covers all 16,384 nodes");
});

Deno.test("--speed 100000 finishes a whole run", async () => {
  const r = await runMain(["--speed", "100000", "--seed", "2", "--format", "jsonl", ...SMALL]);
  assert.equal(r.code, 0, r.stderr);
  const { run, summary } = jsonRun(r.stdout);
  assert.equal(summary.type, "summary");
  assert.equal(summary.steps, run.total_steps);
  assert.equal(summary.signal, undefined);
});

Deno.test("100 epochs validate 100 times and finish", async () => {
  const r = await runMain([
    "--instant",
    "--seed",
    "6",
    "--epochs",
    "100",
    "--format",
    "jsonl",
    ...SMALL,
  ]);
  assert.equal(r.code, 0, r.stderr);
  const { lines, run, summary } = jsonRun(r.stdout);
  assert.equal(run.epochs, 100);
  assert.deepEqual(
    lines.filter((l) => l.type === "val").map((l) => l.epoch),
    Array.from({ length: 100 }, (_, i) => i + 1),
  );
  assert.equal(summary.steps, 100 * run.steps_per_epoch);
});

Deno.test("--exit-after 1s stops a paced run early with status 0 and complete lines", async () => {
  const r = await runMain([
    "--exit-after",
    "1s",
    "--seed",
    "3",
    "--speed",
    "50",
    "--format",
    "text",
  ]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, "");
  assert.ok(r.stdout.split("\n").length > 3, "some of the run was printed");
  assert.ok(r.stdout.endsWith("\n"));
  assert.doesNotMatch(r.stdout, /Training (complete|interrupted)/, "the run was cut short");
});

Deno.test("--loop with --exit-after runs several jobs back to back", async () => {
  const r = await runMain([
    "--loop",
    "--instant",
    "--exit-after",
    "2s",
    "--seed",
    "8",
    "--format",
    "jsonl",
    ...SMALL,
  ]);
  assert.equal(r.code, 0, r.stderr);
  const lines: Line[] = parseLines(r.stdout);
  const runs = lines.filter((l) => l.type === "run");
  assert.ok(runs.length >= 2, `${runs.length} runs`);
  assert.equal(new Set(runs.map((l) => l.seed)).size, runs.length, "each job has its own seed");
  assert.ok(lines.filter((l) => l.type === "summary").length >= runs.length - 1);
});
