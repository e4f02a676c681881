/** Faults under fixed seeds: each kind's signature and recovery, resumed runs, and `low`'s rate. */
import { findModel } from "../../src/sim/catalog.ts";
import assert from "node:assert/strict";
import { drawRunConfig, type RunChoices, type RunConfig } from "../../src/sim/run_config.ts";
import { simulateRun } from "../../src/sim/simulate.ts";
import { drawRun } from "../../src/sim/scenario.ts";
import { applyStyle, NATIVE_STYLE, openStyle } from "../../src/style/style.ts";
import type {
  FaultData,
  LogEvent,
  LogKey,
  SimEvent,
  StepData,
  TickEvent,
} from "../../src/sim/events.ts";
import { drawChaosPlan, expectedFaults } from "../../src/sim/chaos.ts";
import type {
  GpuFault,
  OomFault,
  PlannedFault,
  PointFault,
  SpikeFault,
  StragglerFault,
} from "../../src/sim/fault_plan.ts";
import { learningRate } from "../../src/sim/model/schedule.ts";
import { expectedLoss } from "../../src/sim/model/loss.ts";
import { initialTrainState, scheduleOf } from "../../src/sim/phases/train_state.ts";
import { faultLine } from "../../src/style/fault_line.ts";
import { cadenceFor, paceFor } from "../../src/driver/driver.ts";

const START = Date.parse("2026-11-24T09:00:00Z");
/** A 4-node fp16 pretraining run whose `high` plan holds every kind of fault. */
const ALL_KINDS: RunChoices = {
  seed: 15,
  startMs: START,
  chaos: "high",
  model: findModel("gpt2-774m"),
};

interface Run {
  cfg: RunConfig;
  events: SimEvent[];
  steps: StepData[];
  /** Steps whose line is printed. */
  logged: Set<number>;
  faults: Array<{ index: number; data: FaultData; level: string }>;
}

/**
 * Every event of a run, with telemetry ticks every 20 simulated seconds of training, its lines
 * in fauxtrain's own wording.
 */
function simulate(choices: RunChoices): Run {
  const cfg = drawRunConfig(choices);
  const writer = openStyle(NATIVE_STYLE, cfg);
  const events = [...simulateRun(cfg, { initMs: 1e15, trainMs: 20_000 })].map((e) =>
    e.type === "tick" || e.type === "phase" ? e : applyStyle(writer, e)
  );
  const steps: StepData[] = [];
  const logged = new Set<number>();
  const faults: Run["faults"] = [];
  events.forEach((e, index) => {
    if (e.type === "step") steps.push(e.data);
    if (e.type === "step" && e.logged) logged.add(e.data.step);
    if (e.type === "fault") faults.push({ index, data: e.data, level: e.level });
  });
  return { cfg, events, steps, logged, faults };
}

function planned<F extends PlannedFault>(
  cfg: RunConfig,
  kind: F["kind"],
  pick: (f: F) => boolean = () => true,
): F {
  const f = drawChaosPlan(cfg).faults.find((f) => f.kind === kind && pick(f as F));
  assert.ok(f, `the plan has a ${kind}`);
  return f as F;
}

/** The last step event with number `step` (after a rollback a step can run twice). */
function stepAt(r: Run, step: number): StepData {
  const s = r.steps.findLast((s) => s.step === step);
  assert.ok(s, `step ${step} ran`);
  return s;
}

const high = simulate(ALL_KINDS);

Deno.test("drawChaosPlan() draws nothing under off, and a fault-free low run equals the off run", () => {
  const off = simulate({ seed: 1, startMs: START, chaos: "off" });
  assert.deepEqual(drawChaosPlan(off.cfg).faults, []);
  const low = simulate({ seed: 1, startMs: START, chaos: "low" });
  assert.deepEqual(drawChaosPlan(low.cfg).faults, [], "seed 1 draws no fault under low");
  assert.equal(JSON.stringify(low.events), JSON.stringify(off.events));
});

Deno.test("--chaos high plans every kind of fault, and each shows up as a typed fault event", () => {
  const kinds = new Set(high.faults.map((f) => f.data.kind));
  assert.deepEqual(
    [...kinds].sort(),
    ["crash", "fp16_overflow", "gpu_fault", "loss_spike", "nan", "oom", "straggler"],
  );
  const spikes = high.faults.filter((f) => f.data.kind === "loss_spike");
  assert.deepEqual(spikes.map((f) => f.data.recovery).sort(), ["continue", "skip_batch"]);
  for (const f of high.faults) {
    assert.ok(f.data.cause.length > 0);
    assert.equal(
      f.level,
      ["gpu_fault", "oom", "crash"].includes(f.data.kind) ? "error" : "warn",
    );
  }
});

Deno.test("a loss spike: grad norm climbs first, loss peaks a logged step later, both recover", () => {
  const f = planned<SpikeFault>(high.cfg, "loss_spike", (f) => !f.skip);
  const u = f.unitSteps;
  const before = stepAt(high, f.startStep - u);
  const grads = [0, 1, 2, 3].map((k) => stepAt(high, f.startStep + k * u).grad_norm);
  for (let k = 1; k < 4; k++) assert.ok(grads[k] > grads[k - 1] * 2, `grad climbs: ${grads}`);
  const losses = [2, 3, 4, 5].map((k) => stepAt(high, f.startStep + k * u).loss);
  assert.ok(losses[1] > losses[0] && losses[2] > losses[1], `loss follows: ${losses}`);
  assert.ok(losses[3] < losses[2], "the loss peaks one unit after the grad norm");
  assert.equal(f.step, f.startStep + 4 * u);
  assert.ok(stepAt(high, f.step).loss > before.loss * (1 + f.lossAmp * 0.8));
  const after = stepAt(high, f.endStep);
  assert.ok(Math.abs(after.loss / before.loss - 1) < 0.05, "the loss is back on its curve");
  assert.ok(after.grad_norm < before.grad_norm * 2, "so is the grad norm");
  assert.ok(f.endStep - f.step >= 10 * u, "recovery takes tens of logged steps");
  const event = high.faults.find((e) => e.data.kind === "loss_spike" && e.data.step === f.step)!;
  assert.equal(event.data.loss, stepAt(high, f.step).loss);
  // The peak is the highest grad norm of any step of the spike, logged or not.
  const spike = Array.from({ length: f.step - f.startStep + 1 }, (_, i) => f.startStep + i);
  const peak = Math.max(...spike.map((n) => stepAt(high, n).grad_norm));
  assert.ok(peak >= Math.max(...grads));
  assert.equal(event.data.grad_norm, peak);
});

Deno.test("a grad-norm spike can instead skip the batch and say so", () => {
  const f = planned<SpikeFault>(high.cfg, "loss_spike", (f) => f.skip);
  const skipped = stepAt(high, f.step);
  assert.ok(skipped.skipped && skipped.lr === 0);
  assert.ok(skipped.grad_norm > stepAt(high, f.step - f.unitSteps).grad_norm * 3);
  const next = stepAt(high, f.step + 1);
  assert.ok(!next.skipped && next.lr > 0 && next.grad_norm < skipped.grad_norm / 5);
  const event = high.faults.find((e) => e.data.step === f.step)!;
  assert.equal(event.data.recovery, "skip_batch");
  assert.match(faultLine(event.data), /^Grad-norm spike at step \d+: .*skipping this batch/);
});

Deno.test("an fp16 overflow mid-run spends the hysteresis or halves the loss scale, and skips", () => {
  const planned = drawChaosPlan(high.cfg).faults.filter((f) => f.kind === "fp16_overflow");
  assert.ok(planned.length >= 2, "the plan has overflows");
  let halved = 0;
  for (const f of planned) {
    const prev = stepAt(high, f.step - 1), hit = stepAt(high, f.step);
    const event = high.faults.find((e) => e.data.step === f.step)!;
    assert.equal(event.data.kind, "fp16_overflow");
    // The scaler spends its hysteresis before it halves (DeepSpeed's and Megatron's scalers).
    assert.equal(event.data.attempted_scale, prev.loss_scale);
    const kept = event.data.hysteresis! > 1;
    assert.equal(hit.loss_scale, kept ? prev.loss_scale : prev.loss_scale / 2);
    if (!kept) halved++;
    assert.ok(hit.skipped && hit.lr === 0);
    // Logged even when it falls between the log interval's beats.
    assert.ok(high.logged.has(f.step), `overflow at step ${f.step} logged`);
    assert.equal(event.data.loss_scale, hit.loss_scale);
    assert.match(faultLine(event.data), /loss scale reduced to \d+/);
  }
  assert.ok(halved > 0, "one of them halves the scale");
});

Deno.test("a NaN in the gradients is detected and the batch skipped", () => {
  const f = planned<PointFault>(high.cfg, "nan");
  const hit = stepAt(high, f.step);
  assert.ok(hit.skipped && hit.lr === 0 && Number.isFinite(hit.loss));
  assert.ok(high.logged.has(f.step), "the skipped step is logged");
  const event = high.faults.find((e) => e.data.step === f.step)!;
  assert.equal(event.data.kind, "nan");
  assert.equal(event.data.rank, f.rank);
  assert.equal(event.data.node, Math.floor(f.rank / 8));
  assert.match(
    faultLine(event.data),
    /Non-finite gradients at step \d+ on rank \d+ \(\S+ GPU \d\)/,
  );
});

/** Keys of the log events from `from` on, in order. */
function keysFrom(r: Run, from: number): LogKey[] {
  return r.events.slice(from).filter((e): e is LogEvent => e.type === "log").map((e) => e.key);
}

/** Asserts that `story` appears in `keys` in this order (other keys may come between). */
function assertStory(keys: LogKey[], story: LogKey[]): void {
  let at = 0;
  for (const key of story) {
    at = keys.indexOf(key, at);
    assert.ok(at >= 0, `then ${key}`);
    at += 1;
  }
}

Deno.test("a GPU fault kills the job: the rank's CUDA error, hung ranks' watchdogs, then a relaunch", () => {
  const f = planned<GpuFault>(high.cfg, "gpu_fault");
  const event = high.faults.find((e) => e.data.kind === "gpu_fault")!;
  const node = Math.floor(f.rank / 8);
  assert.equal(event.data.resume_step, f.resumeStep);
  assert.equal(event.data.resume_step! % high.cfg.ckptInterval, 0, "it is a saved checkpoint");
  assert.equal(event.data.lost_steps, f.step - 1 - f.resumeStep);
  assert.ok(event.data.restart! >= 1);
  assert.equal(event.data.xid, f.xid);
  assert.equal(event.data.exit_code, -6);
  const before = high.events.slice(0, event.index).filter((e): e is LogEvent => e.type === "log");
  assert.deepEqual(before.slice(-2).map((e) => e.key), ["fault.kernel", "fault.cuda"]);
  assertStory(keysFrom(high, event.index), [
    "fault.exit",
    "fault.srun",
    "fault.watchdog",
    "fault.exit",
    "fault.srun",
    "launch",
    "nccl.init",
    "model.arch",
    "resume.load",
    "resume.state",
    "epoch.start",
  ]);
  // This failure's own lines: up to its relaunch (later failures have watchdogs of their own).
  const relaunchAt = high.events.findIndex((e, i) =>
    i > event.index && e.type === "log" && e.key === "launch"
  );
  const logs = high.events.slice(event.index, relaunchAt).filter((e): e is LogEvent =>
    e.type === "log"
  );
  const watchdogs = logs.filter((e) => e.key === "fault.watchdog");
  assert.ok(watchdogs.length >= 8 && watchdogs.every((w) => w.type === "log"));
  for (const w of watchdogs) {
    if (w.key !== "fault.watchdog") continue;
    assert.equal(w.data.timeout_ms, 600_000);
    assert.ok(w.data.ran_ms >= 600_000 && w.data.ran_ms <= 600_100, "0-100 ms over the timeout");
    // The hung rank entered the collective `ran_ms` before its watchdog fired: in the step the
    // fault struck, at most a few seconds before the failing rank died (the fault event), never
    // after it.
    const entered = w.simMs - w.data.ran_ms;
    const deathMs = high.events[event.index].simMs;
    assert.ok(entered <= deathMs, "the rank was waiting when the failing rank died");
    assert.ok(entered >= deathMs - 2_500, "it entered the collective in the faulting step");
    assert.ok(w.simMs - entered >= w.data.timeout_ms!, "the watchdog fires after its timeout");
    assert.notEqual(Math.floor(w.data.rank / 8), node, "only the other nodes hang");
  }
  // The relaunch is a new job: its start-up facts carry the restart, its processes are new.
  const launches = high.events.filter((e): e is LogEvent => e.type === "log" && e.key === "launch");
  const restarts = launches.map((e) => (e.data as { restart?: number }).restart ?? 0);
  assert.deepEqual(restarts, restarts.map((_, i) => i), "launch 0, then one per failure");
  const next = launches.find((e) => high.events.indexOf(e) > event.index)!;
  assert.equal((next.data as { restart?: number }).restart, event.data.restart);
  const inits = high.events.filter((e): e is LogEvent =>
    e.type === "log" && e.key === "nccl.init" && e.data.rank === 0
  );
  const comms = new Set(inits.map((e) => e.key === "nccl.init" && e.data.comm));
  assert.equal(comms.size, launches.length, "each launch's rank 0 has its own communicator");
  // The step counter goes back to the checkpoint and counts up again from there.
  const firstAfter = high.events.slice(event.index).find((e) => e.type === "step")!
    .data as StepData;
  assert.equal(firstAfter.step, f.resumeStep + 1);
  const lastBefore = high.steps[high.steps.indexOf(firstAfter) - 1];
  assert.equal(lastBefore.step, f.step - 1);
  const gapS = firstAfter.elapsed_s - lastBefore.elapsed_s;
  assert.ok(gapS > event.data.downtime_s!, "the lost time shows");
  assert.ok(gapS < event.data.downtime_s! + 3 * firstAfter.step_time_s + 60, "and no more");
  assert.ok(firstAfter.eta_s > lastBefore.eta_s, "the ETA grows by the steps to redo");
  const replayed = stepAt(high, f.step - 1);
  assert.notEqual(replayed, lastBefore, "the step ran twice");
  assert.equal(replayed.loss, lastBefore.loss, "the same batches give the same loss");
  // The node reads down from the fault until the job comes back; the others hang meanwhile.
  const relaunch = high.events.indexOf(next);
  // (The relaunched job's own start reading, up to 1.4 s before its launch line, is not the
  // outage's.)
  const ticks = high.events.slice(event.index, relaunch)
    .filter((e): e is TickEvent => e.type === "tick" && e.simMs < next.simMs - 1400);
  assert.ok(ticks.length > 5 && ticks.every((t) => t.tick.downNodes?.[0] === node));
  assert.ok(ticks.some((t) => t.tick.activity === "hang"));
  const after = high.events.slice(relaunch, high.events.indexOf(firstAfter as never));
  assert.ok(after.filter((e): e is TickEvent => e.type === "tick").every((t) => !t.tick.downNodes));
});

function meanStepS(r: Run, from: number, to: number): number {
  const xs = r.steps.filter((s) => s.step >= from && s.step <= to).map((s) => s.step_time_s);
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

Deno.test("a straggler slows every step by a few percent until it is found", () => {
  const f = planned<StragglerFault>(high.cfg, "straggler");
  const span = f.step - f.sinceStep;
  const slow = meanStepS(high, f.sinceStep + 1, f.step);
  const fast = meanStepS(high, f.step + 1, f.step + span);
  assert.ok(f.slowdown >= 0.02 && f.slowdown <= 0.08);
  assert.ok(Math.abs(slow / fast - 1 - f.slowdown) < 0.012, `${slow / fast} vs ${f.slowdown}`);
  const event = high.faults.find((e) => e.data.kind === "straggler")!;
  assert.equal(event.data.since_step, f.sinceStep);
  assert.equal(event.data.recovery, "gpu_reset");
});

Deno.test("a CUDA OOM kills the job, which comes back with half the micro batch, a little slower", () => {
  const f = planned<OomFault>(high.cfg, "oom");
  const event = high.faults.find((e) => e.data.kind === "oom")!;
  assert.equal(event.data.micro_batch, high.cfg.plan.microBatch / 2);
  assert.equal(event.data.grad_accum, high.cfg.gradAccum * 2);
  assert.equal(event.data.exit_code, 1);
  assert.equal(event.data.resume_step, f.resumeStep);
  const oom = high.events[event.index - 1] as LogEvent;
  assert.equal(oom.key, "fault.oom");
  if (oom.key === "fault.oom") {
    const d = oom.data;
    assert.ok(d.free_gib < d.request_gib, "less is free than was asked for");
    assert.ok(d.in_use_gib! + d.free_gib <= d.capacity_gib! + 1e-9, "within the card");
    assert.ok(d.allocated_gib! + d.reserved_gib! < d.in_use_gib!, "PyTorch's share of the use");
  }
  assertStory(keysFrom(high, event.index), ["fault.exit", "fault.srun", "launch", "resume.load"]);
  const mem = (from: number, to: number) =>
    high.events.slice(from, to).filter((e): e is TickEvent => e.type === "tick" && e.report)
      .map((e) => e.tick.memGiB);
  const relaunch = high.events.findIndex((e, i) =>
    i > event.index && e.type === "log" && e.key === "launch"
  );
  assert.ok(Math.max(...mem(relaunch, relaunch + 400)) < Math.min(...mem(0, event.index)));
  const firstAfter = high.events.slice(event.index).find((e) => e.type === "step")!
    .data as StepData;
  assert.equal(firstAfter.step, f.resumeStep + 1, "back to the checkpoint");
  const ratio = meanStepS(high, f.step + 1, f.step + 60) /
    meanStepS(high, f.resumeStep - 60, f.resumeStep - 1);
  assert.ok(Math.abs(ratio - 1 - f.slowdown) < 0.015, `${ratio} vs ${f.slowdown}`);
});

Deno.test("--resume continues the step counter, LR and loss from the checkpoint", () => {
  const r = simulate({ seed: 42, startMs: START, chaos: "off", resume: true });
  const n = r.cfg.resumeStep;
  assert.ok(n > 0 && n % r.cfg.ckptInterval === 0 && n < r.cfg.totalSteps);
  const logs = r.events.filter((e): e is LogEvent => e.type === "log");
  assert.match(logs[0].msg, new RegExp(`--resume-from \\S+/checkpoint-${n}\\b`));
  assert.ok(logs.some((l) => l.msg.includes(`resuming from step ${n} `)));
  const first = r.steps[0];
  assert.equal(first.step, n + 1);
  assert.equal(first.lr, learningRate(scheduleOf(r.cfg), n + 1));
  assert.equal(first.tokens_seen, (n + 1) * r.cfg.tokensPerStep);
  const curve = initialTrainState(r.cfg, 0).curve;
  assert.ok(Math.abs(first.loss / expectedLoss(curve, n + 1) - 1) < 0.15, "loss on its curve");
  const fresh = simulate({ seed: 42, startMs: START, chaos: "off" });
  assert.equal(r.steps.length, r.cfg.totalSteps - n, "one step event per step left");
  assert.ok(r.steps.every((s, i) => s.step === n + 1 + i));
  const summary = r.events.findLast((e) => e.type === "summary")!.data as { steps: number };
  assert.equal(summary.steps, r.cfg.totalSteps);
  const vals = r.events.filter((e) => e.type === "val").length;
  assert.equal(vals, r.cfg.epochs - Math.floor(n / r.cfg.stepsPerEpoch));
  assert.ok(r.events.at(-1)!.simMs - START < fresh.events.at(-1)!.simMs - START, "a shorter run");
});

/** Lines text mode prints for a run: all, warnings and errors, and those of faults. */
function lineCounts(cfg: RunConfig, events: SimEvent[]) {
  let lines = 0, loud = 0, faultLoud = 0, logged = 0;
  for (const e of events) {
    if (e.type === "tick") lines += (e.report ? cfg.nodes : 0) + (e.allreduceStep ? 1 : 0);
    if (e.type === "tick" || e.type === "phase" || (e.type === "step" && !e.logged)) continue;
    if (e.type === "log" && e.msg === "") continue;
    lines += 1;
    if (e.type === "step") logged += 1;
    if (e.level === "info") continue;
    loud += 1;
    if (e.type === "fault" || (e.type === "log" && e.key.startsWith("fault."))) faultLoud += 1;
  }
  return { lines, loud, faultLoud, logged };
}

Deno.test("under --chaos low faults are few and warnings stay under 5% of lines", () => {
  let runs = 0, faults = 0;
  for (let seed = 1; seed <= 60; seed++) {
    let cfg: RunConfig;
    try {
      cfg = drawRunConfig({ seed, startMs: START, chaos: "low" });
    } catch {
      continue;
    }
    const events = [...simulateRun(cfg, cadenceFor(cfg, paceFor(true, null), false))];
    const c = lineCounts(cfg, events);
    const n = events.filter((e) => e.type === "fault").length;
    assert.ok(c.loud / c.lines < 0.05, `seed ${seed}: ${c.loud} of ${c.lines} lines`);
    // Faults may add warnings worth 2% of the logged steps (plus a little for short runs).
    assert.ok(c.faultLoud <= 0.02 * (c.logged + 100), `seed ${seed}: ${c.faultLoud} fault lines`);
    assert.ok(n <= 4, `seed ${seed}: ${n} faults`);
    runs += 1;
    faults += n;
  }
  assert.ok(faults > 0 && faults / runs < 1, `${faults} faults in ${runs} runs`);
});

Deno.test("expectedFaults() grows with the cluster and the run's length", () => {
  const small = drawRunConfig({ seed: 3, startMs: START, nodes: 2 });
  const big = drawRunConfig({ seed: 3, startMs: START, nodes: 1024 });
  assert.ok(expectedFaults(big).gpu_fault > expectedFaults(small).gpu_fault);
  const long = { ...small, totalSteps: small.totalSteps * 4 };
  assert.ok(expectedFaults(long).gpu_fault > expectedFaults(small).gpu_fault);
});

Deno.test("--chaos high: a job the scheduler stops meets its faults before the limit does", () => {
  let limited = 0, planned = 0, met = 0;
  for (let seed = 1; seed <= 80 && limited < 12; seed++) {
    const cfg = drawRun({ seed, startMs: START, chaos: "high" });
    if (cfg.timeLimitMs === null) continue;
    limited++;
    const events = [...simulateRun(cfg, cadenceFor(cfg, paceFor(true, null), false))];
    const struck = new Set(
      events.flatMap((e) => (e.type === "fault" ? [`${e.data.kind}@${e.data.step}`] : [])),
    );
    for (const f of drawChaosPlan(cfg).faults) {
      planned++;
      if (struck.has(`${f.kind}@${f.step}`)) met++;
    }
  }
  // Placed by an estimate of how far the job gets, most strike (a job failure's requeue can
  // still use up the rest of the limit). Before the estimate, almost none did.
  assert.ok(limited >= 4 && planned > 5, `${limited} time-limited runs, ${planned} faults`);
  assert.ok(met >= 0.7 * planned, `${met} of ${planned} faults strike before the limit`);
});
