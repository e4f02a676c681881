/**
 * The fields of a `step` line written without looking up keys: the most frequent line of a
 * dense log. Fields come in the order the simulation builds them (src/sim/phases/train.ts,
 * `stepData`), each key's bytes prepared once; tests hold the two to the generic writer's text.
 */
import type { StepData } from "../sim/events.ts";
import type { ByteBuffer } from "./byte_buffer.ts";
import { type JsonWriter, writeCompactNumber as num } from "./json_bytes.ts";

/** The fields every step has, in the order the simulation builds them. */
export const STEP_FIELDS = [
  "epoch",
  "epochs",
  "epoch_step",
  "steps_per_epoch",
  "step",
  "total_steps",
  "loss",
  "ppl",
  "lr",
  "grad_norm",
  "loss_scale",
  "step_time_s",
  "tokens_per_s",
  "samples_per_s",
  "tflops_per_gpu",
  "mfu",
  "elapsed_s",
  "eta_s",
  "tokens_seen",
] as const satisfies ReadonlyArray<keyof StepData>;

const [
  EPOCH,
  EPOCHS,
  EPOCH_STEP,
  STEPS_PER_EPOCH,
  STEP,
  TOTAL_STEPS,
  LOSS,
  PPL,
  LR,
  GRAD_NORM,
  LOSS_SCALE,
  STEP_TIME_S,
  TOKENS_PER_S,
  SAMPLES_PER_S,
  TFLOPS_PER_GPU,
  MFU,
  ELAPSED_S,
  ETA_S,
  TOKENS_SEEN,
] = STEP_FIELDS.map((k) => new TextEncoder().encode(`,"${k}":`));

function writeCounters(b: ByteBuffer, d: StepData): void {
  b.copy(EPOCH);
  num(b, d.epoch);
  b.copy(EPOCHS);
  num(b, d.epochs);
  b.copy(EPOCH_STEP);
  num(b, d.epoch_step);
  b.copy(STEPS_PER_EPOCH);
  num(b, d.steps_per_epoch);
  b.copy(STEP);
  num(b, d.step);
  b.copy(TOTAL_STEPS);
  num(b, d.total_steps);
}

function writeTraining(b: ByteBuffer, d: StepData): void {
  b.copy(LOSS);
  num(b, d.loss);
  b.copy(PPL);
  num(b, d.ppl);
  b.copy(LR);
  num(b, d.lr);
  b.copy(GRAD_NORM);
  num(b, d.grad_norm);
  b.copy(LOSS_SCALE);
  num(b, d.loss_scale);
}

function writeSpeed(b: ByteBuffer, d: StepData): void {
  b.copy(STEP_TIME_S);
  num(b, d.step_time_s);
  b.copy(TOKENS_PER_S);
  num(b, d.tokens_per_s);
  b.copy(SAMPLES_PER_S);
  num(b, d.samples_per_s);
  b.copy(TFLOPS_PER_GPU);
  num(b, d.tflops_per_gpu);
  b.copy(MFU);
  num(b, d.mfu);
  b.copy(ELAPSED_S);
  num(b, d.elapsed_s);
  b.copy(ETA_S);
  num(b, d.eta_s);
  b.copy(TOKENS_SEEN);
  num(b, d.tokens_seen);
}

/** Writes `,"epoch":…` through `,"tokens_seen":…`, then the optional fields a step may carry. */
export function writeStepMembers(b: ByteBuffer, d: StepData, w: JsonWriter): void {
  writeCounters(b, d);
  writeTraining(b, d);
  writeSpeed(b, d);
  if (d.skipped !== undefined) w.members(b, { skipped: d.skipped });
  if (d.domain_losses !== undefined) w.members(b, { domain_losses: d.domain_losses });
}
