/** Launch and distributed set-up: the command line, torchrun's banner, rendezvous and NCCL. */
import type { SimEvent } from "../events.ts";
import type { Rng } from "../rng.ts";
import { commPointer } from "../names.ts";
import { advance, logLine, tickEvent, type Timeline } from "../timeline.ts";

/** The `restart` fact of a launch: absent for the first launch, 1, 2, ... for relaunches. */
export function launchFacts(restart: number): { restart?: number } {
  return restart > 0 ? { restart } : {};
}

/**
 * Launch and distributed set-up, from the job's command line to NCCL's first communicator;
 * `restart` > 0 for the job launched again after a failure (new processes, same facts). The
 * GPUs are read once as the job starts, before any process holds them (the job script prints
 * that reading as `nvidia-smi` when `smiAtLaunch`); until the ranks initialise CUDA they hold
 * nothing.
 */
export function* launchPhase(
  t: Timeline,
  rng: Rng,
  restart = 0,
  smiAtLaunch = false,
): Generator<SimEvent> {
  const r = launchFacts(restart);
  yield tickEvent(t, t.simMs, "empty", 1, smiAtLaunch ? "start" : undefined);
  // The job script's own start (modules, environment, the nvidia-smi it runs) before the launch.
  yield* advance(t, smiAtLaunch ? rng.range(180, 1400) : rng.range(20, 600), "empty");
  yield logLine(t, "launch", r);
  yield* advance(t, rng.range(800, 2500), "empty");
  yield logLine(t, "launch.job", r);
  yield logLine(t, "torchrun.omp", r, "warn");
  yield* advance(t, rng.range(2000, 9000), "empty");
  yield logLine(t, "torchrun.rdzv", r);
  yield logLine(t, "torchrun.start", r);
  yield* advance(t, rng.range(3000, 8000), "empty");
  yield logLine(t, "dist.init", r);
  yield logLine(t, "dist.versions", r);
  yield* ncclInit(t, rng, restart);
}

function* ncclInit(t: Timeline, rng: Rng, restart: number): Generator<SimEvent> {
  const r = launchFacts(restart);
  const cfg = t.cfg;
  yield logLine(t, "nccl.bootstrap", r);
  yield logLine(t, "nccl.version", r);
  yield logLine(t, "nccl.net", r);
  rng.hex(12);
  const comm = commPointer(cfg, 0, restart);
  const commId = `0x${rng.hex(16)}`;
  // A few ranks from different nodes, interleaved as they really arrive.
  const shown = Math.min(cfg.worldSize, 6);
  for (let i = 0; i < shown; i++) {
    const rank = i === 0 ? 0 : rng.int(1, cfg.worldSize - 1);
    yield* advance(t, rng.range(5, 60), "idle");
    rng.hex(12);
    const comm = commPointer(cfg, rank, restart);
    yield logLine(t, "nccl.init", { rank, comm, commId, ...r });
  }
  const channels = cfg.nodes > 1 ? 16 : 24;
  for (let ch = 0; ch < Math.min(channels, 4); ch++) {
    yield logLine(t, "nccl.channel", { channel: ch, channels, ...r });
  }
  yield* advance(t, rng.range(200, 1500) * Math.log2(cfg.nodes + 1), "idle");
  yield logLine(t, "nccl.rings", r);
  yield logLine(t, "nccl.trees", r);
  yield logLine(t, "nccl.channels", { channels, ...r });
  yield logLine(t, "nccl.done", { comm, commId, ...r });
}
