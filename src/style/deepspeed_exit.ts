/**
 * How the processes of a `deepspeed` launch end, as each node's launch.py reports it: clean
 * exits, a failed child's whole node killed with the argv launch.py kept, or a signal.
 */
import type { RunConfig } from "../sim/run_config.ts";
import { createRng } from "../sim/rng.ts";
import { byTime, nodeRecord, shownNodes, shownRanks } from "./deepspeed_log.ts";
import type { DsState } from "./deepspeed_state.ts";
import { childArgv, childPid } from "./deepspeed_launch.ts";
import { dsLauncher, dsRunner } from "./deepspeed_launcher.ts";

/** Every process of every shown node exiting cleanly, from `simMs` (rank 0, who saves, last). */
export function exitLines(cfg: RunConfig, st: DsState, simMs: number): string {
  // mpirun and torchrun say nothing when every rank exits cleanly.
  if (!dsRunner(cfg)) return "";
  const s = st.release.sites, rng = createRng(cfg.seed, `style:deepspeed:exit:${st.launch}`);
  const lines: Array<[number, string]> = [];
  for (const r of shownRanks(cfg)) {
    const node = Math.floor(r / cfg.gpusPerNode), local = r % cfg.gpusPerNode;
    // launch.py polls its children once a second: exits land on whole-second ticks of its loop.
    const ms = simMs + 1000 * (r === 0 ? rng.int(3, 6) : rng.int(0, 4)) + rng.range(0, 3);
    lines.push([
      ms,
      nodeRecord(
        cfg,
        node,
        ms,
        s.exitOk,
        `Process ${childPid(cfg, st, node, local)} exits successfully.`,
      ),
    ]);
  }
  return byTime(lines);
}

/**
 * A node's launch.py killing its processes after one exited with `code`: every child, then, at
 * `simMs`, the ERROR with the argv it kept (its last spawned rank's, whichever failed).
 */
export function killLines(
  cfg: RunConfig,
  st: DsState,
  node: number,
  simMs: number,
  code: number,
): string {
  const s = st.release.sites, g = cfg.gpusPerNode;
  const rng = createRng(cfg.seed, `style:deepspeed:kill:${st.launch}:${node}`);
  // The kills go out together; the exit record follows once the children are reaped, by `simMs`.
  const gaps = Array.from({ length: g }, (_, local) => local === 0 ? 0 : rng.range(0.3, 2));
  const reapMs = rng.range(100, 800);
  let t = simMs - reapMs - gaps.reduce((a, b) => a + b, 0);
  const lines: string[] = [];
  for (let local = 0; local < g; local++) {
    t += gaps[local];
    lines.push(
      nodeRecord(cfg, node, t, s.killing, `Killing subprocess ${childPid(cfg, st, node, local)}`),
    );
  }
  lines.push(
    nodeRecord(
      cfg,
      node,
      simMs,
      s.exitCode,
      `${childArgv(cfg, g - 1)} exits with return code = ${code}`,
      "ERROR",
    ),
  );
  return lines.join("\n");
}

/** launch.py on a signal: it kills its children and says which signal it got. */
export function signalLines(cfg: RunConfig, st: DsState, simMs: number, signal: string): string {
  // mpirun passes the signal on to its ranks without a word.
  if (dsLauncher(cfg).kind === "mpirun") return "";
  const s = st.release.sites;
  return shownNodes(cfg).map((node) => {
    const t = simMs + node * 3;
    const kills = Array.from(
      { length: cfg.gpusPerNode },
      (_, local) =>
        nodeRecord(
          cfg,
          node,
          t + local * 0.7,
          s.killing,
          `Killing subprocess ${childPid(cfg, st, node, local)}`,
        ),
    );
    return [
      ...kills,
      nodeRecord(cfg, node, t + 110, s.signalExit, `Main process received ${signal}, exiting`),
    ].join("\n");
  }).join("\n");
}
