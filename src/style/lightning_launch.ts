/**
 * How the first node's processes come up, in the order their lines reach the log. Under srun
 * every rank runs the script at once: seeds from all of them, the Trainer's report from rank
 * zero among them, then each rank joining. When Lightning spawns the ranks itself, rank zero
 * gets as far as joining before the others exist; they then seed and join, out of order.
 */
import { torchReleaseDay } from "./hf_release.ts";
import { interleave, shuffled } from "./ranks.ts";
import { wandbHeader, wandbRun } from "./hf_wandb.ts";
import { type LightningState, nodeRanks, write } from "./lightning_state.ts";
import {
  bannerLines,
  ckptDirWarning,
  initLine,
  localRankLine,
  seedLine,
  summaryText,
  tensorCoresLine,
  trainerLines,
} from "./lightning_setup.ts";

/** A text's lines, each with its newline (so blocks of them can be mixed line by line). */
function lines(text: string): string[] {
  return text === "" ? [] : text.replace(/\n$/, "").split("\n").map((l) => `${l}\n`);
}

function mixed(st: LightningState, blocks: Map<number, string[]>): string {
  const order = shuffled([...blocks.keys()], st.rng);
  return interleave(order.map((r) => blocks.get(r)!), st.rng).join("");
}

/** The script starting: seeds, and rank zero's Trainer (and, when it spawns, its own join). */
export function processStart(st: LightningState): void {
  const { cfg, p } = st;
  const trainer = lines(trainerLines(cfg, p));
  if (p.launcher !== "srun") {
    const rank0 = p.launcher === "spawn" ? null : 0;
    write(st, seedLine(p, rank0) + trainer.join(""));
    if (cfg.worldSize > 1) write(st, tensorCoresLine(cfg, p) + initLine(cfg, 0));
    else write(st, tensorCoresLine(cfg, p));
    return;
  }
  const blocks = new Map<number, string[]>();
  for (const r of nodeRanks(cfg)) blocks.set(r, [seedLine(p, r), ...(r === 0 ? trainer : [])]);
  write(st, mixed(st, blocks));
}

/** Every rank joining the process group, then rank zero's banner (one GPU: no process group). */
export function processJoin(st: LightningState): void {
  const { cfg, p } = st;
  st.inFit = true;
  if (cfg.worldSize === 1) return write(st, p.launcher === "srun" ? tensorCoresLine(cfg, p) : "");
  const blocks = new Map<number, string[]>();
  for (const r of nodeRanks(cfg)) {
    if (p.launcher === "srun") {
      blocks.set(
        r,
        r === 0 ? [...lines(tensorCoresLine(cfg, p)), initLine(cfg, 0)] : [
          initLine(cfg, r),
        ],
      );
    } else if (r > 0) {
      // Spawned ranks get LOCAL_RANK in their environment, so their seed line has a rank.
      blocks.set(r, [seedLine(p, r), initLine(cfg, r)]);
    }
  }
  write(st, mixed(st, blocks));
  write(st, bannerLines(cfg));
}

/**
 * `_call_setup_hook`, `strategy.setup` and `on_fit_start`: the W&B run starting, each rank's
 * devices, then rank zero's model summary.
 */
export function fitSetup(st: LightningState, restoring: boolean, simMs: number): void {
  const { cfg, p } = st;
  // `_call_setup_hook` makes the loggers' experiments first: wandb.init on rank zero.
  if (typeof st.version === "string") {
    // Each launch is a new W&B run, with its own generated name.
    // The environment was installed with its torch: the tracker of that season.
    const pinned = Date.parse(torchReleaseDay(cfg.cluster.torchVersion) ?? "2025-10-07");
    const run = wandbRun({ ...cfg, seed: cfg.seed * 31 + st.attempt }, simMs, pinned);
    const id = st.version;
    write(
      st,
      wandbHeader(
        { ...run, id, project: p.wandbProject, dir: run.dir.replace(run.id, id) },
        cfg.cluster.home,
      ),
    );
  }
  // A later attempt or a resumed job finds earlier files when the directory is a fixed one.
  const same = p.fixedCkptDir;
  if (restoring && same) write(st, ckptDirWarning(p, p.ckptDir(st.version)));
  const blocks = new Map<number, string[]>();
  for (const r of nodeRanks(cfg)) blocks.set(r, [localRankLine(cfg, r % cfg.gpusPerNode)]);
  write(st, mixed(st, blocks));
  write(st, summaryText(cfg, p));
}
