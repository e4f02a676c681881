/**
 * llm.c's own arithmetic (karpathy/llm.c train_gpt2.cu, llmc/mfu.h, llmc/outlier_detector.h),
 * in C's float where llm.c computes in float: parameter and activation sizes, the promised
 * FLOP/s of its GPU table, MFU, the bias-corrected EMA of tokens per second and the z-scores of
 * its 128-step outlier detector.
 */

/** C's float: every float operation llm.c does rounds to single precision. */
const f = Math.fround;

/** GPT-2's shape as llm.c builds it (vocabulary padded to a multiple of 128). */
export interface LlmcShape {
  layers: number;
  heads: number;
  channels: number;
  vocab: number;
  paddedVocab: number;
  maxSeqLen: number;
}

/** llm.c's padded_vocab_size: the vocabulary rounded up to a multiple of 128. */
export function paddedVocab(vocab: number): number {
  return Math.ceil(vocab / 128) * 128;
}

/** num_parameters: the 16 parameter tensors of fill_in_parameter_sizes(). */
export function llmcParams(s: LlmcShape): number {
  const c = s.channels, l = s.layers;
  const perLayer = 2 * c + 3 * c * c + 3 * c + c * c + c + 2 * c + 4 * c * c + 4 * c + 4 * c * c +
    c;
  return s.paddedVocab * c + s.maxSeqLen * c + l * perLayer + 2 * c;
}

/** Bytes of the 21 activation tensors for micro batch `b` (bf16, float statistics, cuDNN). */
export function activationBytes(s: LlmcShape, b: number, t: number, recompute: number): number {
  const c = s.channels, l = s.layers, x = 2, fl = 4, bt = b * t;
  const ln = recompute < 2 ? l * bt * c * x : 0;
  const gelu = recompute < 1 ? l * bt * 4 * c : bt * 4 * c;
  return bt * c * x + // encoded
    2 * ln + // ln1, ln2
    4 * l * bt * fl + // ln1 and ln2 mean, rstd
    l * bt * c * x + // atty
    l * b * s.heads * t * fl + // cuDNN's attention statistics
    2 * l * bt * c * x + // residual2, residual3
    l * bt * 4 * c * x + gelu * x + // fch, fch_gelu
    bt * c * x + 2 * bt * fl + bt * fl + // lnf, its mean and rstd, losses
    l * bt * 3 * c * x + // qkvr
    bt * Math.max(3 * c, s.heads * t, s.paddedVocab) * x + // output
    bt * 4 * c * x + bt * c * x; // scratch buffers
}

/** MiB as llm.c prints allocations: integer division of the byte count. */
export function mib(bytes: number): number {
  return Math.floor(bytes / (1024 * 1024));
}

/** Tensor-core peaks of llm.c's GPU table: [bf16 value, its cores, its clock, this GPU's cores, clock]. */
const GPU_DB: Record<string, [number, number, number, number, number]> = {
  "Tesla V100-SXM2-16GB": [-1, 640, 1530, 640, 1530],
  "Tesla V100-PCIE-32GB": [-1, 640, 1530, 640, 1530],
  "NVIDIA A100-PCIE-40GB": [312, 432, 1410, 432, 1410],
  "NVIDIA A100-PCIE-80GB": [312, 432, 1410, 432, 1410],
  "NVIDIA A100-SXM4-40GB": [312, 432, 1410, 432, 1410],
  "NVIDIA A100-SXM4-80GB": [312, 432, 1410, 432, 1410],
  "NVIDIA H100 PCIe": [756, 456, 1620, 456, 1620],
  "NVIDIA H100 80GB HBM3": [756, 456, 1620, 528, 1830],
};

/**
 * get_flops_promised() for bf16: the table's peak scaled by cores and clock, or -1 for a device
 * name the table does not have (H200, B200, A800, the A100 80GB PCIe's own name, ...).
 */
export function promisedTflops(device: string): number {
  const row = GPU_DB[device];
  if (!row || row[0] < 0) return -1;
  const [value, cores, mhz, newCores, newMhz] = row;
  return f(f(f(value) * f(f(newCores) / f(cores))) * f(f(newMhz) / f(mhz)));
}

/**
 * gpt2_estimate_mfu(): one GPU's model FLOP/s for a step of `ms` over `tokens` of its tokens,
 * over the promised peak (TFLOP/s); -1 when the device is not in the table.
 */
export function llmcMfu(flopsPerToken: number, tokens: number, ms: number, promised: number) {
  if (promised < 0) return -1;
  const dt = f(f(ms) / 1000);
  const achieved = f(f(flopsPerToken * tokens) * f(1 / dt));
  return f(achieved / f(promised * f(1e12)));
}

/** llm.c's FLOPs per token: 6N for the weights plus 6·L·C·T for attention. */
export function flopsPerToken(s: LlmcShape, params: number, t: number): number {
  return 6 * params + 6 * s.layers * s.channels * t;
}

/** llm.c's tokens-per-second meter: an EMA, bias-corrected like AdamW's moments. */
export interface TokMeter {
  ema: number;
}

/**
 * The tok/s llm.c prints at loop step `k` (0-based) for a step of `ms` milliseconds over
 * `tokens` tokens (all processes): the raw rate at k = 0, else the corrected EMA. The EMA
 * starts from zero in each process, so after a resume at a large k it reads low for a while.
 */
export function tokPerSecond(m: TokMeter, tokens: number, ms: number, k: number): number {
  const raw = f(f(f(tokens) / f(ms)) * 1000);
  if (k === 0) return raw;
  m.ema = f(f(f(0.95) * m.ema) + f(f(0.05) * raw));
  return f(m.ema / f(1 - f(Math.pow(f(0.95), k))));
}

/** Measurements llm.c's OutlierDetector keeps. */
export const OUTLIER_WINDOW = 128;

/** The rolling window of llm.c's OutlierDetector (doubles, sums kept with += as llm.c does). */
export interface OutlierDetector {
  buffer: number[];
  index: number;
  sum: number;
  sumSq: number;
}

/** A detector with nothing in it. */
export function newDetector(): OutlierDetector {
  return { buffer: [], index: 0, sum: 0, sumSq: 0 };
}

/** update_detector(): NaN until the window is full, then the new value's z-score. */
export function updateDetector(d: OutlierDetector, value: number): number {
  if (d.buffer.length < OUTLIER_WINDOW) {
    d.buffer.push(value);
    d.sum += value;
    d.sumSq += value * value;
    return NaN;
  }
  const old = d.buffer[d.index];
  d.sum -= old;
  d.sumSq -= old * old;
  d.buffer[d.index] = value;
  d.sum += value;
  d.sumSq += value * value;
  d.index = (d.index + 1) % OUTLIER_WINDOW;
  const mean = d.sum / OUTLIER_WINDOW;
  const sd = Math.sqrt(d.sumSq / OUTLIER_WINDOW - mean * mean);
  return sd === 0 ? 0 : (value - mean) / sd;
}

/** C's `%+.2f`: a sign always, and `+nan` for NaN. */
export function signed2(x: number): string {
  if (Number.isNaN(x)) return "+nan";
  const text = x.toFixed(2);
  return text.startsWith("-") ? text : `+${text}`;
}

/** C's `%.Nf` of a float that may be NaN or infinite (`nan`, `inf`). */
export function cFixed(x: number, digits: number): string {
  if (Number.isNaN(x)) return "nan";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  return x.toFixed(digits);
}

/** What llm.c's LearningRateScheduler is initialised with (llmc/schedulers.h). */
export interface LlmcSchedule {
  kind: "cosine" | "linear" | "constant" | "wsd";
  /** `-l`, `-u`, train_num_batches and `-q`, each as the C program holds it. */
  lr: number;
  warmup: number;
  trainBatches: number;
  finalFrac: number;
}

/**
 * get_learning_rate() at loop step `step` (0-based; the line printing it says `step + 1`), in
 * C's float: a linear warm-up to `lr` from lr/warmup, then a cosine (or linear, or 1 − sqrt for
 * WSD's last fifth) decay to lr × finalFrac at train_num_batches.
 */
export function llmcLearningRate(s: LlmcSchedule, step: number): number {
  const lr = f(s.lr);
  if (s.kind === "constant") return lr;
  const minLr = f(lr * f(s.finalFrac));
  if (s.kind === "wsd") {
    const decayPoint = Math.trunc(f(0.8 * s.trainBatches));
    if (step < s.warmup) return f(lr * f(f(step + 1) / s.warmup));
    if (step < decayPoint) return lr;
    const ratio = f(f(step - decayPoint) / (s.trainBatches - decayPoint));
    return f(minLr + f(f(1 - f(Math.sqrt(ratio))) * f(lr - minLr)));
  }
  if (step < s.warmup) return f(f(lr * f(step + 1)) / s.warmup);
  const ratio = f(f(step - s.warmup) / (s.trainBatches - s.warmup));
  if (s.kind === "linear") return f(lr - f(ratio * f(lr - minLr)));
  // cosf(M_PI * decay_ratio): the product is a double, rounded to float for cosf.
  const coeff = f(0.5 * f(1 + f(Math.cos(f(Math.PI * ratio)))));
  return f(minLr + f(coeff * f(lr - minLr)));
}
