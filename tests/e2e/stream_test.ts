/**
 * Invariants on the JSON-lines stream of whole runs over several seeds and cluster sizes, with
 * the default fault rate, with every kind of fault (`--chaos high`) and resumed from a checkpoint.
 */
import assert from "node:assert/strict";
import { parseLines, runMain, START } from "./run_main.ts";

// deno-lint-ignore no-explicit-any
type Line = Record<string, any>;

const CASES: Array<{ seed: number; extra: string[] }> = [
  { seed: 1, extra: [] },
  { seed: 7, extra: ["--nodes", "1"] },
  { seed: 11, extra: ["--nodes", "8", "--gpu", "h100"] },
  { seed: 23, extra: ["--nodes", "64", "--gpu", "mi300x"] },
  { seed: 42, extra: ["--model", "llama-3-8b", "--epochs", "2"] },
  { seed: 99, extra: ["--chaos", "off"] },
  { seed: 7, extra: ["--chaos", "high"] },
  { seed: 23, extra: ["--nodes", "64", "--gpu", "mi300x", "--chaos", "high"] },
  { seed: 42, extra: ["--model", "llama-3-8b", "--epochs", "2", "--resume", "--chaos", "high"] },
];

for (const { seed, extra } of CASES) {
  Deno.test(`jsonl stream of seed ${seed} ${extra.join(" ")} holds every invariant`, async () => {
    const r = await runMain([
      "--instant",
      "--seed",
      String(seed),
      "--start",
      START,
      "--format",
      "jsonl",
      ...extra,
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, "");
    const lines: Line[] = parseLines(r.stdout);
    checkEnvelope(lines);
    const run = lines.find((l) => l.type === "run")!;
    assert.ok(run, "a run event");
    assert.equal(run.seed, seed);
    checkSteps(lines, run);
    checkValidation(lines, run);
    checkSummary(lines, run);
    checkGpus(lines, run);
    checkAllReduce(lines);
    checkFaults(lines, run);
    if (!extra.includes("high")) {
      const warnings = lines.filter((l) => l.level !== "info").length;
      assert.ok(warnings / lines.length < 0.05, `warnings ${warnings}/${lines.length}`);
    }
  });
}

function checkEnvelope(lines: Line[]) {
  // The GPUs are read as the job starts (one line per node), then comes the launch command;
  // its shape depends on the framework style.
  const launch = lines.findIndex((l) => l.type !== "gpu");
  assert.equal(lines[launch].key, "launch", "the launch line comes first");
  // A shell trace of the launcher, or nothing where the job's log starts with the program.
  if (lines[launch].msg !== "") assert.match(lines[launch].msg, /^\+ \S+ |^\S/m);
  // The job script's own start (the nvidia-smi it runs) comes between: up to 1.4 s.
  const start = lines.slice(0, launch);
  const launchMs = Date.parse(lines[launch].ts);
  assert.ok(start.length > 0, "read at the start");
  for (const l of start) {
    assert.equal(l.ts, start[0].ts, "one reading");
    const ms = launchMs - Date.parse(l.ts);
    assert.ok(ms >= 20 && ms <= 1400, `the launch ${ms} ms after the job's start`);
  }
  let prev = "";
  for (const l of lines) {
    assert.match(l.ts, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.ok(["info", "warn", "error"].includes(l.level));
    assert.equal(typeof l.type, "string");
    assert.equal(typeof l.msg, "string");
    assert.ok(l.ts >= prev, `timestamps never go back: ${prev} then ${l.ts}`);
    prev = l.ts;
  }
}

/** Steps between two logged steps: the commonest gap (a few steps are logged off the beat). */
function logInterval(steps: Line[]): number {
  const counts = new Map<number, number>();
  for (let i = 1; i < steps.length; i++) {
    const d = steps[i].step - steps[i - 1].step;
    counts.set(d, (counts.get(d) ?? 0) + 1);
  }
  return [...counts].reduce((a, b) => (b[1] > a[1] ? b : a))[0];
}

/** The fault kinds that kill the job: it relaunches from the last checkpoint. */
const JOB_FAILURES = ["gpu_fault", "oom", "crash"];

function checkSteps(lines: Line[], run: Line) {
  const steps = lines.filter((l) => l.type === "step");
  // A run drawn to fit a few minutes may log only a dozen steps.
  assert.ok(steps.length > 5);
  const every = logInterval(steps);
  const resumed = run.resume_step ?? 0;
  assert.ok(
    steps[0].step > resumed && steps[0].step <= resumed + every,
    "first step follows the resume",
  );
  let prev = steps[0];
  let rollback: number | null = null;
  for (const l of lines) {
    if (l.type === "fault" && JOB_FAILURES.includes(l.kind)) {
      rollback = l.resume_step;
    }
    if (l.type !== "step" || l === steps[0]) continue;
    if (rollback !== null) {
      assert.ok(
        l.step > rollback && l.step <= rollback + every,
        "restart continues the checkpoint",
      );
      rollback = null;
    } else {
      assert.ok(l.step > prev.step, "steps strictly increase between job failures");
    }
    assert.ok(l.elapsed_s >= prev.elapsed_s, "elapsed time never goes back");
    prev = l;
  }
  const faulty = lines.some((l) => l.type === "fault");
  for (let i = 0; i < steps.length; i++) {
    const s = steps[i];
    assert.ok(Math.abs(s.ppl - Math.exp(s.loss)) / s.ppl < 1e-5, "ppl = e^loss");
    assert.equal(s.total_steps, run.total_steps);
    assert.ok(s.lr >= 0 && s.lr <= run.lr_max * 1.0000001);
    // A process's first step also compiles and warms up: a minute of compiling for a small
    // model's fraction of a second leaves it a fraction of a percent.
    const warm = i === 0 || steps[i - 1].step >= s.step;
    assert.ok(s.mfu > (warm ? 0.0005 : 0.05) && s.mfu < 0.65, `mfu ${s.mfu}`);
    assert.ok(Math.abs(s.tokens_per_s - s.samples_per_s * run.seq_len) / s.tokens_per_s < 1e-5);
    assert.ok(
      Math.abs(s.step_time_s * s.tokens_per_s - run.global_batch * run.seq_len) /
          (run.global_batch * run.seq_len) < 1e-5,
    );
    assert.ok(s.elapsed_s >= 0 && s.eta_s >= 0);
    assert.equal(s.tokens_seen, s.step * run.global_batch * run.seq_len);
    assert.ok(Math.abs(s.mfu - s.tflops_per_gpu / run.peak_tflops) < 1e-5, "mfu = tflops / peak");
    assert.ok(s.tflops_per_gpu < run.peak_tflops, "never above the GPU's peak");
    if (i > 0) {
      const prev = steps[i - 1];
      const wallGap = (Date.parse(s.ts) - Date.parse(prev.ts)) / 1000;
      const tol = 0.002 + s.elapsed_s * 1e-6;
      assert.ok(
        Math.abs(s.elapsed_s - prev.elapsed_s - wallGap) <= tol,
        "elapsed matches the timestamps",
      );
    }
    // Faults (stragglers, restarts) legitimately move the ETA away from the last step's time.
    // The ETA follows the steps' smoothed time, not a stalled step's own.
    // (Not over the first steps a process runs: compile and warm-up make them slow.)
    if (!faulty && s.step > 20 && i >= 10 && s.step < run.total_steps) {
      const recent = steps.slice(Math.max(0, i - 10), i + 1).map((x) => x.step_time_s)
        .sort((a, b) => a - b);
      const expected = recent[recent.length >> 1] * (run.total_steps - s.step);
      assert.ok(Math.abs(s.eta_s - expected) / expected < 0.15, `eta ${s.eta_s} vs ${expected}`);
    }
  }
  assert.ok(run.mem_per_gpu_gib <= run.gpu_mem_gib * 0.93, "memory fits the GPU");
  if (!cutShort(lines)) {
    assert.equal(steps.at(-1)!.step, run.total_steps, "the last step is logged");
  }
  const n = Math.max(3, Math.floor(steps.length / 10));
  const mean = (xs: Line[]) => xs.reduce((a, s) => a + s.loss, 0) / xs.length;
  if (!resumed) assert.ok(mean(steps.slice(-n)) < mean(steps.slice(0, n)), "loss trends down");
  const warm = steps.filter((s) => s.step <= run.warmup_steps && !s.skipped);
  for (let i = 1; i < warm.length; i++) assert.ok(warm[i].lr > warm[i - 1].lr, "LR warms up");
  const tail = steps.filter((s) => s.step > run.warmup_steps * 1.5);
  if (tail.length > 2) assert.ok(tail.at(-1)!.lr < tail[0].lr, "LR decays");
}

/** Every fault is typed, placed and followed by what its recovery promises. */
function checkFaults(lines: Line[], run: Line) {
  const faults = lines.filter((l) => l.type === "fault");
  for (const f of faults) {
    assert.ok(["warn", "error"].includes(f.level));
    assert.ok(f.step > (run.resume_step ?? 0) && f.step <= run.total_steps);
    // A framework style prints no line for the fault event itself (its tools' lines say it).
    assert.ok(typeof f.msg === "string" && f.cause.length > 0);
    if (f.rank !== null) assert.equal(f.node, Math.floor(f.rank / run.gpus_per_node));
    const next = lines.slice(lines.indexOf(f)).find((l) => l.type === "step")!;
    if (f.recovery === "skip_batch" || f.recovery === "skip_step") {
      assert.ok(next.skipped && next.lr === 0 && next.step === f.step, "the batch is skipped");
    }
    if (JOB_FAILURES.includes(f.kind)) {
      assert.ok(f.resume_step < f.step && f.downtime_s > 60);
      assert.ok(lines.some((l) => l.key === "launch" && l.ts > f.ts), "the job is launched again");
    }
  }
  const summary = lines.findLast((l) => l.type === "summary")!;
  assert.equal(summary.faults, faults.length || undefined);
  const lost = faults.reduce((a, f) => a + (f.lost_steps ?? 0), 0);
  assert.equal(summary.steps_replayed, faults.length ? lost : undefined);
}

/** Whether the scheduler's time limit (a SIGTERM) ended the run before its last step. */
function cutShort(lines: Line[]): boolean {
  return lines.findLast((l) => l.type === "summary")?.signal !== undefined;
}

function checkValidation(lines: Line[], run: Line) {
  const vals = lines.filter((l) => l.type === "val");
  const done = Math.floor((run.resume_step ?? 0) / run.steps_per_epoch);
  // Every epoch's end is evaluated; a script may evaluate on its own interval too.
  const ends = Array.from(
    { length: run.epochs - done },
    (_, i) => (done + i + 1) * run.steps_per_epoch,
  );
  const evaluated = new Set(vals.map((v) => v.step));
  const reached = lines.findLast((l) => l.type === "summary")?.steps ?? run.total_steps;
  for (const end of ends) if (end <= reached) assert.ok(evaluated.has(end), `epoch end ${end}`);
  vals.forEach((v) => {
    assert.equal(v.epoch, Math.max(1, Math.ceil(v.step / run.steps_per_epoch)));
    assert.ok(Math.abs(v.ppl - Math.exp(v.loss)) / v.ppl < 1e-5);
    assert.ok(v.samples > 0);
  });
}

function checkSummary(lines: Line[], run: Line) {
  const summary = lines.at(-1)!.type === "summary"
    ? lines.at(-1)!
    : lines.findLast((l) => l.type === "summary")!;
  const steps = lines.filter((l) => l.type === "step");
  const vals = lines.filter((l) => l.type === "val");
  if (cutShort(lines)) {
    // Cut between two logged steps: the summary counts the steps run since the last line.
    assert.ok(summary.steps >= steps.at(-1)!.step && summary.steps < run.total_steps);
  } else {
    assert.equal(summary.steps, run.total_steps);
    assert.equal(summary.final_loss, steps.at(-1)!.loss);
  }
  assert.equal(summary.tokens, summary.steps * run.global_batch * run.seq_len);
  if (vals.length > 0) assert.equal(summary.best_val_loss, Math.min(...vals.map((v) => v.loss)));
  assert.equal(summary.checkpoints, lines.filter((l) => l.type === "ckpt").length);
  // A job its time limit ends within minutes may reach none of its saves.
  if (!cutShort(lines)) assert.ok(summary.checkpoints >= 1);
  const exports = lines.filter((l) => l.type === "export").map((l) => l.format);
  const shipped = run.task === "finetune" ? ["safetensors", "gguf"] : ["safetensors"];
  assert.deepEqual(exports, cutShort(lines) ? [] : shipped);
  const t0 = Date.parse(lines[0].ts);
  assert.ok(
    Math.abs(summary.total_time_s - (Date.parse(summary.ts) - t0) / 1000) <
      0.01 + summary.total_time_s * 1e-6,
  );
}

function checkGpus(lines: Line[], run: Line) {
  const gpus = lines.filter((l) => l.type === "gpu");
  assert.ok(gpus.length >= run.nodes, "GPU status lines appear");
  assert.equal(gpus.length % run.nodes, 0, "every tick reports every node");
  // A GPU goes dark at its Xid; the fault event follows once the job notices (seconds later).
  const failed = new Set<number>(
    lines.filter((l) => l.type === "fault" && l.kind === "gpu_fault").map((l) => l.node),
  );
  for (const l of lines) {
    if (l.type !== "gpu") continue;
    const g = l;
    assert.equal(g.gpus.length, run.gpus_per_node);
    if (g.gpus.some((x: Line) => x.power_w === 0)) {
      assert.ok(failed.has(g.node), "only a node that had a GPU fault goes down");
      for (const x of g.gpus) {
        assert.ok(x.util_pct === 0 && x.mem_used_gib === 0 && x.power_w === 0);
      }
      continue;
    }
    for (const x of g.gpus) {
      assert.ok(x.util_pct >= 0 && x.util_pct <= 100);
      assert.ok(x.temp_c > 15 && x.temp_c < 95, `temp ${x.temp_c}`);
      // 0 while no process holds the GPU (before the launch, between a fault and the restart).
      assert.ok(x.mem_used_gib >= 0 && x.mem_used_gib <= x.mem_total_gib);
      assert.ok(x.power_w > 0 && x.power_w < 1300);
    }
  }
  assert.ok(gpus[0].gpus.every((x: Line) => x.mem_used_gib === 0), "read before the launch");
  const ranks = gpus.slice(0, run.nodes).flatMap((g) => g.gpus.map((x: Line) => x.rank));
  assert.deepEqual(ranks, [...Array(run.gpus).keys()], "nodes merged in order");
}

function checkAllReduce(lines: Line[]) {
  const ar = lines.filter((l) => l.type === "allreduce");
  assert.ok(ar.length >= 1);
  const run = lines.find((l) => l.type === "run")!;
  for (const a of ar) {
    assert.ok(a.time_ms > 0 && a.busbw_gbps > 0);
    assert.ok(a.busbw_gbps <= run.busbw_max_gbps, `busbw ${a.busbw_gbps} within the hardware`);
  }
}

Deno.test("same seed and start give byte-identical text and jsonl; another seed differs", async () => {
  for (const format of ["text", "jsonl"]) {
    const args = ["--instant", "--seed", "99", "--start", START, "--format", format];
    const a = await runMain(args);
    const b = await runMain(args);
    assert.equal(a.code, 0);
    assert.equal(a.stdout, b.stdout, `${format} output is reproducible`);
    const c = await runMain(["--instant", "--seed", "100", "--start", START, "--format", format]);
    assert.notEqual(a.stdout, c.stdout);
  }
});

Deno.test("fauxtrain's own text lines have no escape byte and each a timestamp and level", async () => {
  const own = ["--style", "native"];
  const r = await runMain([
    "--instant",
    "--seed",
    "5",
    "--start",
    START,
    "--format",
    "text",
    ...own,
  ], {
    env: { FORCE_COLOR: "1" },
  });
  assert.equal(r.code, 0);
  assert.ok(!r.stdout.includes("\x1b"));
  for (const line of r.stdout.trimEnd().split("\n")) {
    assert.match(line, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z (INFO |WARN |ERROR) /);
  }
  const bare = await runMain([
    "--instant",
    "--seed",
    "5",
    "--start",
    START,
    "--no-timestamps",
    ...own,
  ]);
  assert.doesNotMatch(bare.stdout, /^\d{4}-\d\d-\d\dT/, "--no-timestamps leaves the bare log");
});
