/**
 * What torchrun's elastic agent prints on every node: the OMP_NUM_THREADS banner, the
 * rendezvous result, worker start and the final "finished" lines, nodes interleaved.
 */
import type { OutputEvent } from "../sim/events.ts";
import type { RunConfig } from "../sim/run_config.ts";
import { glogHead } from "../format/clock.ts";
import { agentPid, interleave, lineRng, shuffled, startupNodes } from "./ranks.ts";

/** torchrun's warning when it sets OMP_NUM_THREADS for its workers. */
const OMP_WARNING = "Setting OMP_NUM_THREADS environment variable for each process to be 1 in " +
  "default, to avoid your system being overloaded, please further tune the variable for " +
  "optimal performance in your application as needed.";

const STARS = "*****************************************";
const AGENT = "torch/distributed/elastic/agent/server/api.py";

function rankList(from: number, count: number): string {
  return `[${Array.from({ length: count }, (_, i) => from + i).join(", ")}]`;
}

/** The OMP_NUM_THREADS warning banner, one copy per node, lines of different nodes mixed. */
export function ompBanner(ev: OutputEvent, cfg: RunConfig, style: string): string {
  const rng = lineRng(cfg, style, ev);
  const blocks = shuffled(startupNodes(cfg), rng).map((node) => {
    const head = glogHead(
      "W",
      ev.simMs + node * 3,
      agentPid(cfg, node),
      "torch/distributed/run.py:793",
    );
    return [head + STARS, head + OMP_WARNING, head + STARS];
  });
  return interleave(blocks, rng).join("\n");
}

/** Each node's "Rendezvous complete" report (one log record per node, so blocks stay whole). */
export function rendezvousReport(ev: OutputEvent, cfg: RunConfig, style: string): string {
  const c = cfg.cluster, g = cfg.gpusPerNode;
  const nodes = shuffled(startupNodes(cfg, 4), lineRng(cfg, style, ev));
  return nodes.map((node) =>
    [
      glogHead("I", ev.simMs + node * 5, agentPid(cfg, node), `${AGENT}:525`) +
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
  return shuffled(startupNodes(cfg), lineRng(cfg, style, ev)).map((node) =>
    glogHead("I", ev.simMs + node * 2, agentPid(cfg, node), `${AGENT}:685`) +
    "[default] Starting worker group"
  ).join("\n");
}

/** Each node's agent reporting that its workers exited cleanly. */
export function agentsFinished(ev: OutputEvent, cfg: RunConfig, style: string): string {
  const rng = lineRng(cfg, style, ev);
  const blocks = shuffled(startupNodes(cfg), rng).map((node) => {
    const head = glogHead("I", ev.simMs + node * 7, agentPid(cfg, node), `${AGENT}:879`);
    return [
      head + "[default] worker group successfully finished. Waiting 300 seconds for other " +
      "agents to finish.",
      head + `Done waiting for other agents. Elapsed: ${(0.0004 + node * 0.0003).toFixed(4)} ` +
      "seconds",
    ];
  });
  return interleave(blocks, rng).join("\n");
}
