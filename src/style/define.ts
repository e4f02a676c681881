/**
 * Builds a framework style from small pure formatters: one per log key and one per structured
 * event type. A formatter returns the lines, "" to print nothing, or null for the native message.
 */
import type { DataEvent, LogEvent, OutputEvent } from "../sim/events.ts";
import type { RunConfig } from "../sim/run_config.ts";
import type { Style } from "./apply.ts";

/** Formats one kind of log line. */
export type LogFormatter = (ev: LogEvent, cfg: RunConfig) => string | null;

/** Formats one structured event type. */
export type DataFormatter<T extends DataEvent["type"]> = (
  ev: Extract<DataEvent, { type: T }>,
  cfg: RunConfig,
) => string | null;

/** What a style is made of. */
export interface StyleSpec {
  name: string;
  /** By log key; "" blanks the key. */
  logs: Readonly<Record<string, LogFormatter | "">>;
  /** Log keys without their own formatter. */
  otherLog: LogFormatter;
  /** By event type; a missing type keeps the native message. */
  data: { readonly [T in DataEvent["type"]]?: DataFormatter<T> | "" };
}

/** A Style from its formatters (steps that were not logged print nothing). */
export function defineStyle(spec: StyleSpec): Style {
  return {
    name: spec.name,
    message(ev: OutputEvent, cfg: RunConfig): string | null {
      if (ev.type === "log") {
        const f = spec.logs[ev.key];
        if (f === "") return "";
        if (f) return f(ev, cfg);
        // Fault and interrupt lines already carry their source (kernel, rank, agent, Slurm):
        // print them as they are.
        return ev.key.startsWith("fault.") || ev.key.startsWith("interrupt")
          ? null
          : spec.otherLog(ev, cfg);
      }
      if (ev.type === "step" && !ev.logged) return "";
      const f = spec.data[ev.type] as DataFormatter<typeof ev.type> | "" | undefined;
      if (f === "") return "";
      return f ? f(ev as never, cfg) : null;
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
export function forKeys(keys: readonly string[], f: LogFormatter): Record<string, LogFormatter> {
  return Object.fromEntries(keys.map((k) => [k, f]));
}

/** Blanks every key in `keys`. */
export function blank(...keys: string[]): Record<string, ""> {
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

/** The step a `ckpt.start` line announces ("Saving checkpoint at step N ..."). */
export function ckptStep(ev: LogEvent): number {
  return Number(/at step (\d+)/.exec(ev.msg)?.[1] ?? 0);
}
