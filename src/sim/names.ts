/** Names of the simulated cluster: hosts, addresses, software versions, job ids and paths. */
import type { GpuSpec } from "./catalog.ts";
import { ncclBusId, pciAddress } from "./gpu_host.ts";
import type { Rng } from "./rng.ts";
import type { RunConfig } from "./run_config.ts";

/** Everything about the cluster that appears in lines but not in the maths. */
export interface ClusterNames {
  hostPrefix: string;
  hostDigits: number;
  masterAddr: string;
  masterPort: number;
  subnet: string;
  jobId: number;
  user: string;
  partition: string;
  torchVersion: string;
  ncclVersion: string;
  pythonVersion: string;
  ckptRoot: string;
  venv: string;
  script: string;
  pids: number;
}

const PREFIXES = ["gpu", "hgx", "dgx", "node", "trn", "cw", "a3", "nid", "compute", "sxm"];
const USERS = [
  "mlops",
  "train",
  "jlee",
  "aparikh",
  "svc-pretrain",
  "research",
  "hpc-llm",
  "kfischer",
];
const PARTITIONS = ["gpu", "batch", "pretrain", "hero", "h100-prod", "priority", "large"];
const SCRIPTS = ["train.py", "pretrain_gpt.py", "run_clm.py", "train_llm.py", "finetune.py"];

/**
 * Software stack by the CUDA version the node's driver supports: [torch, NCCL or RCCL version];
 * drivers older than CUDA 12 run torch's cu118 wheels through CUDA's minor-version compatibility.
 */
function stackFor(gpu: GpuSpec): [string, string] {
  if (gpu.vendor === "amd") return ["2.5.1+rocm6.2", "2.20.5+hip6.2"];
  switch (gpu.cuda) {
    case "11.4":
    case "11.7":
    case "11.8":
      return ["2.2.2+cu118", "2.19.3+cuda11.8"];
    case "12.0":
    case "12.1":
    case "12.3":
      return ["2.3.1+cu121", "2.20.5+cuda12.1"];
    case "12.2":
      return ["2.3.1+cu121", `2.18.6+cuda${gpu.cuda}`];
    case "12.4":
      return ["2.4.1+cu124", `2.21.5+cuda${gpu.cuda}`];
    case "12.6":
    case "12.7":
      return ["2.6.0+cu126", "2.23.4+cuda12.6"];
    case "12.8":
      return ["2.7.1+cu128", `2.26.2+cuda${gpu.cuda}`];
    default:
      return ["2.8.0+cu129", "2.27.3+cuda12.9"];
  }
}

/** Draws the cluster's names for a run. */
export function drawCluster(rng: Rng, nodes: number, gpu: GpuSpec): ClusterNames {
  const [torchVersion, ncclVersion] = stackFor(gpu);
  const prefix = rng.pick(PREFIXES);
  const subnet = `10.${rng.int(1, 250)}.${rng.int(0, 63) * 4}`;
  return {
    hostPrefix: `${prefix}-${rng.pick(["", "a", "b", "p", "h"])}${rng.int(1, 9)}`,
    hostDigits: nodes >= 1000 ? 5 : 3,
    masterAddr: `${subnet}.${rng.int(2, 250)}`,
    masterPort: rng.chance(0.5) ? 29500 : rng.int(20000, 40000),
    subnet,
    jobId: rng.int(100000, 9999999),
    user: rng.pick(USERS),
    partition: rng.pick(PARTITIONS),
    torchVersion,
    ncclVersion,
    pythonVersion: rng.pick(["3.10.14", "3.11.9", "3.11.10", "3.12.7"]),
    ckptRoot: rng.pick(["/checkpoints", "/lustre/ckpt", "/mnt/weka/ckpt", "/fsx/checkpoints"]),
    venv: rng.pick(["/opt/conda/bin/python", "/usr/bin/python3", "/opt/venv/bin/python"]),
    script: rng.pick(SCRIPTS),
    pids: rng.int(2000, 90000),
  };
}

/** Host name of node `index` (0-based). */
export function hostName(c: ClusterNames, index: number): string {
  return `${c.hostPrefix}${String(index + 1).padStart(c.hostDigits, "0")}`;
}

/** IP address of node `index` on the cluster's subnet. */
export function hostAddr(c: ClusterNames, index: number): string {
  const host = 10 + index;
  return `${c.subnet.split(".").slice(0, 2).join(".")}.${
    Number(c.subnet.split(".")[2]) + Math.floor(host / 250)
  }.${host % 250}`;
}

/** Process id of the worker driving GPU `local` of `node`. */
export function workerPid(cfg: RunConfig, node: number, local: number): number {
  return cfg.cluster.pids + node * 97 + local;
}

/**
 * NCCL's `busId` of local GPU `i`: on the run's platform when `cfg` is given (see gpu_host.ts),
 * else on a DGX H100 baseboard.
 */
export function busId(i: number, cfg?: RunConfig): string {
  if (cfg) return ncclBusId(pciAddress(cfg, i));
  return ["18000", "2a000", "3a000", "5d000", "9a000", "ab000", "ba000", "db000"][i % 8];
}

/** Slurm's compressed node list: `gpu-a1[001-064]`, or the single host. */
export function nodeList(cfg: RunConfig): string {
  const c = cfg.cluster;
  if (cfg.nodes === 1) return hostName(c, 0);
  const digits = (i: number) => hostName(c, i).slice(-c.hostDigits);
  return `${c.hostPrefix}[${digits(0)}-${digits(cfg.nodes - 1)}]`;
}
