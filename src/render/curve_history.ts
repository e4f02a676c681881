/**
 * The loss and learning-rate history the live view plots, in a fixed number of buckets: when
 * the buckets fill up, neighbours merge and each bucket covers twice as many steps, so memory
 * stays the same over a million steps while the curve always spans every step so far.
 */

/** Buckets kept; enough for a plot across a 300-column terminal. */
export const CURVE_BUCKETS = 256;

/** Sums per bucket of the steps seen so far. */
export interface CurveHistory {
  /** Optimizer steps per bucket (a power of two). */
  stepsPerBucket: number;
  /** Buckets holding at least one step. */
  used: number;
  lossSum: Float64Array;
  lrSum: Float64Array;
  count: Float64Array;
  /** The latest step's values, a skipped one's too (NaN before the first). */
  lastLoss: number;
  lastLr: number;
  /** The lowest loss of any step so far, the latest included (Infinity before the first). */
  minLoss: number;
}

/** An empty history of `buckets` buckets (an even number). */
export function createCurveHistory(buckets = CURVE_BUCKETS): CurveHistory {
  return {
    stepsPerBucket: 1,
    used: 0,
    lossSum: new Float64Array(buckets),
    lrSum: new Float64Array(buckets),
    count: new Float64Array(buckets),
    lastLoss: NaN,
    lastLr: NaN,
    minLoss: Infinity,
  };
}

function mergeNeighbours(h: CurveHistory): void {
  const half = h.count.length / 2;
  for (const arr of [h.lossSum, h.lrSum, h.count]) {
    for (let i = 0; i < half; i++) arr[i] = arr[2 * i] + arr[2 * i + 1];
    arr.fill(0, half);
  }
  h.stepsPerBucket *= 2;
  h.used = Math.ceil(h.used / 2);
}

/**
 * Adds optimizer step `step` (1-based) with its loss and learning rate. A `skipped` step (its
 * update thrown away) becomes the latest values, which the metrics line shows too, but stays
 * out of the plotted means, where its learning rate of 0 would draw a dip that never was.
 */
export function recordStep(
  h: CurveHistory,
  step: number,
  loss: number,
  lr: number,
  skipped = false,
): void {
  h.lastLoss = loss;
  h.lastLr = lr;
  h.minLoss = Math.min(h.minLoss, loss);
  if (skipped) return;
  while (Math.floor((step - 1) / h.stepsPerBucket) >= h.count.length) mergeNeighbours(h);
  const i = Math.floor((step - 1) / h.stepsPerBucket);
  h.lossSum[i] += loss;
  h.lrSum[i] += lr;
  h.count[i] += 1;
  h.used = Math.max(h.used, i + 1);
}

/** Mean loss and learning rate of each used bucket, oldest first (NaN for an empty bucket). */
export function curveSeries(h: CurveHistory): { loss: Float64Array; lr: Float64Array } {
  const loss = new Float64Array(h.used), lr = new Float64Array(h.used);
  for (let i = 0; i < h.used; i++) {
    loss[i] = h.lossSum[i] / h.count[i];
    lr[i] = h.lrSum[i] / h.count[i];
  }
  return { loss, lr };
}
