/**
 * A job killed by one rank's fault, and its relaunch. The failing process dies; its node's
 * launcher stops the node's other workers and exits, and Slurm reports the task. The other
 * nodes hang in the collective until their NCCL watchdogs fire (600 s), abort, and exit too.
 * The scheduler then launches the job again: a new start-up, the checkpoint read back, and the
 * step counter back at the checkpoint.
 */
import type { LogEvent, SimEvent } from "../events.ts";
import type { JobKiller } from "../fault_plan.ts";
import type { DeadWorker } from "../facts.ts";
import type { RunConfig } from "../run_config.ts";
import { createRng, type Rng } from "../rng.ts";
import { advance, createTimeline, logLine, type Timeline } from "../timeline.ts";
import { rollBack, steadyStepSeconds, type TrainState } from "./train_state.ts";
import { faultEvent, rankPlace } from "./faults.ts";
import {
  crashCause,
  exitCode,
  failingRank,
  gpuFaultCause,
  rankPid,
  WATCHDOG_S,
} from "./gpu_fault.ts";
import { stuckCollective } from "./collective.ts";
import { launchPhase } from "./launch.ts";
import { smiPlan } from "../smi_plan.ts";
import { setupPhase } from "./setup.ts";
import { loadCheckpoint } from "./resume.ts";

/** A fact due at `ms`. */
interface Due {
  ms: number;
  ev: (t: Timeline) => LogEvent;
  /** A hung rank's watchdog: until the last of them, the survivors spin in the collective. */
  watchdog?: boolean;
}

/** What is known about the launch that died. */
export interface LaunchState {
  /** 0 for the first launch, then 1, 2, ... */
  launch: number;
  /** The step the launch started after (its process groups count collectives from there). */
  startStep: number;
}

/**
 * Nodes whose hung ranks' lines are told (the rest only show in Slurm's task report): one to
 * three of them, drawn per failure, in node order.
 */
function shownSurvivors(nodes: number, failed: number, rng: Rng): number[] {
  const alive = Array.from({ length: nodes }, (_, i) => i).filter((n) => n !== failed);
  const picked = new Set<number>();
  const want = Math.min(alive.length, rng.int(1, 3));
  while (picked.size < want) picked.add(rng.pick(alive));
  return [...picked].sort((a, b) => a - b);
}

/** A node's launcher report: who died before its poll, and whom it then stopped. */
function nodeExit(
  node: number,
  deaths: DeadWorker[],
  pollMs: number,
  launch: number,
): Due {
  const ms = Math.min(...deaths.map((d) => d.at_ms)) + pollMs;
  const failed = deaths.filter((d) => d.at_ms <= ms).sort((a, b) => a.at_ms - b.at_ms);
  const terminated = deaths.filter((d) => d.at_ms > ms).map((d) => d.pid);
  const r = launch > 0 ? { restart: launch } : {};
  return { ms, ev: (tl) => logLine(tl, "fault.exit", { node, failed, terminated, ...r }, "error") };
}

/** The surviving nodes' watchdog lines and exits, in time order. */
function survivorStory(
  t: Timeline,
  s: TrainState,
  f: JobKiller,
  at: LaunchState,
  rng: Rng,
): Due[] {
  const cfg = t.cfg, g = cfg.gpusPerNode, faultMs = t.simMs;
  const c = stuckCollective(cfg, f, at.startStep, s.gradAccum, rng.int(1, 4));
  const r = at.launch > 0 ? { restart: at.launch } : {};
  const out: Due[] = [];
  for (const node of shownSurvivors(cfg.nodes, Math.floor(f.rank / g), rng)) {
    const deaths: DeadWorker[] = [];
    // The node's ranks entered the collective at different moments of the step.
    const spreadMs = rng.range(50, 2500);
    for (let local = 0; local < g; local++) {
      const rank = node * g + local, pid = rankPid(cfg, rank, at.launch);
      const ran = WATCHDOG_S * 1000 + rng.int(0, 100);
      const ms = faultMs - rng.range(0, spreadMs) + ran;
      out.push({
        ms,
        watchdog: true,
        ev: (tl) =>
          logLine(tl, "fault.watchdog", {
            rank,
            seq: c.seq,
            numel: c.numelIn,
            ran_ms: ran,
            more: 0,
            op: c.op,
            numel_out: c.numelOut,
            timeout_ms: WATCHDOG_S * 1000,
            last_enqueued: c.lastEnqueued,
            last_completed: c.seq - 1,
            pg: c.pg,
            pid,
            ...r,
          }, "error"),
      });
      // The watchdog dumps what it can, then takes the process down (SIGABRT).
      deaths.push({ rank, pid, exitcode: -6, at_ms: ms + rng.range(300, 1100), cause: "watchdog" });
    }
    out.push(nodeExit(node, deaths, rng.range(40, 400), at.launch));
  }
  return out;
}

/** Every fact from the failing rank's death to the last task's exit, in time order. */
function failureStory(
  t: Timeline,
  s: TrainState,
  f: JobKiller,
  at: LaunchState,
  rng: Rng,
): Due[] {
  const cfg = t.cfg, g = cfg.gpusPerNode, node = Math.floor(f.rank / g);
  const deaths: DeadWorker[] = Array.from({ length: g }, (_, local) => {
    const rank = node * g + local;
    const exitcode = exitCode(f);
    // Only the failing rank dies by itself; its launcher stops the others.
    const pid = rankPid(cfg, rank, at.launch);
    if (rank !== f.rank) return { rank, pid, exitcode, at_ms: Infinity };
    return { rank, pid, exitcode, at_ms: t.simMs, ...deathCause(f) };
  });
  const exit = nodeExit(node, deaths, rng.range(100, 1500), at.launch);
  const r = at.launch > 0 ? { restart: at.launch } : {};
  const task = (n: number) => ({ node: n, task: n, exit_code: 1 });
  // The OOM killer's kill is counted against the step's cgroup on that node.
  const oom = f.kind === "crash" && f.crash === "host_oom" ? { oom_kills: 1 } : {};
  const out: Due[] = [exit, {
    ms: exit.ms + rng.range(300, 2500),
    ev: (tl) => logLine(tl, "fault.srun", { tasks: [{ ...task(node), ...oom }], ...r }, "error"),
  }];
  if (cfg.nodes === 1) return out;
  const rest = survivorStory(t, s, f, at, rng);
  const last = Math.max(...rest.map((d) => d.ms), t.simMs + WATCHDOG_S * 1000 + 1500);
  const others = Array.from({ length: cfg.nodes }, (_, n) => n).filter((n) => n !== node);
  out.push(...rest, {
    ms: last + rng.range(500, 2500),
    ev: (tl) => logLine(tl, "fault.srun", { tasks: others.map(task), ...r }, "error"),
  });
  return out.sort((a, b) => a.ms - b.ms);
}

/** What killed the failing worker, as its launcher records it. */
function deathCause(f: JobKiller): Pick<DeadWorker, "cause" | "crash_raised"> {
  if (f.kind !== "crash") return { cause: f.kind === "oom" ? "oom" : "cuda" };
  // A lost loader worker and a failed write raise in Python; a signal leaves no traceback.
  const raised = ["loader_bus", "loader_killed", "disk_full"].includes(f.crash);
  return { cause: "crash", crash_raised: raised };
}

/** The `fault` event's cause and recovery for a job-killing fault. */
function faultSummary(cfg: RunConfig, f: JobKiller, microBatch: number) {
  if (f.kind === "oom") {
    return {
      recovery: "reduce_micro_batch" as const,
      cause: `CUDA out of memory at micro batch ${microBatch * 2}`,
    };
  }
  const cause = f.kind === "crash" ? crashCause(f) : gpuFaultCause(cfg, f.ecc, f.xid);
  return { recovery: "restart_from_checkpoint" as const, cause };
}

/** Seconds the relaunched job takes from its start to its first step (a dry run of it). */
function relaunchSeconds(t: Timeline, step: number, launch: number): number {
  const dry = createTimeline(t.cfg, { initMs: Infinity, trainMs: Infinity });
  dry.simMs = t.simMs;
  const start = dry.simMs;
  for (const _ of relaunch(dry, step, launch));
  return (dry.simMs - start) / 1000;
}

/** The relaunched job: start-up, set-up and the checkpoint read back. */
function* relaunch(t: Timeline, step: number, launch: number): Generator<SimEvent> {
  // A job script that reads the GPUs as it starts does so again in the relaunched job.
  const smi = smiPlan(t.cfg).atLaunch || t.cfg.pacing.relaunchSnapshot;
  yield* launchPhase(t, createRng(t.cfg.seed, `launch:${launch}`), launch, smi);
  yield* setupPhase(t, createRng(t.cfg.seed, `setup:${launch}`), launch);
  yield* loadCheckpoint(t, step, launch);
}

/**
 * Plays a job-killing fault from the failing step to the relaunched job's first step; the
 * state rolls back to the last checkpoint. `at` is the launch that dies.
 */
export function* jobFailure(
  t: Timeline,
  s: TrainState,
  f: JobKiller,
  at: LaunchState,
): Generator<SimEvent> {
  const cfg = t.cfg, next = at.launch + 1;
  const epoch = Math.floor(s.step / cfg.stepsPerEpoch) + 1;
  const rng = createRng(cfg.seed, `failure:${f.step}:${at.launch}`);
  yield* advance(
    t,
    f.stepFraction * steadyStepSeconds(cfg) * 1000,
    f.site === "save" ? "ckpt" : "train",
  );
  const faultMs = t.simMs, where = rankPlace(cfg, f.rank);
  if (f.kind === "gpu_fault") t.downNodes = [where.node!];
  yield* failingRank(t, f, at.launch, t.memGiB);
  const story = failureStory(t, s, f, at, rng);
  const lastMs = Math.max(...story.map((d) => d.ms));
  const startMs = lastMs + f.requeueS * 1000;
  const ckptStep = s.lastCkpt.step;
  if (f.kind === "oom") shrinkMicroBatch(t, s);
  const downtime = (startMs - faultMs) / 1000 +
    relaunchSeconds({ ...t, simMs: startMs }, ckptStep, next);
  yield faultEvent(t, s, "error", {
    kind: f.kind,
    step: f.step,
    ...where,
    ...faultSummary(cfg, f, s.microBatch),
    resume_step: ckptStep,
    // A failed save loses the step it was saving too.
    lost_steps: f.step - (f.site === "save" ? 0 : 1) - ckptStep,
    downtime_s: downtime,
    restart: next,
    pid: rankPid(cfg, f.rank, at.launch),
    exit_code: exitCode(f),
    ...(f.kind === "gpu_fault" ? { xid: f.xid } : {}),
    ...(f.kind === "oom" ? { micro_batch: s.microBatch, grad_accum: s.gradAccum } : {}),
    ...(f.kind === "crash" ? { crash: f.crash } : {}),
  });
  // The surviving ranks spin in the collective until their watchdogs fire.
  const hangEndMs = Math.max(faultMs, ...story.filter((d) => d.watchdog).map((d) => d.ms));
  for (const due of story) {
    yield* advance(t, due.ms - t.simMs, due.ms <= hangEndMs ? "hang" : "idle");
    yield due.ev(t);
  }
  yield { type: "phase", simMs: t.simMs, phase: "init", epoch };
  // The job's processes are gone: no process holds a GPU until the relaunch.
  yield* advance(t, startMs - t.simMs, "empty");
  t.downNodes = [];
  yield* relaunch(t, ckptStep, next);
  yield { type: "phase", simMs: t.simMs, phase: "train", epoch };
  rollBack(s);
}

/** The job comes back with half the micro batch and twice the accumulation (same global batch). */
function shrinkMicroBatch(t: Timeline, s: TrainState): void {
  const cfg = t.cfg, before = s.microBatch;
  s.microBatch = Math.max(1, Math.floor(before / 2));
  s.gradAccum = (s.gradAccum * before) / s.microBatch;
  // Activations scale with the micro batch; the allocator's slack goes with them.
  const freed = cfg.plan.memory.activationsGiB * (before - s.microBatch) / cfg.plan.microBatch;
  t.memGiB -= freed * 1.06;
}
