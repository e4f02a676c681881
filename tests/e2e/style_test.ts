/** Framework styles through main.ts: text without timestamps, JSON lines, bad names. */
import assert from "node:assert/strict";
import { parseLines, runMain, START } from "./run_main.ts";

Deno.test("--style megatron --no-timestamps reads like a Megatron log, with no escape bytes", async () => {
  const r = await runMain([
    "--style",
    "megatron",
    "--no-timestamps",
    "--format",
    "text",
    "--instant",
    "--seed",
    "9",
    "--model",
    "llama-3-8b",
    "--start",
    START,
  ], { env: { FORCE_COLOR: "1" } });
  assert.equal(r.code, 0, r.stderr);
  assert.ok(!r.stdout.includes("\x1b"));
  const iterations = r.stdout.split("\n").filter((l) => /\] iteration /.test(l));
  assert.ok(iterations.length > 10);
  for (const line of iterations) {
    assert.match(
      line,
      /^\[default7\]: \[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\] iteration +\d+\/ +\d+ \| consumed samples: +\d+ \| .* \| lm loss: \d\.\d{6}E[+-]\d\d \| .* \| number of nan iterations: +0 \|$/,
    );
  }
  assert.match(r.stdout, /^\[default0\]:-+ arguments -+$/m);
  assert.match(r.stdout, /^\[default\d\]:\S+:\d+:\d+ \[\d\] NCCL INFO Channel 00\/\d+ :/m);
  assert.match(
    r.stdout,
    /^\[default0\]:\[before the start of training step\] datetime: [\d-]+ [\d:]+ $/m,
  );
  assert.ok(!r.stdout.includes("NCCL AllReduce"), "native telemetry lines are gone");
  assert.ok(!/^gpu /m.test(r.stdout), "no telemetry narrator lines");
});

Deno.test("text mode writes a framework's lines as the job wrote them, --timestamps a collector's time; jsonl keeps the events", async () => {
  const args = ["--style", "hf", "--instant", "--seed", "12", "--start", START, "--nodes", "2"];
  args.push("--epochs", "1");
  const text = await runMain([...args, "--format", "text"]);
  assert.equal(text.code, 0, text.stderr);
  const lines = text.stdout.trimEnd().split("\n");
  assert.ok(
    lines.some((l) => /^\{'loss': [\d.]+, 'grad_norm': /.test(l)),
    "the Trainer's dicts, bare",
  );
  assert.ok(!lines.some((l) => /^\d{4}-\d\d-\d\dT[\d:.]+Z (INFO |WARN |ERROR) /.test(l)));
  // A log collector's prefix is the time it received the line, never a level of its own.
  const stamped = await runMain([...args, "--format", "text", "--timestamps"]);
  const stampedLines = stamped.stdout.trimEnd().split("\n");
  assert.equal(stampedLines.length, lines.length);
  stampedLines.forEach((l, i) =>
    assert.equal(l.replace(/^\d{4}-\d\d-\d\dT[\d:.]{12}Z /, ""), lines[i])
  );
  const jsonl = parseLines((await runMain([...args, "--format", "jsonl"])).stdout);
  const steps = jsonl.filter((l) => l.type === "step");
  assert.ok(steps.length > 20 && steps.every((s) => typeof s.loss === "number"));
  // A step's line is the Trainer's progress bar, with the logged dict on the logging steps.
  assert.ok(steps.every((s) => String(s.msg) !== ""), "the styled line is the msg");
  assert.ok(steps.some((s) => String(s.msg).includes(`'loss': `)), "a logged dict is in a msg");
  const gpu = jsonl.filter((l) => l.type === "gpu");
  assert.ok(gpu.length >= 2, "gpu events stay in jsonl even when text shows none");
});

Deno.test("--style with an unknown name exits 2 naming the flag", async () => {
  const r = await runMain(["--style", "keras", "--instant"]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^fauxtrain: --style must be one of auto, .*megatron.*, got "keras"\n$/);
  assert.equal(r.stdout, "");
});
