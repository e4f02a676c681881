/**
 * Small pictures of a series: a one-row sparkline of block glyphs, and a braille plot whose
 * cells hold 2 × 4 dots each. Pure functions of the numbers; every glyph is one cell wide.
 */

const SPARK = "▁▂▃▄▅▆▇█";
/** Braille dot bits by [dot column][dot row from the top]. */
const DOTS = [[0x01, 0x02, 0x04, 0x40], [0x08, 0x10, 0x20, 0x80]];
const BRAILLE_BLANK = 0x2800;

/**
 * `n` points from a series: the mean of each span when shrinking, linear interpolation
 * between points when stretching, so a short history still draws a smooth curve.
 */
export function resample(values: ArrayLike<number>, n: number): Float64Array {
  const out = new Float64Array(n);
  const len = values.length;
  if (len === 0 || n === 0) return out.fill(NaN);
  for (let x = 0; x < n; x++) {
    if (len >= n) {
      const from = Math.floor((x * len) / n), to = Math.floor(((x + 1) * len) / n);
      let sum = 0;
      for (let i = from; i < to; i++) sum += values[i];
      out[x] = sum / (to - from);
    } else {
      const at = Math.max(0, Math.min(len - 1, ((x + 0.5) * len) / n - 0.5));
      const i = Math.floor(at), f = at - i;
      out[x] = i + 1 < len ? values[i] * (1 - f) + values[i + 1] * f : values[i];
    }
  }
  return out;
}

/** Height 0–1 of `v` between `lo` and `hi` (the middle when the range is empty). */
function level(v: number, lo: number, hi: number): number {
  return hi > lo ? Math.max(0, Math.min(1, (v - lo) / (hi - lo))) : 0.5;
}

/** One glyph per value, from ▁ at `lo` to █ at `hi`; NaN draws a space. */
export function sparkline(values: ArrayLike<number>, lo: number, hi: number): string {
  let out = "";
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    out += Number.isNaN(v) ? " " : SPARK[Math.round(level(v, lo, hi) * (SPARK.length - 1))];
  }
  return out;
}

/**
 * A line plot `rows` cells high and `values.length / 2` cells wide (two dot columns per cell),
 * `lo` at the bottom dot and `hi` at the top; consecutive points are joined by a vertical run
 * so steep drops stay connected. NaN leaves a column empty.
 */
export function braillePlot(
  values: ArrayLike<number>,
  lo: number,
  hi: number,
  rows: number,
): string[] {
  const cols = Math.ceil(values.length / 2);
  const dotRows = rows * 4;
  const cells = new Uint8Array(rows * cols);
  let prev = -1;
  for (let x = 0; x < values.length; x++) {
    if (Number.isNaN(values[x])) {
      prev = -1;
      continue;
    }
    // Dot row counted from the top.
    const y = dotRows - 1 - Math.round(level(values[x], lo, hi) * (dotRows - 1));
    const from = prev < 0 ? y : Math.min(y, prev + Math.sign(y - prev));
    const to = prev < 0 ? y : Math.max(y, prev + Math.sign(y - prev));
    for (let r = from; r <= to; r++) {
      cells[Math.floor(r / 4) * cols + (x >> 1)] |= DOTS[x & 1][r % 4];
    }
    prev = y;
  }
  // Each row is made from its character codes at once, not grown a character at a time.
  const out: string[] = [];
  const codes = new Uint16Array(cols);
  for (let row = 0; row < rows; row++) {
    for (let c = 0; c < cols; c++) codes[c] = BRAILLE_BLANK + cells[row * cols + c];
    // apply() reads the typed array by index; a spread would walk an iterator per character.
    out.push(String.fromCharCode.apply(null, codes as unknown as number[]));
  }
  return out;
}

/** Smallest and largest value, ignoring NaN ([NaN, NaN] when there are none). */
export function extent(values: ArrayLike<number>): [number, number] {
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    if (values[i] < lo) lo = values[i];
    if (values[i] > hi) hi = values[i];
  }
  return lo <= hi ? [lo, hi] : [NaN, NaN];
}
