/**
 * The fields of a `step` line written without looking up keys: the most frequent line of a
 * dense log. Fields come in the order the simulation builds them (src/sim/phases/train.ts,
 * `stepData`), each key's bytes prepared once; tests hold the two to the generic writer's text.
 */
import type { StepData } from "../sim/events.ts";
import type { ByteBuffer } from "./byte_buffer.ts";
import { type JsonWriter, NUMBER_MAX_BYTES, putCompactNumber as num } from "./json_bytes.ts";

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

const KEYS = STEP_FIELDS.map((k) => new TextEncoder().encode(`,"${k}":`));
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
] = KEYS;
/** Room the fixed fields of a step can take: every key and the longest number text each. */
const STEP_MAX_BYTES = KEYS.reduce((n, k) => n + k.length + NUMBER_MAX_BYTES, 0);

/** Copies `src` to `out` at `at` (a key: a few bytes, copied one by one); returns the end. */
function putBytes(out: Uint8Array, at: number, src: Uint8Array): number {
  for (let i = 0; i < src.length; i++) out[at++] = src[i];
  return at;
}

/** `,"key":value` at `at`; returns the end. */
function put(out: Uint8Array, at: number, key: Uint8Array, v: number): number {
  return num(out, putBytes(out, at, key), v);
}

/** Writes `,"epoch":…` through `,"tokens_seen":…`, then the optional fields a step may carry. */
export function writeStepMembers(b: ByteBuffer, d: StepData, w: JsonWriter): void {
  // One check for room, then every field written by index: no per-field bookkeeping.
  b.reserve(STEP_MAX_BYTES);
  const out = b.bytes;
  let at = put(out, b.length, EPOCH, d.epoch);
  at = put(out, at, EPOCHS, d.epochs);
  at = put(out, at, EPOCH_STEP, d.epoch_step);
  at = put(out, at, STEPS_PER_EPOCH, d.steps_per_epoch);
  at = put(out, at, STEP, d.step);
  at = put(out, at, TOTAL_STEPS, d.total_steps);
  at = put(out, at, LOSS, d.loss);
  at = put(out, at, PPL, d.ppl);
  at = put(out, at, LR, d.lr);
  at = put(out, at, GRAD_NORM, d.grad_norm);
  at = put(out, at, LOSS_SCALE, d.loss_scale);
  at = put(out, at, STEP_TIME_S, d.step_time_s);
  at = put(out, at, TOKENS_PER_S, d.tokens_per_s);
  at = put(out, at, SAMPLES_PER_S, d.samples_per_s);
  at = put(out, at, TFLOPS_PER_GPU, d.tflops_per_gpu);
  at = put(out, at, MFU, d.mfu);
  at = put(out, at, ELAPSED_S, d.elapsed_s);
  at = put(out, at, ETA_S, d.eta_s);
  b.length = put(out, at, TOKENS_SEEN, d.tokens_seen);
  if (d.skipped !== undefined) w.members(b, { skipped: d.skipped });
  if (d.domain_losses !== undefined) w.members(b, { domain_losses: d.domain_losses });
}
