/**
 * Names of the simulated cluster: its platform, hosts, addresses, software versions, job ids,
 * paths and the identities of its processes. Every cluster draws its own naming scheme, so no
 * two runs share a template.
 */
import platformsJson from "../../data/platforms.json" with { type: "json" };
import type { GpuSpec } from "./catalog.ts";
import { createRng, mix32, type Rng } from "./rng.ts";
import { type DataHome, drawDataHome, drawHome, drawStorageRoot, drawUser } from "./run_names.ts";
import type { RunConfig } from "./run_config.ts";
import { compressHosts, drawHostScheme, type HostScheme, schemeHost } from "./hosts.ts";
import {
  commAddress,
  type ProcessLayout,
  processPid,
  type ThreadKind,
  threadTid,
} from "./processes.ts";

/** A kind of GPU server: its PCI layout, network and CPUs. */
export interface PlatformSpec {
  id: string;
  name: string;
  gpus: string[];
  /** Host naming schemes such clusters use (see src/sim/hosts.ts). */
  hosts: string[];
  /** AWS instance type as it appears in ParallelCluster host names. */
  instance?: string;
  /** PCI bus (and device) of each GPU slot: `18`, `10:1c`, or with a domain `0008:01`. */
  pciBus: string[];
  /** Inter-node transport: InfiniBand, AWS EFA, RoCE or plain TCP sockets. */
  net: "ib" | "efa" | "roce" | "socket";
  /** Network interfaces that carry NCCL's bootstrap (one per cluster). */
  oob: string[];
  sockets: number;
  coresPerSocket: number;
  weight: number;
}

/** Every platform preset. */
export const PLATFORMS: readonly PlatformSpec[] = platformsJson as PlatformSpec[];

/** Everything about the cluster that appears in lines but not in the maths. */
export interface ClusterNames {
  /** Start of the host names (kept for older callers; the scheme has the whole story). */
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
  /** The user's home directory (`/home/jlee`, `/root` in a container). */
  home: string;
  /** Where the user keeps checkpoints (`/scratch/jlee`, `/fsx`, `/workspace`). */
  ckptRoot: string;
  /** Where the cluster keeps its data sets (a folder, and a bucket on a cloud). */
  data: DataHome;
  venv: string;
  script: string;
  /** Typical pid on the nodes. */
  pids: number;
  /** The platform preset (`dgx-h100`, `aws-p5`, ...). */
  platform: PlatformSpec;
  /** How this cluster names its hosts, and which ones the job got. */
  scheme: HostScheme;
  /** Pids, thread ids, heap addresses and clock skew of the job's processes. */
  layout: ProcessLayout;
  /** The interface NCCL bootstraps over (`ib0`, `ens32`, `eth0`, ...). */
  oobIf: string;
}

const PARTITIONS = ["gpu", "batch", "pretrain", "hero", "h100-prod", "priority", "large"];
const SCRIPTS = ["train.py", "pretrain_gpt.py", "run_clm.py", "train_llm.py", "finetune.py"];

/**
 * A stack a cluster keeps after its driver moves on: a newer driver runs older CUDA 12 wheels, and
 * many teams pin torch for months.
 */
const OLDER_CU12: Array<[string, string, string[]]> = [
  ["2.5.1+cu124", "2.21.5+cuda12.4", ["3.10.15", "3.11.10", "3.12.7"]],
];

/** Software stacks by the GPU's CUDA version: [torch, NCCL or RCCL, python versions]. */
function stacksFor(gpu: GpuSpec): Array<[string, string, string[]]> {
  if (gpu.vendor === "amd") return [["2.5.1+rocm6.2", "2.20.5+hip6.2", ["3.10.14", "3.12.7"]]];
  switch (gpu.cuda) {
    // Drivers older than CUDA 12 run torch's cu118 wheels through minor-version compatibility.
    case "11.4":
    case "11.7":
    case "11.8":
      return [
        ["2.4.1+cu118", "2.20.5+cuda11.8", ["3.10.14", "3.11.9"]],
        ["2.5.1+cu118", "2.21.5+cuda11.8", ["3.10.15", "3.11.10"]],
      ];
    case "12.0":
    case "12.1":
    case "12.2":
    case "12.3":
      return [
        ["2.4.1+cu121", "2.20.5+cuda12.4", ["3.10.14", "3.11.9"]],
        ["2.5.1+cu121", "2.21.5+cuda12.4", ["3.10.15", "3.11.10"]],
      ];
    case "12.4":
      return [
        ["2.4.1+cu124", "2.20.5+cuda12.4", ["3.10.14", "3.11.9"]],
        ["2.5.1+cu124", "2.21.5+cuda12.4", ["3.10.15", "3.11.10", "3.12.7"]],
      ];
    case "12.6":
    case "12.7":
      return [
        ["2.6.0+cu126", "2.21.5+cuda12.4", ["3.11.11", "3.12.8"]],
        ["2.6.0+cu124", "2.23.4+cuda12.6", ["3.10.16", "3.12.8"]],
        ...OLDER_CU12,
      ];
    case "12.8":
      return [
        ["2.7.1+cu128", "2.26.2+cuda12.8", ["3.11.12", "3.12.10"]],
        ["2.8.0+cu128", "2.27.3+cuda12.9", ["3.12.11", "3.11.13"]],
        ["2.6.0+cu126", "2.21.5+cuda12.4", ["3.11.11", "3.12.8"]],
        ...OLDER_CU12,
      ];
    default:
      return [
        ["2.8.0+cu129", "2.27.3+cuda12.9", ["3.12.11", "3.11.13"]],
        // The newest stack, twice: most clusters on the newest drivers run it.
        ["2.9.0+cu129", "2.27.5+cuda12.9", ["3.12.12", "3.13.7"]],
        ["2.9.0+cu129", "2.27.5+cuda12.9", ["3.12.12", "3.13.7"]],
        ["2.7.1+cu128", "2.26.2+cuda12.8", ["3.11.12", "3.12.10"]],
        ["2.6.0+cu126", "2.21.5+cuda12.4", ["3.11.11", "3.12.8"]],
        ...OLDER_CU12,
      ];
  }
}

/** The platform a cluster of `gpu` is built on. */
function drawPlatform(rng: Rng, gpu: GpuSpec, gpusPerNode: number): PlatformSpec {
  const fits = PLATFORMS.filter((p) => p.gpus.includes(gpu.id));
  const pool = fits.length > 0 ? fits : PLATFORMS.filter((p) => p.id === "pcie-server");
  // One-GPU "nodes" are cloud VMs or workstations more often than slices of a DGX.
  const weights = pool.map((p) => p.weight * (gpusPerNode < 8 && p.id.startsWith("dgx") ? 0.3 : 1));
  return rng.weighted(pool, weights);
}

/**
 * Draws the cluster's names for a run. The seed's config stream gives what earlier versions
 * drew (so the rest of the run's configuration stays put); the new names come from their own
 * stream, salted by those draws.
 */
export function drawCluster(rng: Rng, nodes: number, gpu: GpuSpec, gpusPerNode = 8): ClusterNames {
  rng.next();
  const subnet = `10.${rng.int(1, 250)}.${rng.int(0, 63) * 4}`;
  for (let i = 0; i < 3; i++) rng.next();
  const masterPort = rng.chance(0.5) ? 29500 : rng.int(20000, 40000);
  const jobId = rng.int(100000, 9999999);
  // Two draws the config stream once spent on a user and a storage root (now drawn below).
  rng.next();
  const partition = rng.pick(PARTITIONS);
  const pythonPick = rng.pick([0, 1, 2, 3]);
  rng.next();
  const venv = rng.pick(["/opt/conda/bin/python", "/usr/bin/python3", "/opt/venv/bin/python"]);
  const script = rng.pick(SCRIPTS);
  const pids = rng.int(2000, 90000);
  const own = createRng(mix32(jobId, pids, masterPort), "cluster");
  const platform = drawPlatform(own, gpu, gpusPerNode);
  // Blackwell (sm_100) needs a CUDA 12.8 build: torch 2.7 or later.
  const all = stacksFor(gpu);
  const fits = all.filter(([torch]) =>
    gpu.arch !== "Blackwell" || Number(torch.split(".")[1]) >= 7
  );
  const stacks = fits.length > 0 ? fits : all;
  const [torchVersion, ncclVersion, pythons] = own.pick(stacks);
  const scheme = drawHostScheme(own, own.pick(platform.hosts), nodes, platform.instance);
  const container = scheme.kind === "k8s";
  // The people and their storage: a stream of their own, so the machines' draws stay put.
  const people = createRng(mix32(jobId, pids, masterPort), "people");
  const user = drawUser(people, scheme.kind);
  const home = drawHome(people, scheme.kind, user);
  const ckptRoot = drawStorageRoot(people, scheme.kind, user);
  const data = drawDataHome(people, scheme.kind, user);
  const layout: ProcessLayout = {
    salt: own.int(1, 2 ** 31),
    container,
    pidScale: container ? 60 : Math.round(Math.exp(own.range(Math.log(6000), Math.log(3.2e6)))),
    tidGap: container ? own.int(250, 1500) : own.int(55, 320),
    heap: own.weighted(["pie", "arena", "nonpie"] as const, [6, 2, 1]),
  };
  const c: ClusterNames = {
    hostPrefix: scheme.prefix,
    hostDigits: scheme.digits,
    masterAddr: "",
    masterPort,
    subnet,
    jobId,
    user,
    home,
    partition,
    torchVersion,
    ncclVersion,
    pythonVersion: pythons[pythonPick % pythons.length],
    ckptRoot,
    data,
    venv,
    script,
    pids: container ? 90 + pids % 900 : pids,
    platform,
    scheme,
    layout,
    oobIf: own.pick(platform.oob),
  };
  c.masterAddr = hostAddr(c, 0);
  return c;
}

/** Host name of node `index` (0-based, in Slurm's order). */
export function hostName(c: ClusterNames, index: number): string {
  return schemeHost(c.scheme, c.scheme.ids[index] ?? c.scheme.ids.at(-1)! + index);
}

/** IPv4 address of node `index` (the EC2 schemes carry it in the host name). */
export function hostAddr(c: ClusterNames, index: number): string {
  const id = c.scheme.ids[index] ?? index;
  if (c.scheme.kind === "ec2") {
    return `10.${c.scheme.prefix.split("-")[2]}.${Math.floor(id / 256)}.${id % 256}`;
  }
  const [a, b, third] = c.subnet.split(".").map(Number);
  const slot = (id * 7 + (c.layout.salt % 97)) % 1000;
  return `${a}.${b}.${third + Math.floor(slot / 250)}.${2 + (slot % 250)}`;
}

/** Process id of the worker driving GPU `local` of `node` (`launch`: 0, then 1 per restart). */
export function workerPid(cfg: RunConfig, node: number, local: number, launch = 0): number {
  return processPid(cfg.cluster.layout, node, local, launch);
}

/** Thread id of one of a worker's threads, as NCCL's `host:pid:tid` prints it. */
export function workerTid(
  cfg: RunConfig,
  rank: number,
  kind: ThreadKind | "main",
  launch = 0,
): number {
  const g = cfg.gpusPerNode, node = Math.floor(rank / g), local = rank % g;
  if (kind === "main") return workerPid(cfg, node, local, launch);
  return threadTid(cfg.cluster.layout, g, node, local, kind, launch);
}

/** Heap address of communicator `comm` in `rank`'s process, as NCCL prints `comm 0x...`. */
export function commPointer(cfg: RunConfig, rank: number, launch = 0, comm = 0): string {
  return commAddress(cfg.cluster.layout, rank, launch, comm);
}

/** The PCI bus of local GPU `i` in NCCL's packed form (`18000`, `101c0`, `8001000`). */
export function busId(i: number, c?: ClusterNames): string {
  const bus = (c?.platform.pciBus ?? PLATFORMS[3].pciBus)[i % 8];
  const [domain, b, dev] = bus.includes(":") && bus.length > 5
    ? [parseInt(bus.slice(0, 4), 16), bus.slice(5), "00"]
    : [0, bus.slice(0, 2), bus.length > 2 ? bus.slice(3) : "00"];
  const packed = domain * 0x100000 + parseInt(b, 16) * 0x1000 + parseInt(dev, 16) * 0x10;
  return packed.toString(16);
}

/** The PCI address of local GPU `i` as nvidia-smi prints it: `00000000:1B:00.0`. */
export function pciAddress(c: ClusterNames, i: number): string {
  const bus = c.platform.pciBus[i % 8];
  const [domain, b, dev] = bus.includes(":") && bus.length > 5
    ? [bus.slice(0, 4), bus.slice(5), "00"]
    : ["0000", bus.slice(0, 2), bus.length > 2 ? bus.slice(3) : "00"];
  return `0000${domain}:${b}:${dev}.0`.toUpperCase();
}

/** Slurm's compressed node list of the job: `dgx[0142-0145,0150]`, or the single host. */
export function nodeList(cfg: RunConfig): string {
  const hosts = Array.from({ length: cfg.nodes }, (_, i) => hostName(cfg.cluster, i));
  return compressHosts(hosts);
}

/** The host's fully qualified name, as `socket.getfqdn()` gives it (torchrun's error summary). */
export function hostFqdn(c: ClusterNames, index: number): string {
  const host = hostName(c, index);
  switch (c.scheme.kind) {
    case "ec2":
      return `${host}.ec2.internal`;
    case "pcluster":
      return `${host}.pcluster.local`;
    case "gcp":
      return `${host}.us-central1-a.c.${["llm", "ml", "research"][c.layout.salt % 3]}-${
        (c.layout.salt % 900 + 100).toString(36)
      }-prod.internal`;
    case "k8s":
      return host;
    default:
      return c.layout.salt % 3 === 0 ? `${host}.cm.cluster` : host;
  }
}
