/**
 * Live mode under a pseudo-terminal: CPU (user + system, all threads) over a fixed window and
 * peak RSS, for fauxtrain and for a baseline that redraws frames of the same size at the frame
 * rate fauxtrain was measured to draw at over its window.
 */
import { childPids, clockTicksPerS, cpuSeconds, memoryMiB, terminate } from "../lib/proc.ts";
import { concat } from "../lib/spawn.ts";
import { round, sleep } from "../lib/stats.ts";

/** Terminal size the live runs get. */
export const TERM_COLUMNS = 120;
export const TERM_ROWS = 40;

/** What one program cost while drawing for the window. */
export interface LiveFigures {
  cpuPct: number;
  peakRssMiB: number;
  /** Frames written per second over the window (fauxtrain skips unchanged frames). */
  fps: number;
  bytesPerFrame: number;
  linesPerFrame: number;
}

/** fauxtrain against the redraw baseline at one cluster size. */
export interface LiveResult {
  gpus: number;
  nodes: number;
  windowS: number;
  /** Rounds of fauxtrain then its baseline; the figures are the median round's. */
  rounds: number;
  /** The round with the median CPU ratio (peak RSS: the highest of any round). */
  fauxtrain: LiveFigures;
  baseline: LiveFigures;
  /** fauxtrain's CPU over the baseline's, the median of the rounds' ratios. */
  cpuRatio: number;
  raw: { fauxtrainCpuPct: number[]; baselineCpuPct: number[]; cpuRatio: number[] };
}

const SYNC_START = "\x1b[?2026h";

/** Frame statistics of captured pty output over `seconds` (the pty adds a CR before every LF). */
export function frameStats(text: string, seconds: number) {
  const frames = Math.max(1, text.split(SYNC_START).length - 1);
  const newlines = text.split("\n").length - 1;
  const bytes = new TextEncoder().encode(text).length - newlines;
  return {
    fps: frames / seconds,
    bytesPerFrame: bytes / frames,
    linesPerFrame: newlines / frames + 1,
  };
}

/** Output read so far, in arrival order; `mark()` notes how much had arrived. */
function capture(stream: ReadableStream<Uint8Array>) {
  const chunks: Uint8Array[] = [];
  const done = (async () => {
    for await (const chunk of stream) chunks.push(chunk);
  })();
  return {
    done,
    mark: () => chunks.length,
    between: (a: number, b: number) => concat(chunks.slice(a, b)),
  };
}

/** Runs `command` on a pty of TERM_COLUMNS × TERM_ROWS and measures it after a warm-up. */
async function measure(command: string, warmupS: number, windowS: number): Promise<LiveFigures> {
  const shell = `stty cols ${TERM_COLUMNS} rows ${TERM_ROWS}; exec ${command}`;
  const script = new Deno.Command("script", {
    args: ["-qfc", shell, "/dev/null"],
    stdin: "piped",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const out = capture(script.stdout);
  const ticksPerS = await clockTicksPerS();
  await sleep(warmupS * 1000);
  const [pid] = await childPids(script.pid);
  if (!pid) throw new Error(`${command} exited during the warm-up`);
  const cpu0 = await cpuSeconds(pid, ticksPerS);
  const [from, wall0] = [out.mark(), performance.now()];
  await sleep(windowS * 1000);
  const cpu1 = await cpuSeconds(pid, ticksPerS);
  const [to, wall1] = [out.mark(), performance.now()];
  const { peakMiB } = await memoryMiB(pid);
  await terminate(pid);
  await out.done;
  await script.stdin.close().catch(() => {});
  await script.status;
  // Frames of the window only: start-up draws at its own pace.
  const text = new TextDecoder().decode(out.between(from, to));
  const stats = frameStats(text, (wall1 - wall0) / 1000);
  return {
    cpuPct: round(((cpu1 - cpu0) / windowS) * 100),
    peakRssMiB: round(peakMiB, 1),
    fps: round(stats.fps, 2),
    bytesPerFrame: Math.round(stats.bytesPerFrame),
    linesPerFrame: round(stats.linesPerFrame, 1),
  };
}

/** The redraw baseline's command: fauxtrain's average frame (lines, bytes) at its frame rate. */
export function redrawCommand(script: string, ours: LiveFigures): string {
  const lines = Math.max(1, Math.round(ours.linesPerFrame));
  return `deno run ${script} ${lines} ${ours.bytesPerFrame} ${ours.fps}`;
}

/** One round's figures: fauxtrain's, its baseline's, and the CPU ratio. */
interface Round {
  ours: LiveFigures;
  base: LiveFigures;
  ratio: number;
}

/**
 * The result of `rounds`, each fauxtrain then its baseline: the figures of the round with the
 * median ratio (the lower middle one of an even count), and the highest peak RSS of any round.
 */
export function liveResult(nodes: number, windowS: number, rounds: Round[]): LiveResult {
  const byRatio = [...rounds].sort((a, b) => a.ratio - b.ratio);
  const mid = byRatio[(byRatio.length - 1) >> 1];
  const peak = (f: (r: Round) => LiveFigures) => Math.max(...rounds.map((r) => f(r).peakRssMiB));
  return {
    gpus: nodes * 8,
    nodes,
    windowS,
    rounds: rounds.length,
    fauxtrain: { ...mid.ours, peakRssMiB: peak((r) => r.ours) },
    baseline: { ...mid.base, peakRssMiB: peak((r) => r.base) },
    cpuRatio: mid.ratio,
    raw: {
      fauxtrainCpuPct: rounds.map((r) => r.ours.cpuPct),
      baselineCpuPct: rounds.map((r) => r.base.cpuPct),
      cpuRatio: rounds.map((r) => r.ratio),
    },
  };
}

/**
 * Measures live mode at `nodes` nodes, then the redraw baseline with fauxtrain's frame size at
 * the frame rate fauxtrain drew at over its window, `rounds` times in turn: the same code's
 * ratio moved between 1.7× and 2.5× from one round to the next on the 2-core test machine.
 */
export async function liveAt(
  nodes: number,
  fauxtrain: string,
  baselineScript: string,
  o: { warmupS: number; windowS: number; rounds: number },
): Promise<LiveResult> {
  const rounds: Round[] = [];
  for (let i = 0; i < o.rounds; i++) {
    const ours = await measure(`${fauxtrain} --nodes ${nodes} --format tty`, o.warmupS, o.windowS);
    const base = await measure(redrawCommand(baselineScript, ours), o.warmupS, o.windowS);
    rounds.push({ ours, base, ratio: round(ours.cpuPct / Math.max(0.01, base.cpuPct)) });
  }
  return liveResult(nodes, o.windowS, rounds);
}
