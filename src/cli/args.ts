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
import { STYLES } from "../style/style.ts";
import type { ChaosLevel } from "../sim/run_config.ts";

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
  gpu: GpuSpec | undefined;
  model: ModelSpec | undefined;
  dataset: DatasetSpec | undefined;
  epochs: number | undefined;
  exitAfterMs: number | null;
  loop: boolean;
  startMs: number | null;
  color: boolean;
  timestamps: boolean;
  workers: number;
  /** A name from STYLES, or "auto". */
  style: string;
  chaos: ChaosLevel;
  resume: boolean;
}

type FlagKind = "bool" | "value";
const FLAGS: Record<string, FlagKind> = {
  help: "bool",
  version: "bool",
  list: "value",
  seed: "value",
  speed: "value",
  instant: "bool",
  format: "value",
  nodes: "value",
  gpu: "value",
  model: "value",
  dataset: "value",
  epochs: "value",
  "exit-after": "value",
  loop: "bool",
  start: "value",
  "no-color": "bool",
  "no-timestamps": "bool",
  workers: "value",
  style: "value",
  chaos: "value",
  resume: "bool",
};
const SHORT: Record<string, string> = { h: "help", V: "version", s: "seed", l: "list" };

/** Maximum `--nodes` (16,384 nodes × 8 GPUs = 131,072 GPUs). */
export const MAX_NODES = 16384;

function wholeNumber(flag: string, raw: string, lo: number, hi: number): number {
  const n = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(n) || n < lo || n > hi) {
    throw new UsageError(`--${flag} must be a whole number from ${lo} to ${hi}, got "${raw}"`);
  }
  return n;
}

/** Parses a duration such as 90s, 5m, 1h30m, 250ms or a bare number of seconds, to ms. */
export function parseDuration(raw: string): number | null {
  if (/^\d+(\.\d+)?$/.test(raw)) return Number(raw) * 1000;
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/gy;
  const unit: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
  let total = 0, m: RegExpExecArray | null, end = 0;
  while ((m = re.exec(raw)) !== null) {
    total += Number(m[1]) * unit[m[2]];
    end = re.lastIndex;
  }
  return end === raw.length && end > 0 ? total : null;
}

/** Splits argv into flag → raw value (booleans map to ""). */
function tokenize(argv: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    let name: string, inline: string | undefined;
    if (arg.startsWith("--")) {
      const eq = arg.indexOf("=");
      name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
      inline = eq < 0 ? undefined : arg.slice(eq + 1);
    } else if (/^-[A-Za-z]$/.test(arg) && SHORT[arg[1]]) {
      name = SHORT[arg[1]];
    } else {
      throw new UsageError(`unexpected argument "${arg}"; fauxtrain takes only flags (see --help)`);
    }
    const kind = FLAGS[name];
    if (!kind) throw new UsageError(`unknown flag --${name}; run fauxtrain --help for the list`);
    if (out.has(name)) throw new UsageError(`--${name} was given twice`);
    if (kind === "bool") {
      if (inline !== undefined) throw new UsageError(`--${name} takes no value, got "${inline}"`);
      out.set(name, "");
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined || (inline === undefined && value.startsWith("--"))) {
      throw new UsageError(`--${name} needs a value`);
    }
    out.set(name, value);
  }
  return out;
}

function positiveNumber(flag: string, raw: string, hi: number): number {
  const n = /^\d+(\.\d+)?([eE][+-]?\d+)?$/.test(raw) ? Number(raw) : NaN;
  if (!(n > 0) || n > hi) {
    throw new UsageError(`--${flag} must be a number above 0 and at most ${hi}, got "${raw}"`);
  }
  return n;
}

/** Parses argv into options; throws UsageError on any mistake. */
export function parseArgs(argv: readonly string[]): CliOptions {
  const f = tokenize(argv);
  const get = (k: string) => f.get(k);
  const list = get("list");
  if (list !== undefined && !["models", "gpus", "datasets"].includes(list)) {
    throw new UsageError(`--list must be one of models, gpus, datasets, got "${list}"`);
  }
  const format = get("format") ?? "auto";
  if (!["auto", "tty", "text", "jsonl"].includes(format)) {
    throw new UsageError(`--format must be one of auto, tty, text, jsonl, got "${format}"`);
  }
  const lookup = <T>(
    flag: string,
    find: (n: string) => T | undefined,
    list: string,
  ): T | undefined => {
    const raw = get(flag);
    if (raw === undefined) return undefined;
    const hit = find(raw);
    if (!hit) throw new UsageError(`--${flag} "${raw}" is not known; see fauxtrain --list ${list}`);
    return hit;
  };
  const exitRaw = get("exit-after");
  const exitAfterMs = exitRaw === undefined ? null : parseDuration(exitRaw);
  if (
    exitRaw !== undefined &&
    (exitAfterMs === null || exitAfterMs <= 0 || exitAfterMs > 365 * 86_400_000)
  ) {
    throw new UsageError(
      `--exit-after must be a duration such as 90s, 5m or 1h30m, got "${exitRaw}"`,
    );
  }
  const startRaw = get("start");
  const startMs = startRaw === undefined ? null : Date.parse(startRaw);
  if (
    startRaw !== undefined && (!/^\d{4}-\d{2}-\d{2}/.test(startRaw) || !Number.isFinite(startMs))
  ) {
    throw new UsageError(
      `--start must be an ISO-8601 date or time such as 2026-11-24T09:00:00Z, got "${startRaw}"`,
    );
  }
  const style = get("style") ?? "auto";
  if (style !== "auto" && !STYLES[style]) {
    throw new UsageError(
      `--style must be one of auto, ${Object.keys(STYLES).join(", ")}, got "${style}"`,
    );
  }
  const chaos = get("chaos") ?? "low";
  if (!["off", "low", "high"].includes(chaos)) {
    throw new UsageError(`--chaos must be one of off, low, high, got "${chaos}"`);
  }
  if (f.has("instant") && f.has("speed")) {
    throw new UsageError("--instant and --speed cannot be combined");
  }
  const dataset = lookup("dataset", findDataset, "datasets");
  return Object.freeze({
    help: f.has("help"),
    version: f.has("version"),
    list: (list ?? null) as CliOptions["list"],
    seed: get("seed") === undefined ? null : wholeNumber("seed", get("seed")!, 0, 4294967295),
    speed: get("speed") === undefined ? null : positiveNumber("speed", get("speed")!, 1e6),
    instant: f.has("instant"),
    format: format as Format,
    nodes: get("nodes") === undefined
      ? undefined
      : wholeNumber("nodes", get("nodes")!, 1, MAX_NODES),
    gpu: lookup("gpu", findGpu, "gpus"),
    model: lookup("model", findModel, "models"),
    dataset,
    epochs: get("epochs") === undefined ? undefined : wholeNumber("epochs", get("epochs")!, 1, 100),
    exitAfterMs,
    loop: f.has("loop"),
    startMs,
    color: !f.has("no-color"),
    timestamps: !f.has("no-timestamps"),
    workers: get("workers") === undefined ? 8 : wholeNumber("workers", get("workers")!, 1, 64),
    style,
    chaos: chaos as ChaosLevel,
    resume: f.has("resume"),
  });
}
