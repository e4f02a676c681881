/**
 * The simulated clock of one run and the telemetry cadence on it: advancing the clock yields
 * a tick event at every cadence boundary crossed, tagged with what the cluster was doing.
 */
import type { Activity } from "../cluster/protocol.ts";
import type {
  BarState,
  Level,
  LogEventOf,
  LogFacts,
  LogKey,
  SimEvent,
  SmiSnapshot,
  TickEvent,
} from "./events.ts";
import type { RunConfig } from "./run_config.ts";

/** Most updates one progress bar gets, however long its task. */
const MAX_BAR_UPDATES = 60;

/** How often the simulation asks for telemetry, in simulated ms, by phase. */
export interface TickCadence {
  initMs: number;
  trainMs: number;
}

/** Mutable clock state owned by one simulation. */
export interface Timeline {
  cfg: RunConfig;
  simMs: number;
  nextTickMs: number;
  cadence: TickCadence;
  everyMs: number;
  /** Memory each GPU holds in training, GiB (set once the model is placed). */
  memGiB: number;
  /** Nodes that are down right now (a GPU fault until the node is replaced). */
  downNodes: number[];
  /**
   * Instants at which the job script runs `nvidia-smi` during the run, ascending: the first
   * reported tick at or after each is tagged as its snapshot.
   */
  smiDueMs: number[];
}

/** A timeline at the run's start. */
export function createTimeline(cfg: RunConfig, cadence: TickCadence): Timeline {
  return {
    cfg,
    simMs: cfg.startMs,
    nextTickMs: cfg.startMs + cadence.initMs,
    cadence,
    everyMs: cadence.initMs,
    memGiB: cfg.plan.memory.totalGiB,
    downNodes: [],
    smiDueMs: [],
  };
}

/** Switches the tick cadence (init and training phases run at different paces). */
export function setCadence(t: Timeline, everyMs: number): void {
  t.everyMs = everyMs;
  t.nextTickMs = Math.min(t.nextTickMs, t.simMs + everyMs);
}

/** Fraction of TDP drawn at full utilisation: larger models keep tensor cores busier. */
export function intensityFor(activity: Activity, cfg: RunConfig): number {
  if (activity === "train") return Math.min(0.93, 0.74 + 0.04 * Math.log10(cfg.model.params / 1e8));
  if (activity === "val") return 0.7;
  // A collective spinning on a dead peer keeps the SMs "busy" at a fraction of full power.
  if (activity === "hang") return 0.25;
  if (activity === "load" || activity === "ckpt" || activity === "export") return 0.3;
  return 0;
}

/**
 * A tick event at `simMs` for `activity`: the job script's `snapshot` when given, else a
 * snapshot when one of the run's `nvidia-smi` calls has come due.
 */
export function tickEvent(
  t: Timeline,
  simMs: number,
  activity: Activity,
  loadFraction = 1,
  snapshot?: SmiSnapshot,
): TickEvent {
  if (snapshot === undefined && t.smiDueMs.length > 0 && simMs >= t.smiDueMs[0]) {
    // Calls that came due while no tick was taken are one call: nvidia-smi prints once.
    while (t.smiDueMs.length > 0 && simMs >= t.smiDueMs[0]) t.smiDueMs.shift();
    snapshot = "run";
  }
  return {
    type: "tick",
    simMs,
    report: true,
    tick: {
      activity,
      intensity: intensityFor(activity, t.cfg),
      memGiB: t.memGiB,
      loadFraction,
      ...(t.downNodes.length > 0 ? { downNodes: [...t.downNodes] } : {}),
    },
    ...(snapshot ? { snapshot } : {}),
  };
}

/** Advances the clock by `dtMs`, yielding the telemetry ticks that fall inside. */
export function* advance(
  t: Timeline,
  dtMs: number,
  activity: Activity,
  loadFraction = 1,
): Generator<SimEvent> {
  const end = t.simMs + Math.max(0, dtMs);
  while (t.nextTickMs <= end) {
    yield tickEvent(t, t.nextTickMs, activity, loadFraction);
    t.nextTickMs += t.everyMs;
  }
  t.simMs = end;
}

/** Advances the clock by `dtMs` if no tick falls inside (true), else leaves it to `advance`. */
export function moveClock(t: Timeline, dtMs: number): boolean {
  const end = t.simMs + Math.max(0, dtMs);
  if (t.nextTickMs <= end) return false;
  t.simMs = end;
  return true;
}

/** A `log` event of `key` with its facts at the current simulated time (its words come later). */
export function logLine<K extends LogKey>(
  t: Timeline,
  key: K,
  data: LogFacts[K],
  level: Level = "info",
  bar?: BarState,
): LogEventOf<K> {
  return { type: "log", simMs: t.simMs, level, msg: "", key, data, ...(bar ? { bar } : {}) };
}

/**
 * Advances through a task of `totalMs` shown as a progress bar of `total` units, yielding the
 * bar at each unit (at most `maxUpdates` updates, or one every 1.5 s of a longer task) and the
 * ticks in between.
 */
export function* progress(
  t: Timeline,
  id: BarState["id"],
  label: string,
  total: number,
  unit: string,
  totalMs: number,
  activity: Activity,
  maxUpdates = 12,
): Generator<SimEvent> {
  // A long task moves its bar every second or two, as a watcher sees a real one move.
  const wanted = Math.min(MAX_BAR_UPDATES, Math.max(maxUpdates, Math.floor(totalMs / 1500)));
  const updates = Math.max(1, Math.min(total, wanted));
  const startMs = t.simMs;
  let done = 0;
  for (let i = 1; i <= updates; i++) {
    const next = Math.round((total * i) / updates);
    yield* advance(t, (totalMs * (next - done)) / total, activity, next / total);
    done = next;
    const bar = { id, label, done, total, unit, elapsed_s: (t.simMs - startMs) / 1000 };
    yield logLine(t, `${id}.progress`, {}, "info", bar);
  }
}
