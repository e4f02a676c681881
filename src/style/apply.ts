/**
 * The style contract and how a style fills in a line, without any framework style loaded: the
 * driver imports only this, and the chosen style is loaded on its own (src/style/load.ts).
 */
import type { OutputEvent } from "../sim/events.ts";
import type { RunConfig } from "../sim/run_config.ts";
import { formatNative } from "./native.ts";

/**
 * One run's formatter. It may keep state between lines (a smoothed rate, a running average,
 * what it printed already), so it is called in the run's order: every event in simulated-time
 * order, except telemetry (`gpu`, `allreduce` and telemetry-agent `log` events), which comes in
 * its own order, a tick's events together, possibly after later events of other types.
 */
export interface StyleWriter {
  /**
   * The message for an event: a string (may hold several lines joined by "\n"; "" prints
   * nothing in text and tty modes), or null to keep fauxtrain's own wording.
   */
  message(ev: OutputEvent): string | null;
  /**
   * Whether the writer is also handed the steps the run did not log (they print nothing, but a
   * style whose own cadence differs from the run's, such as Lightning's progress bar counting
   * batches within the epoch, reads them and writes their lines with a later event).
   */
  readonly unloggedSteps?: boolean;
}

/** A framework look: a writer for each run. */
export interface Style {
  readonly name: string;
  /** A writer for the run `cfg`, in its initial state. */
  open(cfg: RunConfig): StyleWriter;
}

/** fauxtrain's own look: native messages everywhere. */
export const NATIVE_STYLE: Style = { name: "native", open: () => ({ message: () => null }) };

/** A style's writer for a run, with the run's configuration at hand for the native wording. */
export interface RunWriter {
  cfg: RunConfig;
  writer: StyleWriter;
}

/** Opens `style` for the run `cfg`. */
export function openStyle(style: Style, cfg: RunConfig): RunWriter {
  return { cfg, writer: style.open(cfg) };
}

/**
 * Fills in an event's message through a run's writer, falling back to the native wording.
 * Steps that are not logged keep an empty message: no output mode prints them, and formatting
 * every one of a long run's steps cost more than simulating them. A writer that reads unlogged
 * steps still sees them, and their message stays empty.
 */
export function applyStyle(w: RunWriter, ev: OutputEvent): OutputEvent {
  if (ev.type === "step" && !ev.logged) {
    if (w.writer.unloggedSteps) w.writer.message(ev);
    return ev;
  }
  const styled = w.writer.message(ev);
  ev.msg = styled !== null ? styled : formatNative(ev, w.cfg);
  return ev;
}
