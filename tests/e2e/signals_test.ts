/**
 * Signals and closed pipes, end to end: SIGINT and SIGTERM end a run with its own ending and
 * exit 130 or 143 with complete final lines; a reader that goes away ends the run quietly with 0.
 */
import assert from "node:assert/strict";
import { MainChild } from "./main_child.ts";
import { parseLines, START } from "./run_main.ts";

// deno-lint-ignore no-explicit-any
type Line = Record<string, any>;

/**
 * A run paced fast enough to reach training within a second or two, and a whole one (its model
 * fixed), so it is still going when the signal comes.
 */
const PACED = [
  "--seed",
  "3",
  "--start",
  START,
  "--speed",
  "3000",
  "--nodes",
  "2",
  "--style",
  "native",
  "--model",
  "llama-3-8b",
];
const hasStep = (text: string) => /\| step +\d+\/|"type":"step"/.test(text);

Deno.test("SIGINT in text mode prints the interrupt ending, complete, and exits 130", async () => {
  const child = new MainChild([...PACED, "--format", "text"]);
  await child.waitFor(hasStep, "the first step line");
  child.process.kill("SIGINT");
  const r = await child.finish();
  assert.equal(r.code, 130, r.stderr);
  assert.equal(r.stderr, "");
  assert.ok(r.stdout.endsWith("\n"), "the last line is complete");
  const lines = r.stdout.trimEnd().split("\n");
  const warn = lines.findIndex((l) =>
    / WARN {2}Interrupted \(SIGINT\) at epoch \d+\/\d+, step/.test(l)
  );
  assert.ok(warn > 0, "the interrupt warning is printed");
  assert.match(lines.at(-1)!, / WARN {2}Training interrupted by SIGINT after /);
  assert.ok(lines.slice(warn).some((l) => /Received Signals\.SIGINT death signal/.test(l)));
  for (const l of lines) assert.match(l, /^\d{4}-\d\d-\d\dT[\d:.]+Z (INFO |WARN |ERROR) /);
});

Deno.test("SIGTERM in jsonl mode ends with typed events and exits 143", async () => {
  const child = new MainChild([...PACED, "--format", "jsonl"]);
  await child.waitFor(hasStep, "the first step event");
  child.process.kill("SIGTERM");
  const r = await child.finish();
  assert.equal(r.code, 143, r.stderr);
  assert.equal(r.stderr, "");
  const lines: Line[] = parseLines(r.stdout);
  const warn = lines.findIndex((l) => l.type === "log" && l.key === "interrupt");
  assert.ok(warn > 0, "a log event with key interrupt");
  assert.equal(lines[warn].level, "warn");
  const tail = lines.slice(warn);
  const lastStep = lines.findLast((l) => l.type === "step")!;
  const ckpt = tail.find((l) => l.type === "ckpt");
  if (ckpt) assert.equal(ckpt.emergency, true, "the checkpoint on the way out is an emergency one");
  const summary = lines.at(-1)!;
  assert.equal(summary.type, "summary");
  assert.equal(summary.signal, "SIGTERM");
  assert.ok(summary.steps >= lastStep.step, "the summary counts every step that ran");
  assert.ok(summary.steps < lines.find((l) => l.type === "run")!.total_steps);
  assert.equal(summary.checkpoints, lines.filter((l) => l.type === "ckpt").length);
});

Deno.test("SIGINT during start-up still ends with a summary", async () => {
  const child = new MainChild([...PACED.slice(0, 4), "--speed", "1", "--format", "jsonl"]);
  await child.waitFor((t) => t.includes('"type":"log"'), "the first line");
  child.process.kill("SIGINT");
  const r = await child.finish();
  assert.equal(r.code, 130, r.stderr);
  const lines: Line[] = parseLines(r.stdout);
  const summary = lines.at(-1)!;
  assert.equal(summary.type, "summary");
  assert.equal(summary.steps, 0);
  assert.equal(summary.final_loss, null, "no loss before the first step");
});

for (
  const [name, args] of [
    ["paced text", [...PACED, "--format", "text"]],
    ["instant text", ["--instant", "--seed", "5", "--format", "text"]],
    ["instant jsonl", ["--instant", "--seed", "5", "--format", "jsonl"]],
    ["a looping run", ["--instant", "--loop", "--seed", "5", "--format", "text"]],
  ] as const
) {
  Deno.test(`a reader that goes away ends ${name} quietly with status 0`, async () => {
    const child = new MainChild([...args]);
    await child.waitFor((t) => t.split("\n").length > 5, "five lines");
    await child.closeStdout();
    const r = await child.finish();
    assert.equal(r.code, 0);
    assert.equal(r.stderr, "", "no stack trace, no message");
  });
}
