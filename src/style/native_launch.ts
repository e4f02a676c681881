/** fauxtrain's own wording of the launch and NCCL set-up facts. */
import type { LogEventOf } from "../sim/events.ts";
import { busId, hostAddr, hostName, nodeList, workerPid, workerTid } from "../sim/names.ts";
import type { RunConfig } from "../sim/run_config.ts";

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

/** Prefix NCCL puts on its INFO lines: `host:pid:tid [dev]`. */
export function ncclPrefix(cfg: RunConfig, node: number, local: number): string {
  const pid = workerPid(cfg, node, local);
  const tid = workerTid(cfg, node * cfg.gpusPerNode + local, "init");
  return `${hostName(cfg.cluster, node)}:${pid}:${tid} [${local}]`;
}

function pad2(n: number): string {
  return String(n).padStart(2, "0");
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

/** Keys worded here. */
export type LaunchKey =
  | "launch"
  | "launch.job"
  | "torchrun.omp"
  | "torchrun.rdzv"
  | "torchrun.start"
  | "dist.init"
  | "dist.versions"
  | "nccl.bootstrap"
  | "nccl.version"
  | "nccl.net"
  | "nccl.init"
  | "nccl.channel"
  | "nccl.rings"
  | "nccl.trees"
  | "nccl.channels"
  | "nccl.done";

/** The native line of a launch or NCCL fact. */
export function launchLine(ev: LogEventOf<LaunchKey>, cfg: RunConfig): string {
  const c = cfg.cluster;
  const lib = cfg.gpu.vendor === "amd" ? "RCCL" : "NCCL";
  const p0 = ncclPrefix(cfg, 0, 0);
  switch (ev.key) {
    case "launch":
      return `+ ${launchCommand(cfg)}`;
    case "launch.job":
      return `SLURM_JOB_ID=${c.jobId} partition=${c.partition} user=${c.user} ` +
        `nodes=${cfg.nodes} nodelist=${nodeList(cfg)}`;
    case "torchrun.omp":
      return "Setting OMP_NUM_THREADS environment variable for each process to be 1 in default, " +
        "to avoid your system being overloaded, please further tune the variable for optimal " +
        "performance in your application as needed.";
    case "torchrun.rdzv":
      return `[default] Rendezvous complete for workers. restart_count=0 ` +
        `master_addr=${c.masterAddr} master_port=${c.masterPort} group_world_size=${cfg.nodes} ` +
        `local_world_size=${cfg.gpusPerNode} world_size=${cfg.worldSize}`;
    case "torchrun.start":
      return "[default] Starting worker group";
    case "dist.init":
      return `Initializing torch.distributed: backend=nccl init_method=env:// ` +
        `MASTER_ADDR=${c.masterAddr} MASTER_PORT=${c.masterPort} ` +
        `WORLD_SIZE=${cfg.worldSize} nodes=${cfg.nodes} gpus_per_node=${cfg.gpusPerNode}`;
    case "dist.versions":
      return `torch ${c.torchVersion}, python ${c.pythonVersion}, ${lib} ${c.ncclVersion}`;
    case "nccl.bootstrap":
      return `${p0} NCCL INFO Bootstrap : Using ib0:${hostAddr(c, 0)}<0>`;
    case "nccl.version":
      return `${p0} NCCL INFO ${lib} version ${c.ncclVersion}`;
    case "nccl.net": {
      const nic = cfg.gpu.vendor === "amd" ? "bnxt_re" : "mlx5";
      const transport = cfg.gpu.vendor === "amd" ? "RoCE" : "IB";
      const nics = Array.from(
        { length: cfg.gpu.nicsPerNode },
        (_, i) => `[${i}]${nic}_${i}:1/${transport}`,
      );
      return `${p0} NCCL INFO NET/IB : Using ${nics.join(" ")} [RO]; OOB ib0:${hostAddr(c, 0)}<0>`;
    }
    case "nccl.init": {
      const { rank, comm, commId } = ev.data;
      const node = Math.floor(rank / cfg.gpusPerNode), local = rank % cfg.gpusPerNode;
      return `${ncclPrefix(cfg, node, local)} NCCL INFO ncclCommInitRank comm ${comm} ` +
        `rank ${rank} nranks ${cfg.worldSize} cudaDev ${local} busId ${busId(local, c)} ` +
        `commId ${commId} - Init START`;
    }
    case "nccl.channel":
      return `${p0} NCCL INFO Channel ${pad2(ev.data.channel)}/${ev.data.channels} : ${
        ringOrder(cfg, ev.data.channel)
      }`;
    case "nccl.rings":
      return `${p0} NCCL INFO Connected all rings`;
    case "nccl.trees":
      return `${p0} NCCL INFO Connected all trees`;
    case "nccl.channels": {
      const n = ev.data.channels;
      return `${p0} NCCL INFO ${n} coll channels, ${n} collnet channels, 0 nvls channels, ` +
        `${n} p2p channels, 2 p2p channels per peer`;
    }
    case "nccl.done":
      return `${p0} NCCL INFO comm ${ev.data.comm} rank 0 nranks ${cfg.worldSize} cudaDev 0 ` +
        `busId ${busId(0, c)} commId ${ev.data.commId} - Init COMPLETE`;
  }
}
