/** Launch and distributed set-up: the command line, torchrun's banner, rendezvous and NCCL. */
import type { SimEvent } from "../events.ts";
import type { Rng } from "../rng.ts";
import { advance, logLine, tickEvent, type Timeline } from "../timeline.ts";

/**
 * Launch and distributed set-up, from the job's command line to NCCL's first communicator. The
 * GPUs are read once as the job starts, before any process holds them (the job script prints
 * that reading as `nvidia-smi` when `smiAtLaunch`); until the ranks initialise CUDA they hold
 * nothing.
 */
export function* launchPhase(t: Timeline, rng: Rng, smiAtLaunch = false): Generator<SimEvent> {
  yield tickEvent(t, t.simMs, "empty", 1, smiAtLaunch ? "start" : undefined);
  yield logLine(t, "launch", {});
  yield* advance(t, rng.range(800, 2500), "empty");
  yield logLine(t, "launch.job", {});
  yield logLine(t, "torchrun.omp", {}, "warn");
  yield* advance(t, rng.range(2000, 9000), "empty");
  yield logLine(t, "torchrun.rdzv", {});
  yield logLine(t, "torchrun.start", {});
  yield* advance(t, rng.range(3000, 8000), "empty");
  yield logLine(t, "dist.init", {});
  yield logLine(t, "dist.versions", {});
  yield* ncclInit(t, rng);
}

function* ncclInit(t: Timeline, rng: Rng): Generator<SimEvent> {
  const cfg = t.cfg;
  yield logLine(t, "nccl.bootstrap", {});
  yield logLine(t, "nccl.version", {});
  yield logLine(t, "nccl.net", {});
  const comm = `0x${rng.hex(12)}`;
  const commId = `0x${rng.hex(16)}`;
  // A few ranks from different nodes, interleaved as they really arrive.
  const shown = Math.min(cfg.worldSize, 6);
  for (let i = 0; i < shown; i++) {
    const rank = i === 0 ? 0 : rng.int(1, cfg.worldSize - 1);
    yield* advance(t, rng.range(5, 60), "idle");
    yield logLine(t, "nccl.init", { rank, comm: `0x${rng.hex(12)}`, commId });
  }
  const channels = cfg.nodes > 1 ? 16 : 24;
  for (let ch = 0; ch < Math.min(channels, 4); ch++) {
    yield logLine(t, "nccl.channel", { channel: ch, channels });
  }
  yield* advance(t, rng.range(200, 1500) * Math.log2(cfg.nodes + 1), "idle");
  yield logLine(t, "nccl.rings", {});
  yield logLine(t, "nccl.trees", {});
  yield logLine(t, "nccl.channels", { channels });
  yield logLine(t, "nccl.done", { comm, commId });
}
