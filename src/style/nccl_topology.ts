/**
 * The topology NCCL prints while it builds a communicator: ring orders per channel, each
 * rank's double-binary-tree neighbours, the peers it connects to and how, and the channel
 * counts, for a cluster of `nodes` × `g` GPUs.
 */
import type { RunConfig } from "../sim/run_config.ts";
import { ncclMinor } from "./nccl_version.ts";

/** Channels NCCL opens for the default communicator on this hardware. */
export function ringChannels(cfg: RunConfig): number {
  if (cfg.cluster.platform.net === "socket" || cfg.worldSize === 1) {
    return cfg.worldSize === 1 ? 32 : 2;
  }
  if (cfg.gpusPerNode < 8) return cfg.nodes > 1 ? 4 : 2;
  return cfg.gpu.arch === "Ampere" || cfg.gpu.arch === "Volta" ? (cfg.nodes > 1 ? 8 : 24) : 16;
}

/** Global ranks of channel `ch`'s ring, rank 0 first, as rank 0 prints it. */
export function ringOrder(cfg: RunConfig, ch: number): number[] {
  const g = cfg.gpusPerNode, out: number[] = [];
  const nvlink = cfg.cluster.platform.net !== "socket" && g === 8;
  for (let node = 0; node < cfg.nodes; node++) {
    // NVSwitch rings run down the local ranks and leave each node through a rotating GPU.
    const start = node === 0 ? 0 : ch % g;
    for (let k = 0; k < g; k++) {
      const local = nvlink ? (start - k + g) % g : (start + k) % g;
      out.push(node * g + local);
    }
  }
  return out;
}

/** One ring row's ranks as this NCCL version lays them out after `Channel cc/nn :`. */
export function ringRow(cfg: RunConfig, ranks: readonly number[]): string {
  const minor = ncclMinor(cfg);
  let row = "";
  // NCCL fills a fixed buffer: rows of very large jobs stop where it ends.
  for (const r of ranks) {
    const item = minor >= 27
      ? ` ${String(r).padStart(2)}`
      : minor >= 22
      ? ` ${r}`
      : ` ${String(r).padStart(3)}`;
    if (row.length + item.length > 1020) break;
    row += item;
  }
  return minor >= 22 ? row : ` ${row}`;
}

/** Head rank of `node` in tree `t` (0 or 1). */
function head(cfg: RunConfig, node: number, t: number): number {
  return node * cfg.gpusPerNode + (t === 0 ? 0 : cfg.gpusPerNode - 1);
}

/** Parent and children of `node` in node-level tree `t` (a binary tree, mirrored for t = 1). */
function nodeTree(n: number, nodes: number, t: number): { up: number; down: number[] } {
  const m = t === 0 ? n : nodes - 1 - n;
  const back = (x: number) => (t === 0 ? x : nodes - 1 - x);
  const kids = [2 * m + 1, 2 * m + 2].filter((k) => k < nodes).map(back);
  return { up: m === 0 ? -1 : back(Math.floor((m - 1) / 2)), down: kids };
}

/** `a/b/c->rank->parent` of `rank` in channel `ch`'s tree. */
export function treeEntry(cfg: RunConfig, rank: number, ch: number): string {
  const g = cfg.gpusPerNode, node = Math.floor(rank / g), local = rank % g;
  const t = ch % 2;
  // The chain inside a node runs up from local 0 in one tree and down from the last in the other.
  const pos = t === 0 ? local : g - 1 - local;
  const at = (p: number) => node * g + (t === 0 ? p : g - 1 - p);
  const down: number[] = pos < g - 1 ? [at(pos + 1)] : [];
  let up = pos > 0 ? at(pos - 1) : -1;
  if (pos === 0) {
    const nt = nodeTree(node, cfg.nodes, t);
    up = nt.up < 0 ? -1 : head(cfg, nt.up, t);
    down.push(...nt.down.map((n) => head(cfg, n, t)));
  }
  const kids = [...down, -1, -1, -1].slice(0, 3).join("/");
  return `${kids}->${rank}->${up}`;
}

/** The whole `Trees [0] ... [n]` text of a rank. */
export function treesLine(cfg: RunConfig, rank: number, channels: number): string {
  const parts: string[] = [];
  for (let ch = 0; ch < channels; ch++) parts.push(`[${ch}] ${treeEntry(cfg, rank, ch)}`);
  return `Trees ${parts.join(" ")}`;
}

/** How a rank reaches its ring neighbour: NVLink/PCIe inside a node, the network across. */
export function transport(cfg: RunConfig, crossNode: boolean, nic: number): string {
  const net = cfg.cluster.platform.net;
  const read = cfg.gpu.arch === "Ampere" ? "/read" : "";
  if (!crossNode) {
    if (net === "socket" || cfg.gpusPerNode < 8) return "via SHM/direct/direct";
    return ncclMinor(cfg) >= 19 ? `via P2P/CUMEM${read}` : `via P2P/IPC${read}`;
  }
  if (net === "socket") return "via NET/Socket/0";
  if (net === "efa") return `via NET/AWS Libfabric/${nic}/GDRDMA`;
  return `via NET/IB/${nic}/GDRDMA`;
}

/** The connection lines `rank` prints for the first `shown` channels of its ring. */
export function ringConnections(cfg: RunConfig, rank: number, shown: number): string[] {
  const g = cfg.gpusPerNode, out: string[] = [];
  for (let ch = 0; ch < shown; ch++) {
    const ring = ringOrder(cfg, ch);
    const at = ring.indexOf(rank);
    const next = ring[(at + 1) % ring.length], prev = ring[(at - 1 + ring.length) % ring.length];
    const cc = String(ch).padStart(2, "0");
    const peer = (r: number) => `${r}[${r % g}]`;
    const nic = Math.floor((rank % g) / 2) % Math.max(1, cfg.gpu.nicsPerNode);
    const across = (r: number) => Math.floor(r / g) !== Math.floor(rank / g);
    if (across(prev)) {
      out.push(
        `Channel ${cc}/0 : ${peer(prev)} -> ${peer(rank)} [receive] ${transport(cfg, true, nic)}`,
      );
    }
    const how = transport(cfg, across(next), nic);
    out.push(
      across(next)
        ? `Channel ${cc}/0 : ${peer(rank)} -> ${peer(next)} [send] ${how}`
        : `Channel ${cc}${how.includes("SHM") ? "" : "/0"} : ${peer(rank)} -> ${peer(next)} ${how}`,
    );
  }
  return out;
}

/** NCCL's thread thresholds line: the LL128 threshold is 8 × ranks, capped at 512. */
export function thresholds(cfg: RunConfig): string {
  return `threadThresholds 8/8/64 | ${Math.min(512, 8 * cfg.worldSize)}/8/64 | 512 | 512`;
}

/** The channel summary line after a communicator's set-up. */
export function channelSummary(cfg: RunConfig): string {
  const c = ringChannels(cfg);
  const nvls = cfg.gpusPerNode === 8 && /Hopper|Blackwell/.test(cfg.gpu.arch) &&
      cfg.cluster.platform.net !== "socket"
    ? 16
    : 0;
  const p2p = cfg.gpusPerNode === 8 && cfg.cluster.platform.net !== "socket" ? 32 : 2;
  return `${c} coll channels, ${c} collnet channels, ${nvls} nvls channels, ${p2p} p2p ` +
    `channels, ${p2p === 32 ? 32 : 2} p2p channels per peer`;
}
