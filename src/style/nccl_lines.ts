/**
 * NCCL_DEBUG=INFO start-up as a real job prints it: the simulation's communicator facts fanned
 * out to every shown rank, each line from the thread that really prints it (the main thread
 * first, then the init, proxy and connection threads), in the vocabulary of the run's NCCL
 * version, ranks interleaved.
 */
import type { LogEvent } from "../sim/events.ts";
import { busId, commPointer, hostName, workerPid, workerTid } from "../sim/names.ts";
import type { ThreadKind } from "../sim/processes.ts";
import type { RunConfig } from "../sim/run_config.ts";
import { launchOf, lineRng, nodeOf, perRank, startupRanks } from "./ranks.ts";
import {
  affinityMask,
  bootstrapLines,
  bootstrapTimings,
  initCall,
  initTimings,
  ncclLib,
  ncclMinor,
  netLines,
  tunerLines,
} from "./nccl_version.ts";
import {
  channelSummary,
  ringChannels,
  ringConnections,
  ringOrder,
  ringRow,
  thresholds,
  treesLine,
} from "./nccl_topology.ts";

/** Prefix a launcher puts before a rank's line ("" for none). */
export type RankPrefix = (rank: number) => string;

/** Which ranks show their lines, and how many ring channels' connections each prints. */
export interface NcclOptions {
  ranks?: readonly number[];
  channelsShown?: number;
}

/** `host:pid:tid [dev]` of a global rank's thread of `kind`. */
export function rankNcclPrefix(
  cfg: RunConfig,
  rank: number,
  kind: ThreadKind | "main" = "init",
  launch = 0,
): string {
  const node = nodeOf(cfg, rank), local = rank % cfg.gpusPerNode;
  const pid = workerPid(cfg, node, local, launch);
  // Proxy threads of newer NCCL print device 0 whatever GPU they serve.
  const dev = (kind === "proxy" || kind === "uds") && ncclMinor(cfg) >= 27 ? 0 : local;
  return `${hostName(cfg.cluster, node)}:${pid}:${workerTid(cfg, rank, kind, launch)} [${dev}]`;
}

/** One line of a rank: the thread that prints it and its text after `NCCL INFO `. */
type Line = [ThreadKind | "main", string];

/** The communicator's id: one 64-bit value shared by all its ranks. */
function commIdOf(ev: LogEvent): string {
  return ev.key === "nccl.init" || ev.key === "nccl.done" ? ev.data.commId : "0x0";
}

function initStart(cfg: RunConfig, r: number, launch: number, commId: string): Line[] {
  const local = r % cfg.gpusPerNode, minor = ncclMinor(cfg);
  const out: Line[] = [[
    "init",
    `${initCall(cfg)}comm ${commPointer(cfg, r, launch)} rank ${r} nranks ${cfg.worldSize} ` +
    `cudaDev ${local} nvmlDev ${local} busId ${busId(local, cfg.cluster)} commId ${commId} - ` +
    "Init START",
  ]];
  out.push(["init", `Setting affinity for GPU ${local} to ${affinityMask(cfg, local)}`]);
  if (cfg.gpusPerNode === 8 && /Hopper|Blackwell/.test(cfg.gpu.arch)) {
    out.push(["init", `NVLS multicast support is available on dev ${local}`]);
  }
  if (minor >= 23) out.push(["init", bootstrapTimings(cfg, r, launch)]);
  out.push([
    "init",
    `comm ${commPointer(cfg, r, launch)} rank ${r} nRanks ${cfg.worldSize} nNodes ${cfg.nodes} ` +
    `localRanks ${cfg.gpusPerNode} localRank ${local} MNNVL 0`,
  ]);
  return out;
}

function proxyLines(cfg: RunConfig, r: number, kinds: Array<"proxy" | "uds" | "progress">): Line[] {
  const p = cfg.cluster.platform, local = r % cfg.gpusPerNode;
  const names = { proxy: "Proxy Service", uds: "Proxy Service UDS", progress: "Proxy Progress" };
  return kinds.map((k, i) => {
    const core = (workerPid(cfg, nodeOf(cfg, r), local) * (3 + i)) % (p.coresPerSocket * p.sockets);
    return [k, `[${names[k]}] Device ${local} CPU core ${core}`];
  });
}

/** The lines each rank prints for a kind of NCCL fact, in the run's NCCL version. */
function rankLines(ev: LogEvent, cfg: RunConfig, r: number, shown: number): Line[] {
  const launch = launchOf(ev), minor = ncclMinor(cfg), node = nodeOf(cfg, r);
  const lazy = minor >= 23;
  const connect = (): Line[] => [
    ...ringConnections(cfg, r, shown).map((t): Line => [lazy ? "connect" : "init", t]),
    [lazy ? "connect" : "init", "Connected all rings"],
  ];
  switch (ev.key) {
    case "nccl.bootstrap": {
      // Rank 0 sets up the bootstrap (ncclGetUniqueId) before its communicator reads the driver;
      // the other ranks read the driver first, then set up the bootstrap.
      const lines = bootstrapLines(cfg, node);
      const driver = lines.findIndex((t) => t.startsWith("cudaDriverVersion"));
      if (r !== 0 && driver > 0) lines.unshift(...lines.splice(driver, 1));
      return lines.map((t) => ["main", t]);
    }
    case "nccl.version":
      return minor >= 22 ? [["main", `${ncclLib(cfg)} version ${cfg.cluster.ncclVersion}`]] : [];
    case "nccl.net":
      return netLines(cfg, node, r % cfg.gpusPerNode).map((t) => ["init", t]);
    case "nccl.init":
      return initStart(cfg, r, launch, commIdOf(ev));
    case "nccl.rings":
      return [
        ["init", treesLine(cfg, r, ringChannels(cfg))],
        ["init", "P2P Chunksize set to 131072"],
        ...(lazy ? proxyLines(cfg, r, ["proxy", "uds"]) : connect()),
      ];
    case "nccl.trees":
      return lazy
        ? [["init", thresholds(cfg)], ["init", channelSummary(cfg)]]
        : [["init", "Connected all trees"], ["init", thresholds(cfg)]];
    case "nccl.channels":
      return lazy
        ? [["init", "CC Off, Multi-GPU CC Off, workFifoBytes 1048576"], ...tuner(cfg)]
        : [["init", channelSummary(cfg)], ...tuner(cfg)];
    case "nccl.done":
      return [
        [
          "init",
          `${initCall(cfg)}comm ${commPointer(cfg, r, launch)} rank ${r} nranks ` +
          `${cfg.worldSize} cudaDev ${r % cfg.gpusPerNode} nvmlDev ${r % cfg.gpusPerNode} busId ` +
          `${busId(r % cfg.gpusPerNode, cfg.cluster)} commId ${commIdOf(ev)} - Init COMPLETE`,
        ],
        ...(lazy
          ? [
            [
              "init",
              `Init timings - ${initCall(cfg).trim()}: rank ${r} nranks ${cfg.worldSize} ` +
              initTimings(cfg, r, launch),
            ] as Line,
            ...proxyLines(cfg, r, ["progress"]),
            ...connect(),
          ]
          : []),
      ];
    default:
      return [];
  }
}

function tuner(cfg: RunConfig): Line[] {
  return tunerLines(cfg).map((t) => ["init", t]);
}

/** Rank 0's ring rows (only the communicator's rank 0 prints them). */
function ringRows(cfg: RunConfig, launch: number): string[] {
  const n = ringChannels(cfg), nn = String(n).padStart(2, "0");
  return Array.from(
    { length: n },
    (_, ch) =>
      `${rankNcclPrefix(cfg, 0, "init", launch)} NCCL INFO Channel ${
        String(ch).padStart(2, "0")
      }/` +
      `${nn} :${ringRow(cfg, ringOrder(cfg, ch))}`,
  );
}

/** The lines for an `nccl.*` log event, every shown rank prefixed by its launcher. */
export function ncclLines(
  ev: LogEvent,
  cfg: RunConfig,
  style: string,
  launcher: RankPrefix,
  opts: NcclOptions = {},
): string {
  const ranks = opts.ranks ?? startupRanks(cfg);
  const launch = launchOf(ev);
  if (ev.key === "nccl.channel") {
    // The simulation logs the first few channels; rank 0 prints every row at once.
    if (ev.data.channel !== 0 || !ranks.includes(0)) return "";
    return ringRows(cfg, launch).map((l) => launcher(0) + l).join("\n");
  }
  if (ev.key === "nccl.version" && ncclMinor(cfg) < 22) {
    // Before 2.22 the version is a bare line from global rank 0 alone.
    return ranks.includes(0)
      ? `${launcher(0)}${ncclLib(cfg)} version ${cfg.cluster.ncclVersion}`
      : "";
  }
  // The simulation logs a few ranks' Init START; every rank's are drawn from the rank-0 one.
  if (ev.key === "nccl.init" && ev.data.rank !== 0) return "";
  const shown = opts.channelsShown ?? 2;
  return perRank(
    ranks,
    lineRng(cfg, style, ev),
    (r) =>
      rankLines(ev, cfg, r, shown).map(([kind, text]) =>
        `${launcher(r)}${rankNcclPrefix(cfg, r, kind, launch)} NCCL INFO ${text}`
      ),
  );
}
