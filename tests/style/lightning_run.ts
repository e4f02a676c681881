/**
 * A Lightning-styled run in-process, optionally cut short by a signal after `stopAfter` events,
 * and the text its events print (what `--format text --no-timestamps` writes).
 */
import { drawRunConfig, type RunChoices, type RunConfig } from "../../src/sim/run_config.ts";
import { startRun } from "../../src/sim/simulate.ts";
import type { OutputEvent } from "../../src/sim/events.ts";
import { applyStyle, openStyle } from "../../src/style/style.ts";
import { LIGHTNING_STYLE } from "../../src/style/lightning.ts";
import { lightningPacing } from "../../src/style/lightning_pacing.ts";
import { START_MS, styledRun, textOf } from "./styled_run.ts";

/** The run, its events and its text lines. */
export interface LightningRun {
  cfg: RunConfig;
  events: OutputEvent[];
  lines: string[];
}

/** A whole run, or one stopped by `signal` after `stopAfter` events. */
export function lightningRun(
  choices: Omit<RunChoices, "startMs">,
  stop?: { signal: "SIGINT" | "SIGTERM"; stopAfter: number },
): LightningRun {
  if (!stop) {
    const { cfg, events } = styledRun(choices, LIGHTNING_STYLE);
    return { cfg, events, lines: textOf(events) };
  }
  const cfg = drawRunConfig({ startMs: START_MS, pacing: lightningPacing, ...choices });
  // A short run is cut at 60% of its lines at most, so the signal always comes mid-run.
  const whole = styledRun(choices, LIGHTNING_STYLE).events.length;
  const stopAfter = Math.min(stop.stopAfter, Math.floor(whole * 0.6));
  const writer = openStyle(LIGHTNING_STYLE, cfg);
  const sim = startRun(cfg, { initMs: 1e15, trainMs: 1e15 });
  const events: OutputEvent[] = [];
  for (const ev of sim.events) {
    if (ev.type === "phase" || ev.type === "tick") continue;
    events.push(applyStyle(writer, ev));
    if (events.length >= stopAfter) break;
  }
  for (const ev of sim.interrupt(stop.signal)) {
    if (ev.type !== "phase" && ev.type !== "tick") events.push(applyStyle(writer, ev));
  }
  return { cfg, events, lines: textOf(events) };
}
