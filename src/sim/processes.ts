/**
 * The identities a job's processes show in their lines: launcher and worker pids, the thread
 * ids NCCL prints, communicator heap addresses and each node's clock skew. All are stateless
 * hashes of the cluster's salt, so a line can be drawn in any order and a restart (`launch`
 * 1, 2, ...) gets new processes.
 */
import { hashUnit, mix32 } from "./rng.ts";

/** What the identities of one cluster's processes are drawn from. */
export interface ProcessLayout {
  /** Salt of every per-node and per-rank draw. */
  salt: number;
  /** Pods with their own PID namespace (small pids) rather than bare-metal hosts. */
  container: boolean;
  /** Typical pid on the cluster's nodes (how long they have been up). */
  pidScale: number;
  /** Threads other software started between the workers' start and NCCL's first thread. */
  tidGap: number;
  /** Where the heap lives: a PIE python's brk heap, a thread arena, or a non-PIE binary's. */
  heap: "pie" | "arena" | "nonpie";
}

const u = (p: ProcessLayout, ...v: number[]) => hashUnit(p.salt, ...v);

/** Linux's largest pid on a 64-bit kernel (`kernel.pid_max`). */
const PID_MAX = 4_194_304;

/** Pid of the launcher (torchrun agent) on `node` for launch `launch` (0: the first). */
export function launcherPid(p: ProcessLayout, node: number, launch = 0): number {
  if (p.container) return launch === 0 && p.salt % 3 === 0 ? 1 : 7 + Math.floor(u(p, node, 1) * 40);
  const base = p.pidScale * (0.6 + u(p, node, 2));
  // Each relaunch comes after whatever ran in between: health checks, cleanup, the old job.
  const later = launch === 0 ? 0 : launch * 1500 + Math.floor(u(p, node, 3, launch) * 60000);
  // Past the kernel's pid_max (4,194,304) numbering wraps to the low range, above the daemons.
  const pid = Math.floor(base) + later;
  return pid < PID_MAX ? pid : 300 + ((pid - PID_MAX) % (PID_MAX - 300));
}

/** Pid of the worker of local rank `local` on `node`: a burst after its launcher, with gaps. */
export function processPid(p: ProcessLayout, node: number, local: number, launch = 0): number {
  let pid = launcherPid(p, node, launch) + 3 + Math.floor(u(p, node, 4, launch) * 8);
  for (let i = 1; i <= local; i++) {
    pid += u(p, node, 5, i, launch) < 0.22 ? 2 + Math.floor(u(p, node, 6, i, launch) * 3) : 1;
  }
  return pid;
}

/** Threads a worker starts, in the order NCCL's lines show them. */
export type ThreadKind = "init" | "proxy" | "uds" | "connect" | "progress" | "later";
const KIND_SLOT: Record<ThreadKind, number> = {
  init: 0,
  proxy: 1,
  uds: 2,
  connect: 3,
  progress: 4,
  later: 6,
};

/**
 * Thread id of a worker's thread of `kind`. A node's workers start each kind of thread in a
 * short burst, not in rank order; a node with one GPU shows them one after another.
 */
export function threadTid(
  p: ProcessLayout,
  gpusPerNode: number,
  node: number,
  local: number,
  kind: ThreadKind,
  launch = 0,
): number {
  const last = processPid(p, node, gpusPerNode - 1, launch);
  const base = last + Math.floor(p.tidGap * (0.85 + 0.3 * u(p, node, 7, launch)));
  const slot = KIND_SLOT[kind];
  const burst = gpusPerNode + (gpusPerNode > 1 ? 1 + Math.floor(u(p, node, 8, slot) * 3) : 0);
  const spread = kind === "later" ? 150 + Math.floor(u(p, node, 9, launch) * 400) : 0;
  return base + spread + slot * burst + rankSlot(p, node, local, gpusPerNode, slot + launch);
}

/** Position of `local` in a seeded shuffle of the node's ranks (a burst's order). */
function rankSlot(p: ProcessLayout, node: number, local: number, g: number, salt: number): number {
  const keys = Array.from({ length: g }, (_, i) => mix32(p.salt, node, i, salt, 10));
  const mine = keys[local];
  return keys.filter((k, i) => k < mine || (k === mine && i < local)).length;
}

/** Heap address of communicator `comm` (0: the default group) in `rank`'s process: 16-byte aligned. */
export function commAddress(p: ProcessLayout, rank: number, launch = 0, comm = 0): string {
  const h1 = mix32(p.salt, rank, launch, 11), h2 = mix32(p.salt, rank, launch, 12);
  const step = comm === 0 ? 0 : comm * 0x4000 + (mix32(p.salt, rank, comm, 13) % 0x40000);
  if (p.heap === "nonpie") {
    return `0x${((0x1000000 + (h1 % 0x5e000000) + step) & ~0xf).toString(16)}`;
  }
  const top = p.heap === "pie" ? 0x5500 + (h1 % 0x1c0) : 0x7f00 + (h1 % 0xff);
  // A fresh thread arena starts near a 64 MiB boundary: the low bits repeat across comms.
  const low = p.heap === "arena"
    ? ((h2 & 0xfc000000) >>> 0) + 0x800 + (p.salt & 0x7f0) + step
    : h2 + step;
  const value = top * 2 ** 32 + (low % 2 ** 32);
  return `0x${(value - (value % 16)).toString(16)}`;
}

/** A node's clock offset from true time, ms (NTP keeps it within tens of ms). */
export function nodeSkewMs(p: ProcessLayout, node: number): number {
  const x = 2 * u(p, node, 14) - 1;
  return 35 * x * x * x;
}

/** How late rank `rank` logs something all ranks log at once (`salt` names the moment), ms. */
export function rankDelayMs(
  p: ProcessLayout,
  rank: number,
  salt: number,
  spreadMs: number,
): number {
  return spreadMs * u(p, rank, salt, 15) ** 2;
}
