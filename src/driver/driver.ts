/**
 * The driver: runs simulations on the clock, resolves telemetry ticks through the worker pool,
 * fills in each line's message and hands events to the renderer. The only place besides main
 * that reads the wall clock.
 */
import { type Frame, type FrameRequest, type StartWorker, TelemetryPool } from "../cluster/pool.ts";
import { noticeEvent } from "../cluster/notice.ts";
import type { GpuReading, OutputEvent, SimEvent, TickEvent } from "../sim/events.ts";
import { hostName } from "../sim/names.ts";
import { mix32 } from "../sim/rng.ts";
import type { RunChoices, RunConfig } from "../sim/run_config.ts";
import { drawRun } from "../sim/scenario.ts";
import { startRun } from "../sim/simulate.ts";
import type { StopSignalName } from "../sim/phases/interrupt.ts";
import { reportIntervalS } from "../sim/smi_plan.ts";
import type { TickCadence } from "../sim/timeline.ts";
import { achievedBusbw } from "../sim/model/comm.ts";
import { applyStyle, openStyle, type RunWriter, type Style } from "../style/apply.ts";
import { FRAME_WALL_MS, type LinesLater, type Renderer } from "../render/renderer.ts";
import { PipeClosed } from "../render/sink.ts";
import { TicksAhead } from "./ticks_ahead.ts";
import { ReadAhead } from "./read_ahead.ts";
import { type Pace, Pacer, type StopSignal } from "./pacer.ts";

/** How to run: fixed choices, pace and the renderer factory. */
export interface DriverOptions {
  choices: RunChoices;
  /** The first run's configuration, when the caller has drawn it from `choices` already. */
  firstConfig?: RunConfig;
  instant: boolean;
  /** Fixed speed, or null for the default pace (a whole run in a few minutes). */
  speed: number | null;
  loop: boolean;
  exitAfterMs: number | null;
  /** Telemetry worker threads for a cluster of `nodes` nodes (--workers, or defaultWorkers). */
  workers: (nodes: number) => number;
  /** Whether the output mode is the live terminal (sets the telemetry cadence). */
  live: boolean;
  makeRenderer: (cfg: RunConfig) => Renderer;
  /** The output style for a run (`auto` resolves per run). */
  style: (cfg: RunConfig) => Style | Promise<Style>;
  stop: StopSignal;
  /** Wall-clock ms (performance.now in production). */
  now: () => number;
  /** How telemetry threads are started (tests only: one that throws stands for no threads). */
  startWorker?: StartWorker;
}

/** Simulated ms between one --loop job's end and the next one's launch (queue and start-up). */
const LOOP_GAP_MS = 20_000;
/** Wall ms between live telemetry ticks: once a second, as `nvidia-smi -l 1` and DCGM sample. */
const LIVE_TICK_WALL_MS = 1000;
/** Events handled between yields to the event loop when nothing else waits. */
const YIELD_EVERY = 4096;
/** Events between looks for frames the workers have answered (a read of shared memory). */
const POLL_EVERY = 256;
/** Most events the simulation runs ahead of a telemetry frame still on its way. */
const MAX_EVENTS_AHEAD = 65_536;
/**
 * Most bytes of frames on their way at once (a frame is 16 bytes a GPU: 2 MiB at 131,072 GPUs):
 * an --instant run of 16,384 nodes otherwise asked for its whole run's ticks at once, about
 * 90 frames and 180 MB, before the workers had answered the first.
 */
const MAX_FRAME_BYTES_AHEAD = 8 << 20;
/**
 * Most `gpu` lines of a tick a line renderer holds in a kept place while the run goes on (about
 * 1 MB of JSON lines). A tick with more, the report of a larger cluster, is waited for and
 * written straight out as the reader takes it: kept, the 16,384 lines of the largest cluster
 * (20 MB of JSON) grew a buffer to 32 MB, copied on into as large a one for the writer.
 */
const MAX_LINES_KEPT = 1024;
/**
 * Output bytes a line renderer may hold (behind places kept for frames on their way, or
 * waiting for a slow reader) before the run waits. Small: the same memory is then used over
 * and over, and fresh memory costs more than the wait (a page fault each 4 KiB).
 */
export const MAX_BACKLOG_BYTES = 1 << 20;

/** Nodes one telemetry worker serves before another pays for its start (about 1 ms a tick). */
const NODES_PER_WORKER = 1024;

/**
 * The default telemetry worker count: one per 1,024 nodes, at most `cores` (and 8). A worker's
 * start blocks the main thread for tens of ms and competes for a core while it loads, so a
 * small cluster is better served by one worker than by one per core.
 */
export function defaultWorkers(nodes: number, cores: number): number {
  return Math.max(1, Math.min(8, cores, Math.ceil(nodes / NODES_PER_WORKER)));
}

/**
 * Speeds for a run: real time by default, so every timestamp, rate and duration agrees with
 * the watcher's clock; `--speed` fast-forwards; `--instant` never waits.
 */
export function paceFor(instant: boolean, speed: number | null): Pace {
  if (instant) return { init: Infinity, train: Infinity };
  const s = speed ?? 1;
  return { init: s, train: s };
}

/**
 * A monitoring tool's loop sleeps its interval and then takes its sample, so each period is a
 * whole number of seconds plus the sample's own time.
 */
const SAMPLE_MS = 1;

/**
 * Telemetry cadence: 1 per second live; in line modes a few dozen readings a run, from the
 * job's start, at an interval a GPU monitor beside training would be given (reportIntervalS).
 */
export function cadenceFor(cfg: RunConfig, pace: Pace, live: boolean): TickCadence {
  if (live && Number.isFinite(pace.train)) {
    return { initMs: LIVE_TICK_WALL_MS * pace.init, trainMs: LIVE_TICK_WALL_MS * pace.train };
  }
  const everyMs = reportIntervalS(cfg) * 1000 + SAMPLE_MS;
  return { initMs: everyMs, trainMs: everyMs };
}

/** Node `node`'s `gpu` event from a merged frame ([util, temp, mem, power] by global rank). */
export function gpuEvent(
  cfg: RunConfig,
  ev: TickEvent,
  frame: Float32Array[],
  node: number,
): OutputEvent {
  const [util, temp, mem, power] = frame;
  const g = cfg.gpusPerNode;
  const memTotal = cfg.gpu.memMiB / 1024;
  const gpus: GpuReading[] = [];
  for (let i = 0; i < g; i++) {
    const r = node * g + i;
    gpus.push({
      rank: r,
      util_pct: util[r],
      temp_c: temp[r],
      mem_used_gib: mem[r],
      mem_total_gib: memTotal,
      power_w: power[r],
    });
  }
  const data = { node, host: hostName(cfg.cluster, node), gpus };
  return {
    type: "gpu",
    simMs: ev.simMs,
    level: "info",
    msg: "",
    data: ev.snapshot ? { ...data, snapshot: ev.snapshot } : data,
  };
}

/** Per-node `gpu` events from a merged frame. */
export function gpuEvents(cfg: RunConfig, ev: TickEvent, frame: Float32Array[]): OutputEvent[] {
  const out: OutputEvent[] = [];
  for (let node = 0; node < cfg.nodes; node++) out.push(gpuEvent(cfg, ev, frame, node));
  return out;
}

function allReduceEvent(ev: TickEvent, perNodeMs: Float32Array): OutputEvent {
  const probe = ev.tick.allreduce!;
  // The collective finishes when the slowest node does.
  const timeMs = perNodeMs.reduce((a, b) => Math.max(a, b), 0);
  return {
    type: "allreduce",
    simMs: ev.simMs,
    level: "info",
    msg: "",
    data: {
      step: ev.allreduceStep ?? 0,
      bytes: probe.bytes,
      ranks: probe.ranks,
      time_ms: timeMs,
      algo: ev.algo ?? "Ring",
      busbw_gbps: achievedBusbw(probe.bytes, probe.ranks, timeMs / 1000),
    },
  };
}

/**
 * Whether a style prints all-reduce lines (only fauxtrain's own does). In the live view an
 * all-reduce probe is worth its round trip to every worker only for the line: the grid has the
 * once-a-second ticks.
 */
export function printsAllReduce(style: Style, cfg: RunConfig): boolean {
  const data = { step: 0, bytes: 0, ranks: 0, time_ms: 0, algo: "Ring", busbw_gbps: 0 };
  const probe: OutputEvent = { type: "allreduce", simMs: 0, level: "info", msg: "", data };
  // A writer of its own: the run's writer must not see a line that is never printed.
  return applyStyle(openStyle(style, cfg), probe).msg !== "";
}

/** The signal behind a stop, if a signal caused it. */
function stopSignal(reason: StopSignal["reason"]): StopSignalName | null {
  return reason === "sigint" ? "SIGINT" : reason === "sigterm" ? "SIGTERM" : null;
}

/** The telemetry worker pool for a run's cluster (started lazily by the driver). */
function createPool(
  cfg: RunConfig,
  maxWorkers: number,
  now: () => number,
  passive: boolean,
  startWorker?: StartWorker,
): TelemetryPool {
  return new TelemetryPool({
    startWorker,
    passive,
    seed: cfg.seed,
    nodes: cfg.nodes,
    gpusPerNode: cfg.gpusPerNode,
    memTotalGiB: cfg.gpu.memMiB / 1024,
    tdpW: cfg.gpu.tdpW,
    idleW: cfg.gpu.idleW,
    maxWorkers,
    now,
  });
}

/** Runs one simulation to its end or until stopped; returns the last simulated instant. */
async function runOnce(cfg: RunConfig, o: DriverOptions, deadline: number): Promise<number> {
  const pace = paceFor(o.instant, o.speed);
  const renderer = o.makeRenderer(cfg);
  // Events due within one frame are handled together at the frame's wake-up (lines keep their
  // simulated timestamps), so a paced run wakes at most once per frame.
  const pacer = new Pacer(pace.init, cfg.startMs, o.now, FRAME_WALL_MS);
  // The live view finds answers when it wakes for a frame: an answer wakes nothing itself.
  const pool = createPool(cfg, o.workers(cfg.nodes), o.now, o.live, o.startWorker);
  const style = await o.style(cfg);
  const writer: RunWriter = openStyle(style, cfg);
  const skipProbes = o.live && !printsAllReduce(style, cfg);
  /** Whether a tick's frame is asked for (the live view skips probes it would not print). */
  const wanted = (ev: TickEvent) => !skipProbes || ev.report;
  const ask = (ev: TickEvent) => pool.request({ simMs: ev.simMs, ...ev.tick });
  /**
   * Frames of ticks read ahead, asked for when read so that they are in when the tick is due
   * (once the pool has started: before, the first lines go out before a worker starts).
   */
  const asked = new Map<TickEvent, FrameRequest>();
  /** How many frames may be asked for ahead (MAX_FRAME_BYTES_AHEAD; 16 bytes a GPU each). */
  const maxAsked = Math.max(
    1,
    Math.floor(MAX_FRAME_BYTES_AHEAD / (cfg.nodes * cfg.gpusPerNode * 16)),
  );
  let poolStarted = false;
  // A paced run is read a few seconds ahead, its lines styled as they are read (see ReadAhead);
  // --instant handles each event as it comes.
  const styledAhead = !o.instant;
  const prepare = (ev: SimEvent) => {
    if (ev.type === "tick") {
      // Past the bound a tick is asked for when its turn comes.
      if (!poolStarted || !wanted(ev) || asked.size >= maxAsked) return;
      const request = ask(ev);
      // A failed pool rejects at once: that surfaces when the tick's turn comes, not before.
      request.done.catch(() => {});
      asked.set(ev, request);
    } else if (ev.type !== "phase") {
      // Styled first: an absent prepare() would skip evaluating its argument.
      applyStyle(writer, ev);
      renderer.prepare?.(ev);
    }
  };
  const sim = startRun(
    cfg,
    cadenceFor(cfg, pace, o.live),
    styledAhead
      ? (events) => new ReadAhead(events, prepare, (simMs) => pacer.wallFor(simMs), o.now)
      : undefined,
  );
  /** Hands a non-tick event to the renderer (`styled`: its line is filled in already). */
  const deliver = (ev: Exclude<SimEvent, TickEvent>, styled: boolean) => {
    renderer.clock(ev.simMs);
    if (ev.type === "phase") renderer.phase(ev);
    // Unlogged steps only move the live bars: no line to format (most steps of a long run),
    // unless the style reads them too.
    else if (styled || (ev.type === "step" && !ev.logged && !writer.writer.unloggedSteps)) {
      renderer.event(ev);
    } else renderer.event(applyStyle(writer, ev));
  };
  /** A worker that died and came back by this tick reads as a node failure and recovery. */
  const noticeLines = (ev: TickEvent, frame: Frame) =>
    pool.takeNotices(frame.seq).map((n) => applyStyle(writer, noticeEvent(n, ev.simMs)));
  // Line renderers keep a place for a tick's lines and let the simulation run ahead meanwhile:
  // the lines a frame yields are written there once it arrives. The live view keeps no place:
  // a frame reaches it, with its lines, at the first wake-up after the workers answered.
  const direct: LinesLater | null = renderer.placeholder
    ? null
    : { event: (line) => renderer.event(line), close() {} };
  const ahead = new TicksAhead((ev, frame, place) => {
    for (const line of noticeLines(ev, frame)) place.event(line);
    if (place === direct) renderer.telemetry(frame);
    // The `gpu` and `allreduce` lines, each styled and handed on as it is made.
    for (const out of telemetryEvents(cfg, ev, frame, renderer.wantsGpuEvents)) {
      place.event(applyStyle(writer, out));
    }
  }, () => pool.watch());
  let lastSimMs = cfg.startMs;
  let handled = 0;
  /** Waits until the renderer holds at most MAX_BACKLOG_BYTES: for frames, then for writes. */
  const shrinkBacklog = async () => {
    renderer.flush();
    while (ahead.size > 0 && renderer.backlog!() > MAX_BACKLOG_BYTES) await ahead.settleOldest();
    await renderer.drained?.(MAX_BACKLOG_BYTES);
  };
  /** Whether a tick's lines are too many to keep a place for (see MAX_LINES_KEPT). */
  const tooManyLines = (ev: TickEvent) =>
    !direct && ev.report && renderer.wantsGpuEvents && cfg.nodes > MAX_LINES_KEPT;
  /** Waits for every tick before `ev`, then for its frame, and writes its lines straight out. */
  const writeStraight = async (ev: TickEvent, request: FrameRequest) => {
    await ahead.settleAll();
    renderer.flush();
    const frame = await request.done;
    for (const line of noticeLines(ev, frame)) renderer.event(line);
    let lines = 0;
    for (const out of telemetryEvents(cfg, ev, frame, true)) {
      renderer.event(applyStyle(writer, out));
      if (++lines % POLL_EVERY === 0 && renderer.backlog!() > MAX_BACKLOG_BYTES) {
        await shrinkBacklog();
      }
    }
  };
  try {
    for (const ev of sim.events) {
      if (o.stop.stopped) break;
      const wait = pacer.delayUntil(ev.simMs);
      if (wait > 2 || ++handled % YIELD_EVERY === 0) {
        // Before a real wait, every line so far goes out (the live view does not wait for
        // frames: what has come is drawn now, the rest at a later wake-up).
        if (wait > 2 && !direct) await ahead.settleAll();
        while (ahead.lag(handled) > MAX_EVENTS_AHEAD) await ahead.settleOldest();
        pool.poll();
        ahead.settleReady();
        renderer.flush();
        // (Awaited only when there is something to wait for: the live view has no writes behind.)
        if (renderer.drained) await renderer.drained(MAX_BACKLOG_BYTES);
        if (!poolStarted) (poolStarted = true), pool.start();
        await o.stop.sleep(Math.min(wait, Math.max(0, deadline - o.now())));
        pool.poll();
        ahead.settleReady();
        if (o.now() >= deadline) o.stop.stop("exit-after");
        if (o.stop.stopped) break;
      } else if (handled % POLL_EVERY === 0) {
        pool.poll();
        ahead.settleReady();
        // Runs the microtasks queued since the last look (a background write that is done, a
        // frame's promise resolved by poll()): without it, they and all they hold wait for the
        // next yield, thousands of events away, and outlive the young generation's collections.
        await null;
        if (renderer.backlog && renderer.backlog() > MAX_BACKLOG_BYTES) await shrinkBacklog();
        if (o.stop.stopped) break;
      }
      lastSimMs = ev.simMs;
      if (ev.type === "phase") {
        pacer.setSpeed(ev.phase === "init" ? pace.init : pace.train, ev.simMs);
      }
      if (ev.type !== "tick") {
        deliver(ev, styledAhead);
        continue;
      }
      if (!wanted(ev)) continue;
      if (!poolStarted) {
        renderer.flush();
        poolStarted = true;
      }
      const request = asked.get(ev);
      if (tooManyLines(ev)) {
        asked.delete(ev);
        await writeStraight(ev, request ?? ask(ev));
        continue;
      }
      ahead.add(ev, request ?? ask(ev), renderer.placeholder?.() ?? direct!, handled);
      // (Line output only: the live view does not wait for frames.)
      while (!direct && ahead.frameBytes > MAX_FRAME_BYTES_AHEAD) await ahead.settleOldest();
      if (request) {
        // Asked for seconds ago, the frame is usually in: its lines and grid come on time.
        asked.delete(ev);
        pool.poll();
        ahead.settleReady();
      }
    }
    // Lines already simulated are part of the run's progress: they all go out.
    await ahead.settleAll();
    const signal = stopSignal(o.stop.reason);
    // A signal gets the run's own ending at once: emergency checkpoint, shutdown, summary.
    if (signal) {
      for (const ev of sim.interrupt(signal)) if (ev.type !== "tick") deliver(ev, false);
    }
    renderer.close();
    await renderer.drained?.(0);
  } catch (e) {
    if (!(e instanceof PipeClosed)) throw e;
    o.stop.stop("pipe");
  } finally {
    pool.terminate();
  }
  return lastSimMs;
}

/**
 * The `gpu` and `allreduce` events a telemetry frame yields for a tick, made one at a time as
 * they are taken: a tick of 16,384 nodes made into one array of events kept them all alive at
 * once, so they outlived the young generation and the heap grew by their size (about 150 MB)
 * until a full collection.
 */
function* telemetryEvents(
  cfg: RunConfig,
  ev: TickEvent,
  frame: Frame,
  wantsGpuEvents: boolean,
): Generator<OutputEvent> {
  if (ev.report && wantsGpuEvents) {
    const readings = [frame.utilPct, frame.tempC, frame.memGiB, frame.powerW];
    for (let node = 0; node < cfg.nodes; node++) yield gpuEvent(cfg, ev, readings, node);
  }
  if (ev.allreduceStep !== undefined && frame.allreduceMs) {
    yield allReduceEvent(ev, frame.allreduceMs);
  }
}

/** Runs one simulation, or one after another with --loop, until done or stopped. */
export async function drive(o: DriverOptions): Promise<void> {
  try {
    await driveRuns(o);
  } finally {
    o.stop.release();
  }
}

/** drive() without the release of the stop signal's hold on the event loop. */
async function driveRuns(o: DriverOptions): Promise<void> {
  const deadline = o.exitAfterMs === null ? Infinity : o.now() + o.exitAfterMs;
  let choices = o.choices;
  for (let run = 0; !o.stop.stopped; run++) {
    // Short --instant runs may never reach a yield point, so the deadline is checked here too.
    if (o.now() >= deadline) o.stop.stop("exit-after");
    if (o.stop.stopped) break;
    // The first run's configuration was drawn already when main checked the flags.
    const cfg = run === 0 && o.firstConfig ? o.firstConfig : drawRun(choices);
    const endMs = await runOnce(cfg, o, deadline);
    if (!o.loop) break;
    // The next job starts a little after this one ends, with a seed derived from this one; a
    // paced loop waits for it as the clock on the wall does.
    const pace = paceFor(o.instant, o.speed);
    if (Number.isFinite(pace.init)) {
      await o.stop.sleep(Math.min(LOOP_GAP_MS / pace.init, Math.max(0, deadline - o.now())));
    }
    choices = {
      ...choices,
      seed: mix32(o.choices.seed, run + 1),
      startMs: Math.round(endMs + LOOP_GAP_MS),
    };
  }
}
