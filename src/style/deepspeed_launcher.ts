/**
 * Which launcher starts a DeepSpeed run's processes, drawn per run: DeepSpeed's own runner
 * (pdsh across the hostfile's nodes, or on one node with local resources, typed bare, with
 * `--num_gpus` or with `--include localhost:...`), OpenMPI's `mpirun`, whose ranks find their
 * places through DeepSpeed's MPI discovery, or torchrun. Also the lines only `mpirun` prints.
 */
import type { RunConfig } from "../sim/run_config.ts";
import { createRng } from "../sim/rng.ts";
import { hostName } from "../sim/names.ts";
import { dsScriptArgs, dsScriptName, dsWorkDir } from "./deepspeed_script.ts";
import { onSlurm } from "./slurm_lines.ts";

/** How the job starts its processes. */
export type DsLaunchKind = "pdsh" | "local" | "mpirun" | "torchrun";

/** How a single-node `deepspeed` command names its GPUs: not at all, by count or by id. */
export type DsLocalForm = "bare" | "num_gpus" | "include";

/** The run's launcher and, for DeepSpeed's runner on one node, the form of its command. */
export interface DsLauncher {
  kind: DsLaunchKind;
  form: DsLocalForm;
}

/** The port `deepspeed.init_distributed()` gives MPI discovery unless told another. */
export const TORCH_DISTRIBUTED_DEFAULT_PORT = 29500;

/**
 * The run's launcher: DS-Chat's `main.py` sets up its process group only when a launcher passes
 * `--local_rank`, so it always runs under DeepSpeed's runner; a team's own script is started by
 * `mpirun` a third of the time, and by `torchrun` in three tenths of the rest (on one node, or
 * across nodes under Slurm).
 */
export function dsLauncher(cfg: RunConfig): DsLauncher {
  const rng = createRng(cfg.seed, "style:deepspeed:launcher");
  const form = rng.weighted<DsLocalForm>(["bare", "num_gpus", "include"], [55, 30, 15]);
  const own = dsScriptName(cfg) !== "main.py";
  if (rng.chance(0.33) && own) return { kind: "mpirun", form };
  // torchrun across nodes needs srun to start one agent per node.
  if (rng.chance(0.3) && own && (cfg.nodes === 1 || onSlurm(cfg))) {
    return { kind: "torchrun", form };
  }
  return { kind: cfg.nodes === 1 ? "local" : "pdsh", form };
}

/** Whether DeepSpeed's own runner (and each node's launch.py) starts the processes. */
export function dsRunner(cfg: RunConfig): boolean {
  const kind = dsLauncher(cfg).kind;
  return kind === "pdsh" || kind === "local";
}

/**
 * The job's torchrun command: standalone on one node; across nodes one agent per node through
 * srun, meeting at the first node's c10d store.
 */
export function torchrunCommand(cfg: RunConfig): string {
  const g = cfg.gpusPerNode, c = cfg.cluster;
  const head = cfg.nodes === 1
    ? `torchrun --standalone --nproc_per_node=${g}`
    : `srun --nodes=${cfg.nodes} --ntasks-per-node=1 torchrun --nnodes=${cfg.nodes} ` +
      `--nproc_per_node=${g} --rdzv_backend=c10d --rdzv_endpoint=${c.masterAddr}:${c.masterPort}`;
  return `${head} ${dsScriptName(cfg)} ${dsScriptArgs(cfg).join(" ")}`;
}

/** The GPU ids of one node, `0,1,...,g-1`. */
export function localIds(cfg: RunConfig): string {
  return Array.from({ length: cfg.gpusPerNode }, (_, i) => i).join(",");
}

/** The local runner's GPU flags as typed: none, `--num_gpus N` or `--include localhost:ids`. */
export function localFlags(cfg: RunConfig, form: DsLocalForm): string {
  if (form === "num_gpus") return ` --num_gpus ${cfg.gpusPerNode}`;
  if (form === "include") return ` --include localhost:${localIds(cfg)}`;
  return "";
}

/**
 * The runner's `print` when it finds the devices Slurm set for the job: it adopts them as
 * `--include`, or ignores them when the command names GPUs itself. `name` is the release's
 * spelling of the variable.
 */
export function detectedDevices(cfg: RunConfig, form: DsLocalForm, name: string): string {
  const detected = `Detected ${name}=${localIds(cfg)}`;
  if (form === "bare") return `${detected}: setting --include=localhost:${localIds(cfg)}`;
  return `${detected} but ignoring it because one or several of ` +
    "--include/--exclude/--num_gpus/--num_nodes cl args were used. If you want to use " +
    "CUDA_VISIBLE_DEVICES don't pass any of these arguments to deepspeed.";
}

/** The job's `mpirun` command: every rank, the nodes' slots, the exported NCCL variables. */
export function mpirunCommand(cfg: RunConfig, exports: ReadonlyArray<[string, string]>): string {
  const hosts = cfg.nodes > 1
    ? ` -npernode ${cfg.gpusPerNode} --hostfile ${dsWorkDir(cfg)}/hostfile`
    : "";
  const env = exports.map(([k, v]) => ` -x ${k}=${v}`).join("");
  return `mpirun -np ${cfg.worldSize}${hosts}${env} -x PYTHONPATH=${dsWorkDir(cfg)} python ${
    dsScriptName(cfg)
  } ${dsScriptArgs(cfg).join(" ")}`;
}

/** mpi_discovery's report of one rank (its local rank counted among its node's processes). */
export function mpiDiscovery(cfg: RunConfig, rank: number): string {
  return `Discovered MPI settings of world_rank=${rank}, local_rank=${
    rank % cfg.gpusPerNode
  }, world_size=${cfg.worldSize}, master_addr=${cfg.cluster.masterAddr}, master_port=${TORCH_DISTRIBUTED_DEFAULT_PORT}`;
}

const RULE = "-".repeat(74);

/**
 * OpenMPI's report when a rank dies: its abort notice, then the first process that failed,
 * by exit code (`[[job,1],rank]`) or, killed by a signal, by rank, pid and node.
 */
export function mpirunAbort(
  cfg: RunConfig,
  launch: number,
  dead: { rank: number; pid: number; exitcode: number },
): string {
  const job = createRng(cfg.seed, `style:deepspeed:mpijob:${launch}`).int(1024, 65535);
  const head = [
    RULE,
    "Primary job  terminated normally, but 1 process returned",
    "a non-zero exit code. Per user-direction, the job has been aborted.",
    RULE,
    RULE,
  ];
  const host = hostName(cfg.cluster, Math.floor(dead.rank / cfg.gpusPerNode));
  const body = dead.exitcode < 0
    ? [
      `mpirun noticed that process rank ${dead.rank} with PID ${dead.pid} on node ${host} ` +
      `exited on signal ${-dead.exitcode} (${SIGNAL_NAMES[-dead.exitcode] ?? "Unknown"}).`,
    ]
    : [
      "mpirun detected that one or more processes exited with non-zero status, thus causing",
      "the job to be terminated. The first process to do so was:",
      "",
      `  Process name: [[${job},1],${dead.rank}]`,
      `  Exit code:    ${dead.exitcode}`,
    ];
  return [...head, ...body, RULE].join("\n");
}

/** strsignal()'s names of the signals a rank can die of. */
const SIGNAL_NAMES: Record<number, string> = {
  6: "Aborted",
  7: "Bus error",
  9: "Killed",
  11: "Segmentation fault",
  15: "Terminated",
};
