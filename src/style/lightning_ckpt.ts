/**
 * Checkpoints and endings as Lightning reports them: ModelCheckpoint(monitor="val_loss")
 * after each validation (reached / was not in top k), the silent every-N-steps saves a restart
 * restores from, the restore messages, the end of fit, and what a signal makes the ranks print.
 */
import type { ValData } from "../sim/events.ts";
import { hostName } from "../sim/names.ts";
import { pyFixed } from "../format/py_format.ts";
import { pyStr } from "../format/python_repr.ts";
import { type LightningState, nodeRanks } from "./lightning_state.ts";
import { lightningWarning } from "./lightning_setup.ts";
import { shuffled } from "./ranks.ts";

/** The epoch a save at global step `step` happens in (a step ends the epoch it belongs to). */
function epochOf(st: LightningState, step: number): number {
  return Math.floor((step - 1) / st.cfg.stepsPerEpoch);
}

/** A file name in this attempt's checkpoint directory, `-v1` on when the name is taken. */
function claim(st: LightningState, name: string): string {
  const dir = st.p.ckptDir(st.version);
  let path = `${dir}/${name}.ckpt`;
  for (let v = 1; st.saved.has(path); v++) path = `${dir}/${name}-v${v}.ckpt`;
  st.saved.add(path);
  return path;
}

/** The every-N-steps ModelCheckpoint saving (it prints nothing); returns the file. */
export function periodicSave(st: LightningState, step: number): string {
  return claim(st, `epoch=${epochOf(st, step)}-step=${step}`);
}

/** Where an earlier attempt's every-N-steps save at `step` lies. */
export function earlierCheckpoint(
  st: LightningState,
  step: number,
  version: number | string,
): string {
  return `${st.p.ckptDir(version)}/epoch=${epochOf(st, step)}-step=${step}.ckpt`;
}

/**
 * ModelCheckpoint(monitor=<the validation loss>, mode="min") at the end of a validation; the
 * Trainer's default callback (no monitor) saves at the epoch's end without a word.
 */
export function monitorCheckpoint(st: LightningState, d: ValData): string {
  const p = st.p.r;
  if (p.monitor === null) return "";
  const current = Math.fround(d.loss);
  const epoch = epochOf(st, d.step);
  const head = `Epoch ${epoch}, global step ${d.step}: ${pyStr(p.monitor)}`;
  const kept = st.best;
  const worst = kept.length ? kept.reduce((a, b) => (b.score > a.score ? b : a)) : null;
  const better = p.topK === -1 || kept.length < p.topK || (worst !== null && current < worst.score);
  if (!better) return p.verbose ? `${head} was not in top ${p.topK}\n` : "";
  const k = p.topK === -1 ? kept.length + 1 : p.topK;
  if (kept.length === k && k > 0 && worst) {
    kept.splice(kept.indexOf(worst), 1);
    st.saved.delete(worst.path);
  }
  const path = claim(st, p.pattern.name(epoch, d.step, current));
  kept.push({ path, score: current });
  const best = Math.min(...kept.map((c) => c.score));
  if (!p.verbose) return "";
  return `${head} reached ${pyFixed(current, 5)} (best ${pyFixed(best, 5)}), saving model to ` +
    `${pyStr(path)} as top ${k}\n`;
}

/** The fit loop's stop message once the last epoch is done. */
export function fitStopped(st: LightningState): string {
  const limit = st.p.r.stopBy === "max_steps"
    ? `max_steps=${st.cfg.totalSteps}`
    : `max_epochs=${st.cfg.epochs}`;
  return `\`Trainer.fit\` stopped: \`${limit}\` reached.\n`;
}

/** `_restore_modules_and_callbacks` on rank zero. */
export function restoringLine(path: string): string {
  return `Restoring states from the checkpoint path at ${path}\n`;
}

/** `resume_end` on rank zero. */
export function restoredLine(path: string): string {
  return `Restored all states from the checkpoint at ${path}\n`;
}

function slurmTime(simMs: number): string {
  return new Date(simMs).toISOString().slice(0, 19);
}

/**
 * Ctrl-C: rank zero's message as this release prints it (a warning up to 2.3, info from 2.4),
 * from fit's handler; before fit the processes just die.
 */
function keyboardInterrupt(st: LightningState): string {
  const r = st.p.release;
  if (!st.inFit) return "";
  if (r.version < "2.4") {
    return lightningWarning(
      st.p.pytorchDir,
      "trainer/call.py",
      r.interruptLine,
      "Detected KeyboardInterrupt, attempting graceful shutdown...",
    );
  }
  return "\nDetected KeyboardInterrupt, attempting graceful shutdown ...\n";
}

/**
 * SIGTERM (scancel, or the process manager): Slurm's notice where Slurm sent it, then each
 * rank's signal handler once fit has set it up, the first-signalled process first when it
 * forwards the signal.
 */
function terminated(st: LightningState, simMs: number): string {
  const cfg = st.cfg;
  const host = hostName(cfg.cluster, 0);
  const when = slurmTime(simMs);
  const head = st.p.launcher === "srun"
    ? `slurmstepd: error: *** STEP ${cfg.cluster.jobId}.0 ON ${host} CANCELLED AT ${when} ***\n`
    : st.p.launcher === "spawn-slurm"
    ? `slurmstepd: error: *** JOB ${cfg.cluster.jobId} ON ${host} CANCELLED AT ${when} ***\n`
    : "";
  // Before fit registers its handler, SIGTERM ends the processes without a word.
  const ranks = st.trainStarted ? nodeRanks(cfg) : [];
  const order = st.p.launcher === "srun"
    ? shuffled(ranks, st.rng)
    : [0, ...shuffled(ranks.slice(1), st.rng)];
  return head + order.map((r) => `[rank: ${r}] Received SIGTERM: 15\n`).join("");
}

/** What the ranks print when a signal stops the job. */
export function interruptText(st: LightningState, signal: string, simMs: number): string {
  return signal === "SIGINT" ? keyboardInterrupt(st) : terminated(st, simMs);
}
