/**
 * Peak memory of an --instant run of the largest cluster: the child's VmHWM (the kernel's
 * high-water mark of its resident set), read every few tens of ms while it runs, output
 * discarded as it is written (as into /dev/null).
 */
import { memoryMiB } from "../lib/proc.ts";
import { median, round, sleep } from "../lib/stats.ts";

/** Peak RSS of an --instant run in one format, over a few rounds. */
export interface PeakRssResult {
  format: "jsonl" | "text";
  nodes: number;
  gpus: number;
  flags: string;
  rounds: number;
  /** The highest peak of any round: the budgeted figure. */
  peakRssMiB: number;
  medianPeakRssMiB: number;
  raw: { peakRssMiB: number[]; wallMs: number[] };
}

/** Wall ms between reads of the child's high-water mark. */
const EVERY_MS = 20;

/** The highest VmHWM seen while `args` (a deno command) runs, and its wall time. */
async function peakOf(args: string[]): Promise<{ peakMiB: number; wallMs: number }> {
  const t0 = performance.now();
  const child = new Deno.Command("deno", { args, stdout: "null", stderr: "inherit" }).spawn();
  let done = false, peakMiB = 0;
  const status = child.status.then((s) => (done = true, s));
  while (!done) {
    try {
      // NaN once it has exited (its status no longer has a VmHWM line).
      const { peakMiB: now } = await memoryMiB(child.pid);
      if (Number.isFinite(now)) peakMiB = Math.max(peakMiB, now);
    } catch { /* it has just exited */ }
    await sleep(EVERY_MS);
  }
  const s = await status;
  if (!s.success) throw new Error(`deno ${args.join(" ")} exited with ${s.code}`);
  return { peakMiB: round(peakMiB, 1), wallMs: round(performance.now() - t0, 1) };
}

/** Peak RSS of `fauxtrain --instant --nodes <nodes> --format <format>`, `rounds` times. */
export async function peakRssOf(
  o: { fauxtrain: string[]; format: "jsonl" | "text"; nodes: number; rounds: number },
): Promise<PeakRssResult> {
  const flags = `--instant --nodes ${o.nodes} --format ${o.format}`;
  const peaks: number[] = [], walls: number[] = [];
  for (let i = 0; i < o.rounds; i++) {
    const r = await peakOf([...o.fauxtrain, ...flags.split(" ")]);
    peaks.push(r.peakMiB);
    walls.push(r.wallMs);
  }
  return {
    format: o.format,
    nodes: o.nodes,
    gpus: o.nodes * 8,
    flags,
    rounds: o.rounds,
    peakRssMiB: Math.max(...peaks),
    medianPeakRssMiB: median(peaks),
    raw: { peakRssMiB: peaks, wallMs: walls },
  };
}
