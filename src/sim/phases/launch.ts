/** Launch and distributed set-up: the command line, torchrun's banner, rendezvous and NCCL. */
import type { SimEvent } from "../events.ts";
import { hostAddr, hostName } from "../names.ts";
import type { Rng } from "../rng.ts";
import type { RunConfig } from "../run_config.ts";
import { advance, logLine, type Timeline } from "../timeline.ts";

/** The command that "started" the job, as it would appear at the top of a Slurm log. */
export function launchCommand(cfg: RunConfig): string {
  const c = cfg.cluster;
  const flags = [
    `--model ${cfg.model.hf}`,
    `--dataset ${cfg.dataset.name}`,
    `--seq-len ${cfg.seqLen}`,
    `--micro-batch-size ${cfg.plan.microBatch}`,
    `--global-batch-size ${cfg.globalBatch}`,
    `--lr ${cfg.lrMax}`,
    `--warmup-steps ${cfg.warmupSteps}`,
    `--epochs ${cfg.epochs}`,
    `--${cfg.precision}`,
    strategyFlag(cfg),
    `--seed ${cfg.seed}`,
    `--save ${cfg.outputDir}`,
    ...(cfg.resumeStep > 0 ? [`--resume-from ${cfg.outputDir}/checkpoint-${cfg.resumeStep}`] : []),
  ];
  return `srun --nodes=${cfg.nodes} --ntasks-per-node=1 --gpus-per-node=${cfg.gpusPerNode} ` +
    `torchrun --nnodes=${cfg.nodes} --nproc_per_node=${cfg.gpusPerNode} --rdzv_backend=c10d ` +
    `--rdzv_endpoint=${c.masterAddr}:${c.masterPort} ${c.script} ${flags.join(" ")}`;
}

function strategyFlag(cfg: RunConfig): string {
  const p = cfg.plan;
  switch (p.strategy) {
    case "ddp":
      return "--ddp";
    case "fsdp":
      return "--fsdp full_shard";
    case "megatron":
      return `--tensor-parallel ${p.tp} --pipeline-parallel ${p.pp} --use-distributed-optimizer`;
    default:
      return `--zero-stage ${p.strategy.slice(4)}`;
  }
}

/** Process id of the worker driving GPU `local` of `node`. */
export function workerPid(cfg: RunConfig, node: number, local: number): number {
  return cfg.cluster.pids + node * 97 + local;
}

/** Prefix NCCL puts on its INFO lines: `host:pid:tid [dev]`. */
export function ncclPrefix(cfg: RunConfig, node: number, local: number): string {
  const pid = workerPid(cfg, node, local);
  return `${hostName(cfg.cluster, node)}:${pid}:${pid + 71} [${local}]`;
}

/** Launch line through NCCL communicator set-up. */
export function* launchPhase(t: Timeline, rng: Rng): Generator<SimEvent> {
  const cfg = t.cfg;
  const c = cfg.cluster;
  const lib = cfg.gpu.vendor === "amd" ? "RCCL" : "NCCL";
  yield logLine(t, "launch", `+ ${launchCommand(cfg)}`);
  yield* advance(t, rng.range(800, 2500), "idle");
  yield logLine(
    t,
    "launch.job",
    `SLURM_JOB_ID=${c.jobId} partition=${c.partition} user=${c.user} nodes=${cfg.nodes} ` +
      `nodelist=${nodeList(cfg)}`,
  );
  yield logLine(
    t,
    "torchrun.omp",
    "Setting OMP_NUM_THREADS environment variable for each process to be 1 in default, " +
      "to avoid your system being overloaded, please further tune the variable for optimal " +
      "performance in your application as needed.",
    "warn",
  );
  yield* advance(t, rng.range(2000, 9000), "idle");
  yield logLine(
    t,
    "torchrun.rdzv",
    `[default] Rendezvous complete for workers. restart_count=0 master_addr=${c.masterAddr} ` +
      `master_port=${c.masterPort} group_world_size=${cfg.nodes} ` +
      `local_world_size=${cfg.gpusPerNode} world_size=${cfg.worldSize}`,
  );
  yield logLine(t, "torchrun.start", "[default] Starting worker group");
  yield* advance(t, rng.range(3000, 8000), "idle");
  yield logLine(
    t,
    "dist.init",
    `Initializing torch.distributed: backend=nccl init_method=env:// ` +
      `MASTER_ADDR=${c.masterAddr} MASTER_PORT=${c.masterPort} ` +
      `WORLD_SIZE=${cfg.worldSize} nodes=${cfg.nodes} gpus_per_node=${cfg.gpusPerNode}`,
  );
  yield logLine(
    t,
    "dist.versions",
    `torch ${c.torchVersion}, python ${c.pythonVersion}, ${lib} ${c.ncclVersion}`,
  );
  yield* ncclInit(t, rng, lib);
}

function* ncclInit(t: Timeline, rng: Rng, lib: string): Generator<SimEvent> {
  const cfg = t.cfg;
  const c = cfg.cluster;
  const p0 = ncclPrefix(cfg, 0, 0);
  const nic = cfg.gpu.vendor === "amd" ? "bnxt_re" : "mlx5";
  const transport = cfg.gpu.vendor === "amd" ? "RoCE" : "IB";
  yield logLine(t, "nccl.bootstrap", `${p0} NCCL INFO Bootstrap : Using ib0:${hostAddr(c, 0)}<0>`);
  yield logLine(t, "nccl.version", `${p0} NCCL INFO ${lib} version ${c.ncclVersion}`);
  const nics = Array.from(
    { length: cfg.gpu.nicsPerNode },
    (_, i) => `[${i}]${nic}_${i}:1/${transport}`,
  );
  yield logLine(
    t,
    "nccl.net",
    `${p0} NCCL INFO NET/IB : Using ${nics.join(" ")} [RO]; OOB ib0:${hostAddr(c, 0)}<0>`,
  );
  const comm = `0x${rng.hex(12)}`;
  const commId = `0x${rng.hex(16)}`;
  // A few ranks from different nodes, interleaved as they really arrive.
  const shown = Math.min(cfg.worldSize, 6);
  for (let i = 0; i < shown; i++) {
    const rank = i === 0 ? 0 : rng.int(1, cfg.worldSize - 1);
    const node = Math.floor(rank / cfg.gpusPerNode), local = rank % cfg.gpusPerNode;
    yield* advance(t, rng.range(5, 60), "idle");
    yield logLine(
      t,
      "nccl.init",
      `${ncclPrefix(cfg, node, local)} NCCL INFO ncclCommInitRank comm 0x${rng.hex(12)} ` +
        `rank ${rank} nranks ${cfg.worldSize} cudaDev ${local} busId ${busId(local)} ` +
        `commId ${commId} - Init START`,
    );
  }
  const channels = cfg.nodes > 1 ? 16 : 24;
  for (let ch = 0; ch < Math.min(channels, 4); ch++) {
    yield logLine(
      t,
      "nccl.channel",
      `${p0} NCCL INFO Channel ${pad2(ch)}/${channels} : ${ringOrder(cfg, ch)}`,
    );
  }
  yield* advance(t, rng.range(200, 1500) * Math.log2(cfg.nodes + 1), "idle");
  yield logLine(t, "nccl.rings", `${p0} NCCL INFO Connected all rings`);
  yield logLine(t, "nccl.trees", `${p0} NCCL INFO Connected all trees`);
  yield logLine(
    t,
    "nccl.channels",
    `${p0} NCCL INFO ${channels} coll channels, ${channels} collnet channels, 0 nvls channels, ` +
      `${channels} p2p channels, 2 p2p channels per peer`,
  );
  yield logLine(
    t,
    "nccl.done",
    `${p0} NCCL INFO comm ${comm} rank 0 nranks ${cfg.worldSize} cudaDev 0 busId ${busId(0)} ` +
      `commId ${commId} - Init COMPLETE`,
  );
}

function pad2(n: number): string {
  return String(n).padStart(2, "0");
}

/** PCI bus id of local GPU `i` in an 8-GPU baseboard. */
export function busId(i: number): string {
  return ["18000", "2a000", "3a000", "5d000", "9a000", "ab000", "ba000", "db000"][i % 8];
}

/** The first ranks of a ring channel: inside a node in a rotated order, then the next node. */
function ringOrder(cfg: RunConfig, ch: number): string {
  const g = cfg.gpusPerNode;
  const order: number[] = [];
  for (let k = 0; k < Math.min(cfg.worldSize, 16); k++) {
    const node = Math.floor(k / g), local = (k + ch) % g;
    order.push(node * g + local);
  }
  return order.map((r) => String(r).padStart(4)).join("") + (cfg.worldSize > 16 ? " ..." : "");
}

/** Slurm's compressed node list: `gpu-a1[001-064]`, or the single host. */
export function nodeList(cfg: RunConfig): string {
  const c = cfg.cluster;
  if (cfg.nodes === 1) return hostName(c, 0);
  const digits = (i: number) => hostName(c, i).slice(-c.hostDigits);
  return `${c.hostPrefix}[${digits(0)}-${digits(cfg.nodes - 1)}]`;
}
