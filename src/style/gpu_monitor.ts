/**
 * The GPU lines a job's own tools write into its log, for framework styles: the `nvidia-smi`
 * tables the job script prints (before launching, and during the run when the simulation says
 * it looks again), and the output of a monitor it starts beside training, drawn per run:
 * `nvidia-smi dmon`, `nvidia-smi --query-gpu … --format=csv -l N`, a `rocm-smi` loop on AMD
 * nodes, or none. The monitor samples at the run's reading interval (reportIntervalS) on the
 * batch host, or on every node through the launcher, each line then carrying its prefix.
 */
import type { DataEvent } from "../sim/events.ts";
import { hostName, nodeList } from "../sim/names.ts";
import { createRng, type Rng } from "../sim/rng.ts";
import type { RunConfig } from "../sim/run_config.ts";
import { reportIntervalS } from "../sim/smi_plan.ts";
import { driverMajor } from "../sim/gpu_host.ts";
import { defaultTableOptions, smiTable, type TableOptions } from "./nvidia_smi.ts";
import { rocmSmi } from "./rocm_smi.ts";
import { readouts } from "./gpu_readout.ts";
import {
  DMON_HEADER_EVERY_ROWS,
  dmonCommand,
  dmonHeader,
  type DmonOptions,
  dmonRows,
} from "./gpu_dmon.ts";
import { QUERY_FIELD_SETS, queryCommand, queryHeader, queryRows } from "./gpu_query.ts";

type GpuEvent = Extract<DataEvent, { type: "gpu" }>;

/** What the style knows of the job around it. */
export interface MonitorOptions {
  /** The job script runs under `set -x`: each command it starts shows as `+ command`. */
  trace: boolean;
  /** How a tool run on every node is started and its lines marked: srun's `--label` or pdsh's. */
  fanout: "srun" | "pdsh";
  /** Process ids of the ranks, for nvidia-smi's Processes section. */
  pid?: TableOptions["pid"];
}

/** The monitor a run's job script starts. */
export interface MonitorPlan {
  tool: "none" | "dmon" | "query" | "rocm";
  intervalS: number;
  /** Runs on every node (else on the batch host, node 0, alone). */
  everyNode: boolean;
  dmon: DmonOptions;
  fields: readonly string[];
  /** The job runs in containers: nvidia-smi lists no processes. */
  container: boolean;
}

/** A run's monitor and what it has printed so far. */
export interface GpuMonitorState {
  opts: MonitorOptions;
  plan: MonitorPlan;
  /** The monitor's command line has been traced. */
  started: boolean;
  /** Per node: rows since dmon's last header (-1 before its first). */
  rows: Map<number, number>;
  /** Nodes that went down: their monitor died with them. */
  dead: Set<number>;
  /**
   * Monitors on every node: the samples of one reading, held until the last node's, then
   * written in the order the nodes' own clocks took them (srun and pdsh pass lines on as they
   * come).
   */
  pending: Array<{ atMs: number; node: number; lines: string[] }>;
  /** The reading the held samples belong to. */
  pendingMs: number;
  /**
   * Per node: how far the monitor's own clock is from the reading it reports, in ms. Its loop
   * started some way into a second, and each pass sleeps the interval after a query that takes
   * a few milliseconds, so the samples' milliseconds creep on.
   */
  lagMs: Map<number, number>;
  /** Draws each node's start and creep. */
  rng: Rng;
}

/** Draws the run's monitor from its seed. */
export function monitorPlan(cfg: RunConfig): MonitorPlan {
  const rng = createRng(cfg.seed, "gpu-monitor");
  const amd = cfg.gpu.vendor === "amd";
  const pick = rng.next();
  const tool = amd
    ? (pick < 0.5 ? "none" : "rocm")
    : pick < 0.3
    ? "none"
    : pick < 0.7
    ? "dmon"
    : "query";
  const modern = !amd && driverMajor(cfg.gpu.driver) >= 525;
  return {
    tool,
    intervalS: reportIntervalS(cfg),
    everyNode: !amd && cfg.nodes > 1 && cfg.nodes <= 8 && rng.chance(0.5),
    dmon: {
      select: rng.pick(["pucm", "pucm", "pucm", "pu", "puc", "pum"]),
      time: modern && rng.chance(0.3),
      modern,
      engines: cfg.gpu.arch !== "Volta",
    },
    fields: rng.pick(QUERY_FIELD_SETS),
    container: rng.chance(0.15),
  };
}

/** A run's monitor before its first line. */
export function openGpuMonitor(cfg: RunConfig, opts: MonitorOptions): GpuMonitorState {
  return {
    opts,
    plan: monitorPlan(cfg),
    started: false,
    rows: new Map(),
    dead: new Set(),
    pending: [],
    pendingMs: -1,
    lagMs: new Map(),
    rng: createRng(cfg.seed, "gpu-monitor-clock"),
  };
}

/** When `node`'s monitor takes the sample the reading at `simMs` stands for. */
function sampleMs(st: GpuMonitorState, node: number, simMs: number): number {
  const before = st.lagMs.get(node);
  // The first pass starts as the job script reaches it; later passes come a query's time late.
  const lag = before === undefined ? st.rng.range(20, 980) : before + st.rng.range(1.5, 9);
  st.lagMs.set(node, lag);
  return Math.round(simMs + lag);
}

/** Every GPU line a `gpu` event gives: the job script's table, then the monitor's sample. */
export function gpuMonitorLines(ev: GpuEvent, cfg: RunConfig, st: GpuMonitorState): string {
  const out: string[] = [];
  const node = ev.data.node;
  if (ev.data.snapshot && node === 0) out.push(...snapshot(ev, cfg, st));
  if (ev.data.gpus.every((g) => g.power_w === 0)) st.dead.add(node);
  const p = st.plan;
  if (p.tool === "none" || st.dead.has(node) || (node > 0 && !p.everyNode)) return out.join("\n");
  if (!st.started) {
    st.started = true;
    if (st.opts.trace && p.tool !== "rocm") out.push(`+ ${launchCommand(cfg, st)}`);
  }
  const prefix = linePrefix(cfg, st, node);
  const lines = sample(ev, cfg, st).map((line) => prefix + line);
  if (!p.everyNode) return [...out, ...lines].join("\n");
  // A later reading flushes what an earlier one still holds (its last node was down).
  if (st.pending.length > 0 && st.pendingMs !== ev.simMs) out.push(...flushPending(st));
  st.pendingMs = ev.simMs;
  st.pending.push({ atMs: ev.simMs + (st.lagMs.get(node) ?? 0), node, lines });
  if (node >= lastLiveNode(cfg, st)) out.push(...flushPending(st));
  return out.join("\n");
}

/** The last node whose monitor still runs. */
function lastLiveNode(cfg: RunConfig, st: GpuMonitorState): number {
  let n = cfg.nodes - 1;
  while (n > 0 && st.dead.has(n)) n--;
  return n;
}

/** The held samples, earliest first. */
function flushPending(st: GpuMonitorState): string[] {
  const held = st.pending.sort((a, b) => a.atMs - b.atMs || a.node - b.node);
  st.pending = [];
  return held.flatMap((h) => h.lines);
}

function snapshot(ev: GpuEvent, cfg: RunConfig, st: GpuMonitorState): string[] {
  const table: TableOptions = {
    ...defaultTableOptions(cfg),
    ...(st.opts.pid ? { pid: st.opts.pid } : {}),
    container: st.plan.container,
  };
  const command = cfg.gpu.vendor === "amd" ? "rocm-smi" : "nvidia-smi";
  return [...(st.opts.trace ? [`+ ${command}`] : []), smiTable(ev, cfg, table)];
}

/** The monitor's command line, as the job script starts it. */
function launchCommand(cfg: RunConfig, st: GpuMonitorState): string {
  const p = st.plan;
  const tool = p.tool === "dmon"
    ? dmonCommand(p.dmon, p.intervalS)
    : queryCommand(p.fields, p.intervalS);
  if (!p.everyNode) return tool;
  return st.opts.fanout === "srun"
    ? `srun --overlap --ntasks-per-node=1 --label ${tool}`
    : `pdsh -R ssh -w ${nodeList(cfg)} ${tool}`;
}

/** srun's `--label` task number (padded to the widest), pdsh's host, or nothing. */
function linePrefix(cfg: RunConfig, st: GpuMonitorState, node: number): string {
  if (!st.plan.everyNode) return "";
  if (st.opts.fanout === "pdsh") return `${hostName(cfg.cluster, node)}: `;
  return `${String(node).padStart(String(cfg.nodes - 1).length)}: `;
}

/** One sample's lines: dmon's rows (after its header when due), the CSV rows, or a table. */
function sample(ev: GpuEvent, cfg: RunConfig, st: GpuMonitorState): string[] {
  const p = st.plan, node = ev.data.node;
  if (p.tool === "rocm") {
    return [
      ...(st.opts.trace ? ["+ :", "+ rocm-smi"] : []),
      rocmSmi(ev, cfg),
      ...(st.opts.trace ? [`+ sleep ${p.intervalS}`] : []),
    ];
  }
  const gpus = readouts(ev, cfg);
  const seen = st.rows.get(node) ?? -1;
  const atMs = sampleMs(st, node, ev.simMs);
  if (p.tool === "query") {
    st.rows.set(node, seen + gpus.length);
    return [
      ...(seen < 0 ? [queryHeader(p.fields)] : []),
      ...queryRows(p.fields, cfg, atMs, gpus),
    ];
  }
  const header = seen < 0 || seen >= DMON_HEADER_EVERY_ROWS;
  st.rows.set(node, (header ? 0 : seen) + gpus.length);
  return [...(header ? dmonHeader(p.dmon) : []), ...dmonRows(p.dmon, atMs, gpus)];
}
