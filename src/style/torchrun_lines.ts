/**
 * What torchrun's elastic agent prints on every node, in the run's torch version: the
 * OMP_NUM_THREADS banner (a warning, always shown), and with LOGLEVEL=INFO the rendezvous
 * result, the worker group's start and its clean finish. Each node's clock has its own skew.
 */
import type { OutputEvent } from "../sim/events.ts";
import type { RunConfig } from "../sim/run_config.ts";
import { glogHead } from "../format/clock.ts";
import {
  agentPid,
  interleave,
  launchOf,
  lineRng,
  nodeClockMs,
  shuffled,
  startupNodes,
} from "./ranks.ts";
import { loggedPath, torchSource } from "./torch_source.ts";

/**
 * torchrun's warning when it sets OMP_NUM_THREADS for its workers (its format string has a space
 * before the newline, so the line ends in one).
 */
const OMP_WARNING = "Setting OMP_NUM_THREADS environment variable for each process to be 1 in " +
  "default, to avoid your system being overloaded, please further tune the variable for " +
  "optimal performance in your application as needed. ";

const STARS = "*****************************************";

function rankList(from: number, count: number): string {
  return `[${Array.from({ length: count }, (_, i) => from + i).join(", ")}]`;
}

/** The glog head of node `node`'s agent for a statement at `file:line` of torch. */
function agentHead(
  cfg: RunConfig,
  sev: string,
  node: number,
  simMs: number,
  file: string,
  launch: number,
): string {
  return glogHead(
    sev,
    nodeClockMs(cfg, node, simMs),
    agentPid(cfg, node, launch),
    loggedPath(cfg, file),
  );
}

/** The OMP_NUM_THREADS warning banner, one copy per node, lines of different nodes mixed. */
export function ompBanner(ev: OutputEvent, cfg: RunConfig, style: string): string {
  const rng = lineRng(cfg, style, ev), launch = launchOf(ev);
  const file = `distributed/run.py:${torchSource(cfg).runBanner}`;
  const blocks = shuffled(startupNodes(cfg), rng).map((node) => {
    // Each agent starts when srun gets to its node: tens of ms apart.
    const head = agentHead(cfg, "W", node, ev.simMs + rng.range(0, 60), file, launch);
    return [head, head + STARS, head + OMP_WARNING, head + STARS];
  });
  return interleave(blocks, rng).join("\n");
}

/** Each node's "Rendezvous complete" report (one log record per node, so blocks stay whole). */
export function rendezvousReport(ev: OutputEvent, cfg: RunConfig, style: string): string {
  const c = cfg.cluster, g = cfg.gpusPerNode, launch = launchOf(ev), s = torchSource(cfg);
  const rng = lineRng(cfg, style, ev);
  const nodes = shuffled(startupNodes(cfg, 4), rng);
  return nodes.map((node) =>
    [
      agentHead(
        cfg,
        "I",
        node,
        ev.simMs + rng.range(0, 30),
        `distributed/elastic/agent/server/api.py:${s.agentRdzvDone}`,
        launch,
      ) +
      "[default] Rendezvous complete for workers. Result:",
      "  restart_count=0",
      `  master_addr=${c.masterAddr}`,
      `  master_port=${c.masterPort}`,
      `  group_rank=${node}`,
      `  group_world_size=${cfg.nodes}`,
      `  local_ranks=${rankList(0, g)}`,
      `  role_ranks=${rankList(node * g, g)}`,
      `  global_ranks=${rankList(node * g, g)}`,
      `  role_world_sizes=[${Array(g).fill(cfg.worldSize).join(", ")}]`,
      `  global_world_sizes=[${Array(g).fill(cfg.worldSize).join(", ")}]`,
      "",
    ].join("\n")
  ).join("\n");
}

/** "Starting worker group" from each node's agent. */
export function startingWorkers(ev: OutputEvent, cfg: RunConfig, style: string): string {
  const rng = lineRng(cfg, style, ev), s = torchSource(cfg);
  return shuffled(startupNodes(cfg), rng).map((node) =>
    agentHead(
      cfg,
      "I",
      node,
      ev.simMs + rng.range(0, 20),
      `distributed/elastic/agent/server/api.py:${s.agentStart}`,
      launchOf(ev),
    ) +
    "[default] Starting worker group"
  ).join("\n");
}

/** Each node's agent reporting that its workers exited cleanly, then leaving the exit barrier. */
export function agentsFinished(ev: OutputEvent, cfg: RunConfig, style: string): string {
  const rng = lineRng(cfg, style, ev), s = torchSource(cfg), launch = launchOf(ev);
  const api = "distributed/elastic/agent/server/api.py";
  const blocks = shuffled(startupNodes(cfg), rng).map((node) => {
    const at = ev.simMs + rng.range(0, 400);
    const waited = rng.range(0.0003, 0.9);
    return [
      agentHead(cfg, "I", node, at, `${api}:${s.agentFinished}`, launch) +
      "[default] worker group successfully finished. Waiting 300 seconds for other agents to finish.",
      agentHead(cfg, "I", node, at + 0.4, `${api}:${s.agentBarrier}`, launch) +
      "Local worker group finished (WorkerState.SUCCEEDED). Waiting 300 seconds for other agents to finish",
      agentHead(cfg, "I", node, at + waited * 1000, `${api}:${s.agentDone}`, launch) +
      `Done waiting for other agents. Elapsed: ${waited.toFixed(4)} seconds`,
    ];
  });
  return interleave(blocks, rng).join("\n");
}
