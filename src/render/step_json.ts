/**
 * The fields of a `step` line written without looking up keys: the most frequent line of a
 * dense log. Fields come in the order the simulation builds them (src/sim/phases/train.ts,
 * `stepData`), each key's bytes prepared once; tests hold the two to the generic writer's text.
 */
import type { StepData } from "../sim/events.ts";
import { type ByteBuffer, pack, type Packed, putPacked } from "./byte_buffer.ts";
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

const encoder = new TextEncoder();
const key = (name: (typeof STEP_FIELDS)[number]) => pack(encoder.encode(`,"${name}":`));
const [EPOCH, EPOCHS, EPOCH_STEP, STEPS_PER_EPOCH, STEP, TOTAL_STEPS, LOSS] = [
  key("epoch"),
  key("epochs"),
  key("epoch_step"),
  key("steps_per_epoch"),
  key("step"),
  key("total_steps"),
  key("loss"),
];
const [PPL, LR, GRAD_NORM, LOSS_SCALE, STEP_TIME_S, TOKENS_PER_S, SAMPLES_PER_S] = [
  key("ppl"),
  key("lr"),
  key("grad_norm"),
  key("loss_scale"),
  key("step_time_s"),
  key("tokens_per_s"),
  key("samples_per_s"),
];
const [TFLOPS_PER_GPU, MFU, ELAPSED_S, ETA_S, TOKENS_SEEN] = [
  key("tflops_per_gpu"),
  key("mfu"),
  key("elapsed_s"),
  key("eta_s"),
  key("tokens_seen"),
];
/** Room the fixed fields of a step can take: every key and the longest number text each. */
const STEP_MAX_BYTES = STEP_FIELDS.reduce((n, k) => n + k.length + 4 + NUMBER_MAX_BYTES, 0);

/** `,"key":value` at `at`; returns the end. */
function put(out: Uint8Array, data: DataView, at: number, key: Packed, v: number): number {
  return num(out, putPacked(data, at, key), v);
}

/**
 * The bytes from a key to the next changing value's key, for fields that change now and then
 * (the epoch, the loss scale) or never (the run's totals): rebuilt only when their values do.
 */
class Stretch {
  bytes: Packed = pack(new Uint8Array(0));
  #a = NaN;
  #b = NaN;
  readonly #scratch = new Uint8Array(4 * (32 + NUMBER_MAX_BYTES));
  readonly #data = new DataView(this.#scratch.buffer);

  constructor(readonly keys: Packed[]) {}

  /** The bytes of `keys[0]` a `keys[1]` b … `keys.at(-1)`, from the cache when unchanged. */
  of(a: number, b = 0): Packed {
    if (a === this.#a && b === this.#b) return this.bytes;
    const out = this.#scratch, data = this.#data, k = this.keys;
    let at = put(out, data, 0, k[0], a);
    if (k.length > 2) at = put(out, data, at, k[1], b);
    this.bytes = pack(out.slice(0, putPacked(data, at, k[k.length - 1])));
    this.#a = a;
    this.#b = b;
    return this.bytes;
  }
}

/** Writes a step's fields, from `,"epoch":…` on, into a buffer. */
export type StepWriter = (b: ByteBuffer, d: StepData, w: JsonWriter) => void;

/**
 * A writer of `,"epoch":…` through `,"tokens_seen":…`, then the optional fields a step may
 * carry. One per renderer: it keeps the stretches of fields that rarely change, so a line
 * formats only the numbers that moved.
 */
export function createStepWriter(): StepWriter {
  const epochs = new Stretch([EPOCH, EPOCHS, EPOCH_STEP]);
  const perEpoch = new Stretch([STEPS_PER_EPOCH, STEP]);
  const total = new Stretch([TOTAL_STEPS, LOSS]);
  const lossScale = new Stretch([LOSS_SCALE, STEP_TIME_S]);
  return (b, d, w) => {
    // One check for room, then every field written by index: no per-field bookkeeping.
    b.reserve(STEP_MAX_BYTES);
    const out = b.bytes, data = b.data;
    let at = num(out, putPacked(data, b.length, epochs.of(d.epoch, d.epochs)), d.epoch_step);
    at = num(out, putPacked(data, at, perEpoch.of(d.steps_per_epoch)), d.step);
    at = num(out, putPacked(data, at, total.of(d.total_steps)), d.loss);
    at = put(out, data, at, PPL, d.ppl);
    at = put(out, data, at, LR, d.lr);
    at = put(out, data, at, GRAD_NORM, d.grad_norm);
    at = num(out, putPacked(data, at, lossScale.of(d.loss_scale)), d.step_time_s);
    at = put(out, data, at, TOKENS_PER_S, d.tokens_per_s);
    at = put(out, data, at, SAMPLES_PER_S, d.samples_per_s);
    at = put(out, data, at, TFLOPS_PER_GPU, d.tflops_per_gpu);
    at = put(out, data, at, MFU, d.mfu);
    at = put(out, data, at, ELAPSED_S, d.elapsed_s);
    at = put(out, data, at, ETA_S, d.eta_s);
    b.length = put(out, data, at, TOKENS_SEEN, d.tokens_seen);
    if (d.skipped !== undefined) w.members(b, { skipped: d.skipped });
    if (d.domain_losses !== undefined) w.members(b, { domain_losses: d.domain_losses });
  };
}
