/**
 * Command-line parsing: flags into one frozen options object, or a UsageError whose message
 * names the flag, what was wrong and what is accepted.
 */
import {
  type DatasetSpec,
  findDataset,
  findGpu,
  findModel,
  type GpuSpec,
  type ModelSpec,
} from "../sim/catalog.ts";
import { STYLE_NAMES } from "../style/names.ts";
import type { ChaosLevel } from "../sim/run_config.ts";
import { parseDuration, parsePositive, parseStartTime, parseWhole } from "./values.ts";
import { quoteValue } from "./quote.ts";
import { closestName } from "./suggest.ts";

/** A mistake in the command line; main prints the message and exits 2. */
export class UsageError extends Error {}

/** Output modes. */
export type Format = "auto" | "tty" | "text" | "jsonl";

/** What the user asked for. */
export interface CliOptions {
  help: boolean;
  version: boolean;
  list: "models" | "gpus" | "datasets" | null;
  seed: number | null;
  speed: number | null;
  instant: boolean;
  format: Format;
  nodes: number | undefined;
  /** GPUs in each node, 1 to 8 (undefined: 8). */
  gpusPerNode: number | undefined;
  gpu: GpuSpec | undefined;
  model: ModelSpec | undefined;
  dataset: DatasetSpec | undefined;
  epochs: number | undefined;
  exitAfterMs: number | null;
  loop: boolean;
  startMs: number | null;
  color: boolean;
  /** The prefix of text lines: `auto` (fauxtrain's own lines only), on or off. */
  timestamps: "auto" | "on" | "off";
  /** Telemetry worker threads; undefined lets main pick by cluster size (see defaultWorkers). */
  workers: number | undefined;
  /** Steps between logged steps; undefined lets the run choose (~1,200 lines per run). */
  logInterval: number | undefined;
  /** A name from STYLE_NAMES, or "auto". */
  style: string;
  chaos: ChaosLevel;
  resume: boolean;
}

/** How a flag is written: a switch, or a flag taking a value described by `accepts`. */
type FlagSpec = { kind: "bool" } | { kind: "value"; accepts: string };

/** Maximum `--nodes` (16,384 nodes × 8 GPUs = 131,072 GPUs). */
export const MAX_NODES = 16384;
/** Maximum `--gpus-per-node` (an HGX or DGX board). */
export const MAX_GPUS_PER_NODE = 8;
const MIN_SPEED = 1e-3;
const MAX_SPEED = 1e6;
const MAX_EXIT_AFTER_MS = 365 * 86_400_000;

const SWITCH: FlagSpec = { kind: "bool" };
const FLAGS: Record<string, FlagSpec> = {
  help: SWITCH,
  version: SWITCH,
  list: { kind: "value", accepts: "one of models, gpus, datasets" },
  seed: { kind: "value", accepts: "a whole number from 0 to 4294967295" },
  speed: {
    kind: "value",
    accepts: `a number from ${MIN_SPEED} to ${MAX_SPEED}, such as 0.5, 2 or 1e3`,
  },
  instant: SWITCH,
  format: { kind: "value", accepts: "one of auto, tty, text, jsonl" },
  nodes: { kind: "value", accepts: `a whole number from 1 to ${MAX_NODES}` },
  "gpus-per-node": { kind: "value", accepts: `a whole number from 1 to ${MAX_GPUS_PER_NODE}` },
  gpu: { kind: "value", accepts: "a GPU name from fauxtrain --list gpus" },
  model: { kind: "value", accepts: "a model name from fauxtrain --list models" },
  dataset: { kind: "value", accepts: "a dataset name from fauxtrain --list datasets" },
  epochs: { kind: "value", accepts: "a whole number from 1 to 100" },
  "exit-after": { kind: "value", accepts: "a duration such as 90s, 5m or 1h30m" },
  loop: SWITCH,
  start: {
    kind: "value",
    accepts: "an ISO-8601 date or time from 1970 to 9999 such as 2026-11-24T09:00:00Z",
  },
  "no-color": SWITCH,
  "no-timestamps": SWITCH,
  "timestamps": SWITCH,
  workers: { kind: "value", accepts: "a whole number from 1 to 64" },
  "log-interval": { kind: "value", accepts: "a whole number of steps from 1 to 1000000" },
  style: { kind: "value", accepts: `one of auto, ${STYLE_NAMES.join(", ")}` },
  chaos: { kind: "value", accepts: "one of off, low, high" },
  resume: SWITCH,
};
const SHORT: Record<string, string> = { h: "help", V: "version", s: "seed", l: "list" };

/** "; did you mean X?" when `typed` looks like a slip for one of `known`, else "". */
function didYouMean(typed: string, known: readonly string[], prefix = ""): string {
  const name = closestName(typed, known);
  return name === null ? "" : `; did you mean ${prefix}${name}?`;
}

/** A flag as typed, bare when it is plain (--frobnicate), quoted and escaped otherwise. */
function showFlag(arg: string): string {
  return /^--?[\w-]+$/.test(arg) ? arg : quoteValue(arg);
}

/** The error for a value `flag` does not accept; `choices` lets it guess what was meant. */
function badValue(flag: string, raw: string, choices: readonly string[] = []): UsageError {
  const spec = FLAGS[flag];
  const accepts = spec.kind === "value" ? spec.accepts : "no value";
  return new UsageError(
    `--${flag} must be ${accepts}, got ${quoteValue(raw)}` + didYouMean(raw, choices),
  );
}

/** Parses a flag's value with `parse`, or throws the flag's usage error. */
function valueOf<T>(
  flag: string,
  raw: string,
  parse: (raw: string) => T | null,
  choices: readonly string[] = [],
): T {
  const v = parse(raw);
  if (v === null) throw badValue(flag, raw, choices);
  return v;
}

const FLAG_NAMES = Object.keys(FLAGS);

/** The error for a flag that does not exist, with a guess at the one meant. */
function unknownFlag(arg: string, name: string): UsageError {
  const short = /^-[A-Za-z]$/.test(arg);
  // A short flag typed in the wrong case (-v for -V), or a long one with one dash (-nodes).
  const guess = short
    ? didYouMean(
      arg[1],
      Object.keys(SHORT).filter((c) => c.toLowerCase() === arg[1].toLowerCase()),
      "-",
    )
    : didYouMean(name, FLAG_NAMES, "--");
  return new UsageError(
    `unknown flag ${showFlag(arg)}${guess || "; run fauxtrain --help for the list"}`,
  );
}

/**
 * Splits argv into flag → raw value (switches map to ""). A "--" ends the flags, as in every
 * POSIX command, and fauxtrain takes no other arguments, so anything after it is an error
 * (`deno task start -- --nodes 4` passes the "--" on: the flags go before it, or without it).
 */
function tokenize(argv: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--") {
      if (i + 1 === argv.length) break;
      throw new UsageError(
        `unexpected argument ${quoteValue(argv[i + 1])} after "--", which ends the flags; ` +
          `fauxtrain takes only flags: put them before "--" or leave it out`,
      );
    }
    let name: string, inline: string | undefined;
    if (arg.startsWith("--") && arg.length > 2) {
      const eq = arg.indexOf("=");
      name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
      inline = eq < 0 ? undefined : arg.slice(eq + 1);
    } else if (/^-[A-Za-z]$/.test(arg) && SHORT[arg[1]]) {
      name = SHORT[arg[1]];
    } else if (/^-[A-Za-z]/.test(arg)) {
      throw unknownFlag(arg, arg.slice(1));
    } else {
      throw new UsageError(
        `unexpected argument ${quoteValue(arg)}; fauxtrain takes only flags` +
          (didYouMean(arg, FLAG_NAMES, "--") || " (see --help)"),
      );
    }
    const spec = FLAGS[name];
    if (!spec) throw unknownFlag(eqLess(arg), name);
    if (out.has(name)) throw new UsageError(`--${name} was given twice`);
    if (spec.kind === "bool") {
      if (inline !== undefined) {
        throw new UsageError(`--${name} takes no value, got ${quoteValue(inline)}`);
      }
      out.set(name, "");
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined || (inline === undefined && /^--?[A-Za-z]/.test(value))) {
      throw new UsageError(`--${name} needs a value: ${spec.accepts}`);
    }
    out.set(name, value);
  }
  return out;
}

/** A long flag without its inline value: "--node=4" → "--node". */
function eqLess(arg: string): string {
  const eq = arg.indexOf("=");
  return eq < 0 ? arg : arg.slice(0, eq);
}

/** Flags that make no sense together. */
function checkConflicts(f: Map<string, string>): void {
  if (f.has("instant") && f.has("speed")) {
    throw new UsageError("--instant and --speed cannot be combined: pick one pace");
  }
  if (f.has("no-timestamps") && f.get("format") === "jsonl") {
    throw new UsageError("--no-timestamps applies to text output; JSON lines always carry ts");
  }
  if (f.has("timestamps") && f.has("no-timestamps")) {
    throw new UsageError("--timestamps and --no-timestamps cannot be combined: pick one");
  }
}

/** Parses argv into options; throws UsageError on any mistake. */
export function parseArgs(argv: readonly string[]): CliOptions {
  const f = tokenize(argv);
  checkConflicts(f);
  const optional = <T>(flag: string, parse: (raw: string) => T | null): T | undefined => {
    const raw = f.get(flag);
    return raw === undefined ? undefined : valueOf(flag, raw, parse);
  };
  const choice = (flag: string, choices: string[]) => {
    const raw = f.get(flag);
    if (raw === undefined) return undefined;
    return valueOf(flag, raw, (r) => (choices.includes(r) ? r : null), choices);
  };
  const whole = (lo: number, hi: number) => (raw: string) => parseWhole(raw, lo, hi);
  const lookup = <T>(flag: string, find: (n: string) => T | undefined, list: string) => {
    const raw = f.get(flag);
    if (raw === undefined) return undefined;
    const hit = raw.trim() === "" ? undefined : find(raw);
    if (!hit) {
      throw new UsageError(
        `--${flag} ${quoteValue(raw)} is not known; see fauxtrain --list ${list}`,
      );
    }
    return hit;
  };
  const exitAfter = (raw: string) => {
    const ms = parseDuration(raw);
    return ms !== null && ms > 0 && ms <= MAX_EXIT_AFTER_MS ? ms : null;
  };
  return Object.freeze({
    help: f.has("help"),
    version: f.has("version"),
    list: (choice("list", ["models", "gpus", "datasets"]) ?? null) as CliOptions["list"],
    seed: optional("seed", whole(0, 4294967295)) ?? null,
    speed: optional("speed", (raw) => parsePositive(raw, MIN_SPEED, MAX_SPEED)) ?? null,
    instant: f.has("instant"),
    format: (choice("format", ["auto", "tty", "text", "jsonl"]) ?? "auto") as Format,
    nodes: optional("nodes", whole(1, MAX_NODES)),
    gpusPerNode: optional("gpus-per-node", whole(1, MAX_GPUS_PER_NODE)),
    gpu: lookup("gpu", findGpu, "gpus"),
    model: lookup("model", findModel, "models"),
    dataset: lookup("dataset", findDataset, "datasets"),
    epochs: optional("epochs", whole(1, 100)),
    exitAfterMs: optional("exit-after", exitAfter) ?? null,
    loop: f.has("loop"),
    startMs: optional("start", parseStartTime) ?? null,
    color: !f.has("no-color"),
    timestamps: f.has("no-timestamps") ? "off" : f.has("timestamps") ? "on" : "auto",
    workers: optional("workers", whole(1, 64)),
    logInterval: optional("log-interval", whole(1, 1_000_000)),
    style: choice("style", ["auto", ...STYLE_NAMES]) ?? "auto",
    chaos: (choice("chaos", ["off", "low", "high"]) ?? "low") as ChaosLevel,
    resume: f.has("resume"),
  });
}
