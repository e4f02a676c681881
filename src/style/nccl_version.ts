/**
 * What NCCL prints differs by version and platform: the plugin probing, the network it picks,
 * how it names its init calls, and whether it reports timings. These builders hold that
 * vocabulary, keyed by the run's NCCL minor version (2.20 → 20).
 */
import { hostAddr } from "../sim/names.ts";
import { hashUnit } from "../sim/rng.ts";
import type { RunConfig } from "../sim/run_config.ts";

/** The NCCL minor version of the run (2.21.5 → 21). */
export function ncclMinor(cfg: RunConfig): number {
  return Number(cfg.cluster.ncclVersion.split(".")[1]);
}

/** The library's name: NCCL, or RCCL on AMD GPUs. */
export function ncclLib(cfg: RunConfig): string {
  return cfg.gpu.vendor === "amd" ? "RCCL" : "NCCL";
}

/** CUDA driver API version as NCCL prints it: a 550 driver speaks CUDA 12.4 → 12040. */
export function cudaDriverVersion(cfg: RunConfig): number {
  const major = Number(cfg.gpu.driver.split(".")[0]);
  const cuda = major >= 575
    ? 12090
    : major >= 570
    ? 12080
    : major >= 560
    ? 12060
    : major >= 550
    ? 12040
    : 12020;
  return cuda;
}

/** The name of the init call in `Init START/COMPLETE` lines ("" before NCCL names it). */
export function initCall(cfg: RunConfig): string {
  const minor = ncclMinor(cfg);
  return minor >= 23 ? "ncclCommInitRankConfig " : minor >= 21 ? "ncclCommInitRank " : "";
}

/** Whether the cluster loads the HPC-X SHARP/IBext network plugin (a per-cluster choice). */
function sharpPlugin(cfg: RunConfig): boolean {
  return cfg.cluster.platform.net === "ib" && hashUnit(cfg.cluster.layout.salt, 21) < 0.45;
}

/** The lines of NCCL's main thread before its version: bootstrap, plugin probing, driver. */
export function bootstrapLines(cfg: RunConfig, node: number): string[] {
  const minor = ncclMinor(cfg), c = cfg.cluster;
  const out: string[] = [];
  if (hashUnit(c.layout.salt, 22) < 0.5) {
    out.push(`NCCL_SOCKET_IFNAME set by environment to ${c.oobIf}`);
  }
  out.push(`Bootstrap${minor >= 24 ? ":" : " :"} Using ${c.oobIf}:${hostAddr(c, node)}<0>`);
  if (minor <= 21 && !sharpPlugin(cfg) && c.platform.net !== "efa") {
    out.push("NET/Plugin: No plugin found (libnccl-net.so)");
    out.push(
      "NET/Plugin: Plugin load returned 2 : libnccl-net.so: cannot open shared object file: " +
        "No such file or directory : when loading libnccl-net.so",
    );
    out.push("NET/Plugin: Using internal network plugin.");
  }
  if (cfg.gpu.vendor === "nvidia") out.push(`cudaDriverVersion ${cudaDriverVersion(cfg)}`);
  return out;
}

/** The NICs of a node as `NET/IB : Using ...` lists them. */
function ibDevices(cfg: RunConfig): string {
  const roce = cfg.cluster.platform.net === "roce";
  const n = Math.max(1, cfg.gpu.nicsPerNode);
  const suffix = roce ? "RoCE" : sharpPlugin(cfg) ? "IB/SHARP" : "IB";
  const dev = (i: number) => (roce ? `bnxt_re${i}` : `mlx5_${i}`);
  return Array.from({ length: n }, (_, i) => `[${i}]${dev(i)}:1/${suffix}`).join(" ");
}

/** The network selection lines of a rank's init thread. */
export function netLines(cfg: RunConfig, node: number, local: number): string[] {
  const minor = ncclMinor(cfg), c = cfg.cluster, ip = hostAddr(c, node);
  const out: string[] = [];
  switch (c.platform.net) {
    case "efa":
      if (minor >= 23) {
        out.push(
          "NET/Plugin: Failed to find ncclCollNetPlugin_v8 symbol.",
          "NET/Plugin: Failed to find ncclCollNetPlugin symbol (>= v5). ncclCollNetPlugin " +
            "symbols v4 and lower are not supported.",
        );
      }
      out.push(
        "NET/OFI Initializing aws-ofi-nccl 1.12.1-aws",
        "NET/OFI Using Libfabric version 1.22",
        `NET/OFI Using CUDA driver version ${cudaDriverVersion(cfg)}`,
        "NET/OFI Configuring AWS-specific options",
        "NET/OFI Setting FI_EFA_FORK_SAFE environment variable to 1",
        `NET/OFI Selected Provider is efa (found ${
          c.platform.id.startsWith("aws-p5") ? 32 : 4
        } nics)`,
        "Using network AWS Libfabric",
      );
      break;
    case "socket":
      out.push("NET/IB : No device found.", `NET/Socket : Using [0]${c.oobIf}:${ip}<0>`);
      if (minor >= 21) out.push("Using non-device net plugin version 0");
      out.push("Using network Socket");
      break;
    default:
      if (sharpPlugin(cfg)) {
        out.push(
          "Plugin Path : /opt/hpcx/nccl_rdma_sharp_plugin/lib/libnccl-net.so",
          minor >= 26 ? "P2P plugin v8 IBext_v8" : "P2P plugin IBext_v8",
        );
      }
      out.push(`NET/IB : Using ${ibDevices(cfg)} [RO]; OOB ${c.oobIf}:${ip}<0>`);
      if (minor >= 21 && !sharpPlugin(cfg)) out.push("Using non-device net plugin version 0");
      out.push(sharpPlugin(cfg) ? "Using network IBext_v8" : "Using network IB");
  }
  if (minor >= 23 && c.platform.net !== "socket" && cfg.gpu.arch !== "Ampere") {
    out.push(`DMA-BUF is available on GPU device ${local}`);
  }
  if (minor >= 23) {
    out.push(`PROFILER/Plugin: Could not find: libnccl-profiler.so${minor >= 26 ? "" : "."}`);
  }
  return out;
}

/** The tuner plugin lines at the end of a communicator's set-up. */
export function tunerLines(cfg: RunConfig): string[] {
  const minor = ncclMinor(cfg);
  if (minor <= 20) return [];
  if (cfg.cluster.platform.net === "efa") {
    return [
      "TUNER/Plugin: Failed to find ncclTunerPlugin_v3 symbol.",
      "TUNER/Plugin: Failed to find ncclTunerPlugin_v2 symbol, using internal tuner instead.",
    ];
  }
  if (minor === 21) {
    return [
      "TUNER/Plugin: Plugin load returned 2 : libnccl-net.so: cannot open shared object file: " +
      "No such file or directory : when loading libnccl-tuner.so",
      "TUNER/Plugin: Using internal tuner plugin.",
    ];
  }
  return [
    "TUNER/Plugin: Could not find: libnccl-tuner.so libnccl-net.so. Using internal tuner plugin.",
  ];
}

/** Seconds of each part of a communicator's init for `rank`, summing to `total` (2 decimals). */
export function initTimings(cfg: RunConfig, rank: number, launch: number): string {
  const salt = cfg.cluster.layout.salt;
  const u = (k: number) => hashUnit(salt, launch, k, 23);
  // Every rank of a communicator reports the same total; the parts trade off per rank.
  const total = 0.6 + 2.8 * u(1) + 0.04 * cfg.nodes ** 0.5;
  const kernels = 0.3 + 0.06 * u(2), topo = 0.05 + 0.04 * u(3), graphs = 0.01 + 0.02 * u(4);
  const conn = (total - kernels - topo - graphs) * (0.3 + 0.1 * u(5));
  const rest = 0.01 + 0.04 * hashUnit(salt, rank, launch, 24);
  const left = total - kernels - topo - graphs - conn - rest;
  const alloc = left * (0.05 + 0.9 * hashUnit(salt, rank, launch, 25));
  const f = (x: number) => Math.max(0, x).toFixed(2);
  return `total ${f(total)} (kernels ${f(kernels)}, alloc ${f(alloc)}, bootstrap ` +
    `${f(left - alloc)}, allgathers 0.00, topo ${f(topo)}, graphs ${f(graphs)}, connections ` +
    `${f(conn)}, rest ${f(rest)})`;
}

/** `Bootstrap timings total ...` of a rank: the root waits for everyone, the others barely. */
export function bootstrapTimings(cfg: RunConfig, rank: number, launch: number): string {
  const u = (k: number) => hashUnit(cfg.cluster.layout.salt, rank, launch, k, 26);
  const create = 0.00002 + 0.00003 * u(1), send = 0.0001 + 0.0003 * u(2);
  const ring = 0.00006 + 0.0003 * u(3);
  const recv = rank === 0 ? 0.02 + 0.03 * u(4) * Math.log2(cfg.nodes + 1) : 0.0002 + 0.0006 * u(4);
  const total = create + send + recv + ring + 0.000002 * u(5);
  const f = (x: number) => x.toFixed(6);
  return `Bootstrap timings total ${f(total)} (create ${f(create)}, send ${f(send)}, recv ` +
    `${f(recv)}, ring ${f(ring)}, delay 0.000000)`;
}

/** CPU cores near local GPU `local` as NCCL's affinity mask (32-bit words, high word first). */
export function affinityMask(cfg: RunConfig, local: number): string {
  const p = cfg.cluster.platform;
  const cores = p.coresPerSocket, cpus = 2 * p.sockets * cores;
  const socket = Math.floor((local * p.sockets) / Math.max(1, cfg.gpusPerNode));
  const words = new Array(Math.ceil(cpus / 32)).fill(0);
  for (const thread of [0, 1]) {
    for (let k = 0; k < cores; k++) {
      const cpu = thread * p.sockets * cores + socket * cores + k;
      words[cpu >> 5] = (words[cpu >> 5] | (1 << (cpu & 31))) >>> 0;
    }
  }
  const hex = words.reverse().map((w: number, i: number) =>
    i === 0 ? w.toString(16) : w.toString(16).padStart(8, "0")
  );
  while (hex.length > 1 && hex[0] === "0") hex.shift();
  return hex.join(",");
}
