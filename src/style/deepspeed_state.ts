/**
 * What the DeepSpeed style remembers through a run: the release, the run's seeded quirks, the
 * processes of the current launch (a restart starts new ones, whose throughput timer starts
 * over), the engine's skipped-step counter and the samples behind the running throughput.
 */
import type { RunConfig } from "../sim/run_config.ts";
import { createRng } from "../sim/rng.ts";
import type { DsRelease } from "./deepspeed_release.ts";
import { dsRelease } from "./deepspeed_log.ts";
import { type GpuMonitorState, openGpuMonitor } from "./gpu_monitor.ts";
import { type JobScript, jobScript, scriptMonitor } from "./job_script.ts";
import { childPid } from "./deepspeed_launch.ts";
import { type DsChatCommit, dsChatCommit } from "./deepspeed_dschat.ts";
import { dsScriptName } from "./deepspeed_script.ts";

/** The run's fixed quirks, drawn once from the seed. */
export interface DsTraits {
  /** `wall_clock_breakdown` is on (only where every step is logged: it prints every step). */
  wallClock: boolean;
  /** ms between the `step=` record and the throughput timer's, after a CUDA sync. */
  timerGapMs: number;
  /** Share of a step the throughput timer sees (forward to step; the data loader is outside). */
  busyFraction: number;
  /** Allocator blocks and buffers beyond the model states, as a factor and GiB. */
  stateFactor: number;
  bufferGiB: number;
  /** Peak over the resident states: activations times this. */
  peakFactor: number;
  /** Node RAM and what the OS and loaders already use, GiB. */
  hostRamGiB: number;
  hostUsedGiB: number;
  /** `--master_addr` was on the command line (else the runner looks the address up). */
  masterGiven: boolean;
  /** The container sets NCCL_VERSION (NGC images do). */
  ncclVersionEnv: boolean;
  /** Heap addresses of the objects the config dump and scheduler line print. */
  commsAddr: string;
  schedulerAddr: string;
  /** Skipped steps already counted by the run a `--resume` continues (fp16 only). */
  resumedSkipped: number;
  /** Share of a step the optimizer's step takes (the last micro batch carries it). */
  optShare: number;
}

/** The style's state for one run. */
export interface DsState {
  release: DsRelease;
  /** The DeepSpeedExamples commit of the script's prints. */
  dschat: DsChatCommit;
  /** The script's evaluation before its first epoch is under way (its banner waits for it). */
  launchEval: boolean;
  /** The epoch banner printed once that evaluation's result is out. */
  pendingBanner: string;
  traits: DsTraits;
  /** Launches so far (1 for the first); every relaunch spawns new processes with new pids. */
  launch: number;
  /** The step the current processes started from (0, the resumed step or the rollback's). */
  procStartStep: number;
  /** Epochs the current processes finished (the throughput timer's `epoch`). */
  timerEpoch: number;
  /** The step before the current epoch's first in this process (`micro_step` counts on from it). */
  epochStartStep: number;
  /** The engine's `skipped_steps`, and its value at each saved checkpoint (restored on load). */
  skipped: number;
  skippedAt: Map<number, number>;
  /** Timer seconds since the timer started (step 3 of the process), and the steps they cover. */
  busyS: number;
  busySteps: number;
  /** The last logged step and when it ended; pauses (evaluation, saves) since, ms. */
  lastSample: number;
  lastSampleMs: number;
  pauseMs: number;
  pauseStartMs: number;
  /** Between the model load and the engine: HF's shard bars are the model's, not a resume. */
  loadingModel: boolean;
  /** The current processes printed `Running training` already (their first epoch's banner). */
  trainingAnnounced: boolean;
  /** The checkpoint step a job relaunched after a fault loads. */
  resumeFrom: number;
  /** When the current launch's `deepspeed` command started, ms. */
  launchMs: number;
  /** Training ended and the processes' exits are still to be printed. */
  exitPending: boolean;
  /** When the phase in progress (a checkpoint load, the final consolidation) began, ms. */
  markMs: number;
  /** When the launchers of the current launch spawned their processes, ms. */
  spawnMs: number;
  /** When the last shown rank of the current launch joined the process group, ms. */
  joinedMs: number;
  /** When mpirun aborted the current launch after a rank died (null while none has). */
  mpiAbortMs: number | null;
  /** An overflow record waiting for its step's timer lines (with wall_clock_breakdown on). */
  pendingOverflow: string;
  /** The batch script around the launch: `set -x`, its nvidia-smi calls, its GPU monitor. */
  script: JobScript;
  /** The GPU monitor the script runs beside training (tool `none` when it runs none). */
  monitor: GpuMonitorState;
}

/** Hex of a 64-bit heap address as CPython prints it (16-byte aligned, 0x7f... range). */
function heapAddress(rng: ReturnType<typeof createRng>): string {
  return `0x7f${rng.hex(9)}0`;
}

/** Draws the run's quirks. */
export function drawTraits(cfg: RunConfig): DsTraits {
  const rng = createRng(cfg.seed, "style:deepspeed:traits");
  // DeepSpeed-Chat's own config turns wall_clock_breakdown off; a team's script may turn it on
  // (not one that prints its own throughput after every micro batch).
  const ownConfig = dsScriptName(cfg) !== "main.py" && !dsChatCommit(cfg).throughput;
  return {
    wallClock: ownConfig && cfg.logInterval === 1 && rng.chance(0.35),
    timerGapMs: rng.range(1, 30),
    busyFraction: rng.range(0.985, 0.998),
    stateFactor: rng.range(1.01, 1.035),
    bufferGiB: rng.range(0.2, 1.1),
    peakFactor: rng.range(1.05, 1.22),
    hostRamGiB: rng.pick([1007.45, 1511.02, 2015.56]),
    hostUsedGiB: rng.range(38, 140),
    masterGiven: rng.chance(0.6),
    ncclVersionEnv: cfg.cluster.venv !== "/opt/venv/bin/python",
    commsAddr: heapAddress(rng),
    schedulerAddr: heapAddress(rng),
    resumedSkipped: cfg.precision === "fp16" && cfg.resumeStep > 0
      ? rng.int(5, 9) + 2 * Math.floor(cfg.resumeStep / 1001)
      : 0,
    optShare: rng.range(0.04, 0.14),
  };
}

/** The state before the first line of a run. */
export function initialState(cfg: RunConfig): DsState {
  const traits = drawTraits(cfg);
  const script = jobScript(cfg, "deepspeed");
  const st: DsState = {
    release: dsRelease(cfg),
    dschat: dsChatCommit(cfg),
    launchEval: false,
    pendingBanner: "",
    traits,
    launch: 1,
    procStartStep: cfg.resumeStep,
    timerEpoch: 0,
    epochStartStep: cfg.resumeStep,
    skipped: traits.resumedSkipped,
    skippedAt: new Map(),
    busyS: 0,
    busySteps: 0,
    lastSample: cfg.resumeStep,
    lastSampleMs: 0,
    pauseMs: 0,
    pauseStartMs: 0,
    loadingModel: false,
    trainingAnnounced: false,
    launchMs: 0,
    exitPending: false,
    resumeFrom: 0,
    markMs: 0,
    spawnMs: 0,
    joinedMs: 0,
    pendingOverflow: "",
    mpiAbortMs: null,
    script,
    // On several nodes the script's monitor goes out through pdsh, as the launch does.
    monitor: scriptMonitor(
      script,
      openGpuMonitor(cfg, {
        trace: script.trace,
        fanout: "pdsh",
        pid: (node, local, simMs) => childPid(cfg, launchAt(st, simMs), node, local),
      }),
    ),
  };
  return st;
}

/**
 * The state as it was at `simMs` for the pids of its processes: a GPU reading may be formatted
 * after a relaunch it preceded (telemetry comes in its own order), when the previous launch's
 * processes still held the GPUs.
 */
function launchAt(st: DsState, simMs: number): DsState {
  return simMs < st.spawnMs && st.launch > 1 ? { ...st, launch: st.launch - 1 } : st;
}

/** A new launch of the processes (a restart after a fault): their counters start over. */
export function relaunch(st: DsState, fromStep: number): void {
  st.launch += 1;
  st.procStartStep = fromStep;
  st.timerEpoch = 0;
  st.epochStartStep = fromStep;
  st.busyS = 0;
  st.busySteps = 0;
  st.lastSample = fromStep;
  st.trainingAnnounced = false;
  st.mpiAbortMs = null;
}
