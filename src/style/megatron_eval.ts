/**
 * Megatron's evaluations and checkpoints: the `evaluate` timer and the dashed validation block
 * (PPL = exp(loss), the rule one dash longer than the line), the save lines with their
 * `save-checkpoint` timer, and the evaluations on the validation and test sets after training.
 */
import type { DataEvent } from "../sim/events.ts";
import type { RunConfig } from "../sim/run_config.ts";
import type { Rng } from "../sim/rng.ts";
import { dateTime } from "../format/clock.ts";
import { sciUpper } from "../format/python_repr.ts";
import type { MegatronState } from "./megatron_state.ts";
import { rank0, rankLast } from "./megatron_ranks.ts";
import { timerBlock } from "./megatron_timers.ts";
import { splitOf } from "./megatron_datasets.ts";

type ValEvent = Extract<DataEvent, { type: "val" }>;
type CkptEvent = Extract<DataEvent, { type: "ckpt" }>;

/** Megatron's PPL: exp of the loss, capped at exp(20). */
export function perplexity(loss: number): number {
  return Math.exp(Math.min(20, loss));
}

/** The dashed block of one evaluation, `prefix` naming when and on what. */
export function validationBlock(prefix: string, loss: number): string[] {
  const text = ` validation loss at ${prefix} | lm loss value: ${sciUpper(loss, 6)} | ` +
    `lm loss PPL: ${sciUpper(perplexity(loss), 6)} | `;
  const rule = "-".repeat(text.length + 1);
  return [rule, text, rule];
}

/** Rank 0's note as the rerun state machine changes mode around an evaluation (2025). */
const RERUN_NOTE =
  "WARNING:megatron.core.rerun_state_machine:Setting RerunStateMachine mode RerunMode.DISABLED";

/** One evaluation as printed: [notes,] the `evaluate` timer, [notes,] the dashed block. */
export function evaluation(
  cfg: RunConfig,
  st: MegatronState,
  prefix: string,
  loss: number,
  ms: number,
  rng: Rng,
): string {
  const timer = rankLast(cfg, timerBlock([["evaluate", ms - rng.range(0.01, 0.7), ms]]));
  const block = rankLast(cfg, validationBlock(prefix, loss));
  if (!st.profile.later) return `${timer}\n${block}`;
  const note = rank0(cfg, RERUN_NOTE);
  return [note, timer, note, note, block].join("\n");
}

/** The in-loop validation at a multiple of the evaluation interval. */
export function validationLines(ev: ValEvent, cfg: RunConfig, st: MegatronState, rng: Rng): string {
  st.lastValLoss = ev.data.loss;
  st.evalMs = ev.data.time_s * 1000;
  st.tally.pausedMs += ev.data.time_s * 1000;
  return evaluation(cfg, st, `iteration ${ev.data.step}`, ev.data.loss, ev.data.time_s * 1000, rng);
}

/** `saving checkpoint at iteration …` and, with the distributed optimizer, its sharding note. */
export function saveStartLines(
  cfg: RunConfig,
  st: MegatronState,
  step: number,
  simMs: number,
): string {
  const lines = [
    ...afterTraining(cfg, st, step, simMs),
    `saving checkpoint at iteration ${String(step).padStart(7)} to ${cfg.outputDir} in ` +
    "torch_dist format",
  ];
  if (st.profile.distributedOptimizer) {
    lines.push("Storing distributed optimizer sharded state of type fully_sharded_model_space");
  }
  return rank0(cfg, lines);
}

/** The milestone that precedes the final save when the last step is off the save interval. */
function afterTraining(cfg: RunConfig, st: MegatronState, step: number, simMs: number): string[] {
  if (step !== cfg.totalSteps || step % cfg.ckptInterval === 0 || st.trainingDone) return [];
  st.trainingDone = true;
  return [`[after training is done] datetime: ${dateTime(simMs)} `];
}

/** The success line and the `save-checkpoint` timer. */
export function savedLines(ev: CkptEvent, cfg: RunConfig, st: MegatronState, rng: Rng): string {
  const d = ev.data, ms = d.time_s * 1000;
  st.tally.pausedMs += ms;
  st.skippedAtSave.set(d.step, st.skippedTotal);
  const tag = st.profile.later ? ` [ t 1/${cfg.plan.tp}, p 1/${cfg.plan.pp} ]` : "";
  return rank0(
    cfg,
    `  successfully saved checkpoint from iteration ${String(d.step).padStart(7)} to ` +
      `${cfg.outputDir}${tag}`,
  ) + "\n" + rankLast(cfg, timerBlock([["save-checkpoint", ms - rng.range(0.005, 0.4), ms]]));
}

/** After the loop: the milestone, then the evaluations on the validation and test sets. */
export function endOfTraining(simMs: number, cfg: RunConfig, st: MegatronState, rng: Rng): string {
  const out: string[] = [];
  if (!st.trainingDone) {
    st.trainingDone = true;
    out.push(rank0(cfg, `[after training is done] datetime: ${dateTime(simMs)} `));
  }
  const iters = st.profile.evalIters, samples = iters * cfg.globalBatch;
  const sets = splitOf(cfg)[2] > 0 ? ["validation", "test"] : ["validation"];
  for (const set of sets) {
    const progress = [`Evaluating on ${samples} samples`];
    for (let i = 1; i <= iters; i++) progress.push(`Evaluating iter ${i}/${iters}`);
    // Other batches of the same data: the loss moves by their sampling noise.
    const loss = st.lastValLoss * Math.exp((set === "test" ? 0.02 : 0.004) * rng.normal());
    const ms = st.evalMs * rng.range(0.97, 1.04);
    out.push(rank0(cfg, progress));
    out.push(evaluation(cfg, st, `iteration ${cfg.totalSteps} on ${set} set`, loss, ms, rng));
  }
  return out.join("\n");
}
