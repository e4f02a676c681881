/**
 * Builds a framework style from small pure formatters: one per log key and one per structured
 * event type. A formatter returns the lines, "" to print nothing, or null for the native message.
 * A style that keeps state between lines (a smoothed rate, a running average) says how to make
 * it with `init`; each run gets its own.
 */
import type { DataEvent, LogEvent, LogEventOf, LogKey, OutputEvent } from "../sim/events.ts";
import type { RunConfig } from "../sim/run_config.ts";
import type { Style } from "./apply.ts";
import { faultFactLines, type FaultStyle, isFaultFact, plainFaultStyle } from "./fault_lines.ts";

/** Formats one kind of log line (`st`: the run's style state). */
export type LogFormatter<K extends LogKey = LogKey, S = unknown> = (
  ev: LogEventOf<K>,
  cfg: RunConfig,
  st: S,
) => string | null;

/** Formats one structured event type. */
export type DataFormatter<T extends DataEvent["type"], S = unknown> = (
  ev: Extract<DataEvent, { type: T }>,
  cfg: RunConfig,
  st: S,
) => string | null;

/** What a style is made of. */
export interface StyleSpec<S = unknown> {
  name: string;
  /** The state of one run, before its first line (none when absent). */
  init?: (cfg: RunConfig) => S;
  /** By log key; "" blanks the key. */
  logs: { readonly [K in LogKey]?: LogFormatter<K, S> | "" };
  /** Log keys without their own formatter. */
  otherLog: LogFormatter<LogKey, S>;
  /** By event type; a missing type keeps the native message (a missing `fault` prints nothing). */
  data: { readonly [T in DataEvent["type"]]?: DataFormatter<T, S> | "" };
  /**
   * How the style's launcher shows fault and early-ending lines that it has no formatter for
   * (default: torchrun under Slurm, no prefix, every rank).
   */
  faults?: (cfg: RunConfig, st: S) => FaultStyle;
  /**
   * Lines a script prints on every step, the ones the run does not log too (DeepSpeed-Chat's
   * throughput line): they are held and go out before the style's next line.
   */
  unlogged?: (ev: Extract<DataEvent, { type: "step" }>, cfg: RunConfig, st: S) => string;
}

/** A Style from its formatters (steps that were not logged print nothing). */
export function defineStyle<S>(spec: StyleSpec<S>): Style {
  return {
    name: spec.name,
    open(cfg: RunConfig) {
      const st = (spec.init ? spec.init(cfg) : undefined) as S;
      const faults = spec.faults ? spec.faults(cfg, st) : plainFaultStyle(cfg, spec.name);
      const format = (ev: OutputEvent): string | null => {
        if (ev.type === "log") {
          const f = spec.logs[ev.key] as LogFormatter<LogKey, S> | "" | undefined;
          if (f === "") return "";
          if (f) return f(ev, cfg, st);
          // A fault shows itself through the tools' own lines (torch, torchrun, Slurm).
          return isFaultFact(ev) ? faultFactLines(ev, cfg, faults) : spec.otherLog(ev, cfg, st);
        }
        if (ev.type === "step" && !ev.logged) return "";
        const f = spec.data[ev.type] as DataFormatter<typeof ev.type, S> | "" | undefined;
        if (f === "") return "";
        // No tool prints a summary of a fault: the `fault` event stays a JSON-lines fact.
        if (!f && ev.type === "fault") return "";
        return f ? f(ev as never, cfg, st) : null;
      };
      if (!spec.unlogged) return { message: format };
      const unlogged = spec.unlogged;
      let held: string[] = [];
      return {
        unloggedSteps: true,
        message(ev: OutputEvent): string | null {
          if (ev.type === "step" && !ev.logged) {
            const lines = unlogged(ev, cfg, st);
            if (lines !== "") held.push(lines);
            return "";
          }
          const out = format(ev);
          if (held.length === 0 || out === null || out === "") return out;
          const text = [...held, out].join("\n");
          held = [];
          return text;
        },
      };
    },
  };
}

/** The log keys of NCCL's set-up lines, which every framework style fans out per rank. */
export const NCCL_KEYS = [
  "nccl.bootstrap",
  "nccl.version",
  "nccl.net",
  "nccl.init",
  "nccl.channel",
  "nccl.rings",
  "nccl.trees",
  "nccl.channels",
  "nccl.done",
] as const;

/** The same formatter for each key in `keys`. */
export function forKeys<S>(
  keys: readonly LogKey[],
  f: LogFormatter<LogKey, S>,
): Record<string, LogFormatter<LogKey, S>> {
  return Object.fromEntries(keys.map((k) => [k, f]));
}

/** Blanks every key in `keys`. */
export function blank(...keys: LogKey[]): Record<string, ""> {
  return Object.fromEntries(keys.map((k) => [k, ""]));
}

/** A style's own logging interval: the first multiple of the run's interval at or past `want`. */
export function styleInterval(cfg: RunConfig, want: number): number {
  return cfg.logInterval * Math.max(1, Math.ceil(want / cfg.logInterval));
}

/** Whether a logged step is on a style's interval (the last step always is). */
export function onInterval(step: number, totalSteps: number, interval: number): boolean {
  return step % interval === 0 || step === totalSteps;
}

/** True for the progress update that completes its bar. */
export function barDone(ev: LogEvent): boolean {
  return ev.bar !== undefined && ev.bar.done >= ev.bar.total;
}
