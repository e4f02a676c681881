/** The live region as a pure picture of state: title, epoch and step bars, task bar, GPU grid. */
import type { BarState, PhaseEvent, StepData } from "../../sim/events.ts";
import { crop, paint } from "../ansi.ts";
import { blockBar } from "../../style/meter.ts";
import { formatDuration, formatLr, formatRate } from "../../style/units.ts";
import { type GridInfo, gridLines, type GridTelemetry } from "./grid.ts";

/** Everything the live region shows. */
export interface LiveState {
  title: string;
  epochs: number;
  totalSteps: number;
  phase: PhaseEvent["phase"];
  epoch: number;
  step: StepData | null;
  bar: BarState | null;
  telemetry: GridTelemetry | null;
  grid: GridInfo;
  simMs: number;
}

/** A labelled bar line: `label ███▌    45% suffix`, fitted to `width`. */
export function barLine(
  label: string,
  fraction: number,
  suffix: string,
  width: number,
  color: boolean,
): string {
  const pct = `${Math.floor(Math.min(1, fraction) * 100)}%`.padStart(4);
  const room = width - label.length - suffix.length - pct.length - 4;
  const barW = Math.max(0, Math.min(50, room));
  const bar = barW > 0 ? ` ${paint(blockBar(fraction, barW), "cyan", color)}` : "";
  return crop(`${label}${bar} ${pct}${suffix ? " " + suffix : ""}`, width);
}

function metricsLine(d: StepData, width: number, color: boolean): string {
  const parts = [
    `loss ${paint(d.loss.toFixed(4), "bold", color)}`,
    `ppl ${d.ppl.toFixed(2)}`,
    `lr ${formatLr(d.lr)}`,
    `grad ${d.grad_norm.toFixed(3)}`,
    `${formatRate(d.tokens_per_s)} tok/s`,
    `${d.samples_per_s.toFixed(1)} samples/s`,
    `${d.tflops_per_gpu.toFixed(0)} TFLOP/s/GPU`,
    `MFU ${(d.mfu * 100).toFixed(1)}%`,
  ];
  return crop(parts.join(paint(" │ ", "gray", color)), width);
}

/** Lines of the live region for a terminal of `width` × `height` (never more than height − 1). */
export function liveLines(s: LiveState, width: number, height: number, color: boolean): string[] {
  const out: string[] = [crop(paint(s.title, "dim", color), width)];
  const d = s.step;
  if (s.phase !== "init" || d) {
    const epochDone = d ? (d.epoch - 1 + d.epoch_step / d.steps_per_epoch) / s.epochs : 0;
    out.push(barLine(`Epoch ${d?.epoch ?? s.epoch}/${s.epochs}`, epochDone, "", width, color));
    const step = d?.step ?? 0;
    const timing = d
      ? `${formatDuration(d.elapsed_s)}<${formatDuration(d.eta_s)} ${d.step_time_s.toFixed(2)}s/it`
      : "?";
    out.push(barLine(`Step ${step}/${s.totalSteps}`, step / s.totalSteps, timing, width, color));
    if (d) out.push(metricsLine(d, width, color));
  }
  if (s.bar && s.bar.done < s.bar.total) {
    out.push(
      barLine(
        `${s.bar.label}`,
        s.bar.done / s.bar.total,
        `${s.bar.done}/${s.bar.total} ${s.bar.unit}`,
        width,
        color,
      ),
    );
  }
  const room = height - 1 - out.length;
  if (s.telemetry && room >= 2) {
    for (const line of gridLines(s.telemetry, s.grid, width, room, color)) {
      out.push(crop(line, width));
    }
  }
  return out.slice(0, Math.max(1, height - 1));
}
