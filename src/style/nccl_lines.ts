/**
 * NCCL_DEBUG=INFO start-up as a real job prints it: the simulation's rank-0 lines fanned out to
 * every shown rank (bootstrap, network, init, channels, rings, trees, completion), interleaved.
 */
import type { LogEvent } from "../sim/events.ts";
import { busId, hostAddr } from "../sim/names.ts";
import { mix32 } from "../sim/rng.ts";
import type { RunConfig } from "../sim/run_config.ts";
import { lineRng, nodeOf, perRank, startupRanks } from "./ranks.ts";
import { formatNativeLog } from "./native.ts";
import { ncclPrefix } from "./native_launch.ts";

/** Prefix a launcher puts before a rank's line ("" for none). */
export type RankPrefix = (rank: number) => string;

/** `host:pid:tid [dev]` of a global rank. */
export function rankNcclPrefix(cfg: RunConfig, rank: number): string {
  return ncclPrefix(cfg, nodeOf(cfg, rank), rank % cfg.gpusPerNode);
}

/** The communicator's address in rank `rank`'s process (12 hex digits, stable per run). */
function commPointer(cfg: RunConfig, rank: number): string {
  const hi = mix32(cfg.seed, rank, 101) & 0xffff;
  const lo = mix32(cfg.seed, rank, 102);
  return `0x${(0x5500 | (hi & 0xff)).toString(16)}${lo.toString(16).padStart(8, "0")}`;
}

function cpuAffinity(local: number): string {
  return local < 4 ? "00000000,ffffffff,00000000,ffffffff" : "ffffffff,00000000,ffffffff,00000000";
}

/** Tree neighbours of a rank: a chain inside the node, node heads linked to the previous node. */
function treeLine(cfg: RunConfig, rank: number): string {
  const g = cfg.gpusPerNode, local = rank % g, node = nodeOf(cfg, rank);
  const child = local < g - 1 ? rank + 1 : node < cfg.nodes - 1 ? rank + 1 : -1;
  const parent = local > 0 ? rank - 1 : node > 0 ? rank - g : -1;
  const one = `${child}/-1/-1->${rank}->${parent}`;
  return `Trees [0] ${one} [1] ${one}`;
}

/** The ring connections a rank opens for two channels: P2P inside the node, the NIC across. */
function connections(cfg: RunConfig, rank: number): string[] {
  const g = cfg.gpusPerNode, local = rank % g, node = nodeOf(cfg, rank);
  const crossing = local === g - 1 && cfg.nodes > 1;
  const next = crossing ? ((node + 1) % cfg.nodes) * g : node * g + ((local + 1) % g);
  const via = crossing ? `[send] via NET/IB/${local}/GDRDMA` : "via P2P/IPC";
  return [0, 1].map((ch) => `Channel 0${ch}/0 : ${rank}[${local}] -> ${next}[${next % g}] ${via}`);
}

/** CUDA driver API version as NCCL prints it: CUDA 12.4 → 12040. */
function cudaDriverVersion(cfg: RunConfig): number {
  const [major, minor] = cfg.gpu.cuda.split(".").map(Number);
  return major * 1000 + minor * 10;
}

/** What a rank's NCCL lines are made from: the run and the rank-0 line the simulation logged. */
interface NcclLine {
  cfg: RunConfig;
  /** The text after `NCCL INFO `. */
  body: string;
  commId: string;
}

/** Each rank's own lines for a kind of NCCL line (kinds not listed come from rank 0 alone). */
const PER_RANK: Record<string, (l: NcclLine, rank: number) => string[]> = {
  "nccl.bootstrap": ({ cfg }, r) => [
    `Bootstrap : Using ib0:${hostAddr(cfg.cluster, nodeOf(cfg, r))}<0>`,
    ...(cfg.gpu.vendor === "nvidia" ? [`cudaDriverVersion ${cudaDriverVersion(cfg)}`] : []),
  ],
  "nccl.net": ({ cfg, body }, r) => [
    body.replaceAll(hostAddr(cfg.cluster, 0), hostAddr(cfg.cluster, nodeOf(cfg, r))),
    "Using network IB",
  ],
  "nccl.init": ({ cfg, commId }, r) => {
    const local = r % cfg.gpusPerNode;
    return [
      `ncclCommInitRank comm ${commPointer(cfg, r)} rank ${r} nranks ${cfg.worldSize} ` +
      `cudaDev ${local} nvmlDev ${local} busId ${busId(local, cfg)} commId ${commId} - Init START`,
      `Setting affinity for GPU ${local} to ${cpuAffinity(local)}`,
    ];
  },
  "nccl.channel": ({ body }) => [body],
  "nccl.channels": ({ body }) => [body],
  "nccl.rings": ({ cfg }, r) => [
    treeLine(cfg, r),
    "P2P Chunksize set to 131072",
    ...connections(cfg, r),
    "Connected all rings",
  ],
  "nccl.trees": () => ["Connected all trees", "threadThresholds 8/8/64 | 512/8/64 | 512 | 512"],
  "nccl.done": ({ cfg, commId }, r) => [
    `comm ${commPointer(cfg, r)} rank ${r} nranks ${cfg.worldSize} cudaDev ${
      r % cfg.gpusPerNode
    } ` +
    `busId ${busId(r % cfg.gpusPerNode, cfg)} commId ${commId} - Init COMPLETE`,
  ],
};

/** The lines for an `nccl.*` log event, every shown rank prefixed by its launcher. */
export function ncclLines(
  ev: LogEvent,
  cfg: RunConfig,
  style: string,
  launcher: RankPrefix,
): string {
  const info = (r: number, text: string) =>
    `${launcher(r)}${rankNcclPrefix(cfg, r)} NCCL INFO ${text}`;
  const native = formatNativeLog(ev, cfg);
  const at = native.indexOf("NCCL INFO ");
  const body = at < 0 ? native : native.slice(at + "NCCL INFO ".length);
  const lines = PER_RANK[ev.key];
  if (!lines) return info(0, body);
  // The simulation logs a few ranks' Init START; every rank's are drawn from the rank-0 one.
  if (ev.key === "nccl.init" && ev.data.rank !== 0) return "";
  const commId = ev.key === "nccl.init" || ev.key === "nccl.done" ? ev.data.commId : "0x0";
  const line: NcclLine = { cfg, body, commId };
  return perRank(
    startupRanks(cfg),
    lineRng(cfg, style, ev),
    (r) => lines(line, r).map((t) => info(r, t)),
  );
}
