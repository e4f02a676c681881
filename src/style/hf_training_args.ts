/**
 * `TrainingArguments.__str__` of the run's transformers release: every field of that release
 * (data/hf_training_args.json, read from its tag), sorted, one per line, with the run's own values
 * over the library's defaults (tokens masked as `<HUB_TOKEN>`, as it does), enums as the run's
 * Python formats them.
 */
import type { RunConfig } from "../sim/run_config.ts";
import { hostName } from "../sim/names.ts";
import { pyFloat } from "../format/python_repr.ts";
import type { HfProfile } from "./hf_profile.ts";
import argsJson from "../../data/hf_training_args.json" with { type: "json" };

/** One release's fields as its dump prints them by default: sorted `[name, printed value]`. */
export interface ReleaseArgs {
  version: string;
  /** The torch `major.minor` from which `optim` defaults to `adamw_torch_fused`, if any. */
  fusedOptimFromTorch: string | null;
  fields: ReadonlyArray<readonly string[]>;
}

const RELEASE_ARGS: readonly ReleaseArgs[] = argsJson.releases;

/** The fields of `version`'s `TrainingArguments` with the values a plain launch prints. */
export function releaseArgs(version: string): ReleaseArgs {
  const r = RELEASE_ARGS.find((x) => x.version === version);
  if (!r) throw new Error(`no TrainingArguments fields for transformers ${version}`);
  return r;
}

/** The name of the evaluation-strategy field: `evaluation_strategy` until 4.41 renamed it. */
export function evalStrategyField(version: string): string {
  return releaseArgs(version).fields.some(([k]) => k === "eval_strategy")
    ? "eval_strategy"
    : "evaluation_strategy";
}

function minorOf(version: string): number {
  const [major, minor] = version.split(/[.+]/).map(Number);
  return major * 1000 + minor;
}

/** `optim`'s default: fused AdamW where the release picks it for the installed torch. */
function defaultOptim(cfg: RunConfig, args: ReleaseArgs): string | undefined {
  const from = args.fusedOptimFromTorch;
  if (from === null || minorOf(cfg.cluster.torchVersion) < minorOf(from)) return undefined;
  return "OptimizerNames.ADAMW_TORCH_FUSED";
}

/** transformers' `str`-mixin enums as 3.11+ formats them: `IntervalStrategy.EPOCH`. */
const ENUM_MEMBER =
  /^(?:IntervalStrategy|SaveStrategy|HubStrategy|SchedulerType|OptimizerNames)\.([A-Z0-9_]+)$/;

/**
 * A field's value as `f"{v}"` prints it: before 3.11, format() of a `str`-mixin enum gives its
 * value (`epoch`), from 3.11 on its name (`IntervalStrategy.EPOCH`); these members' values are
 * their names in lower case.
 */
function formatted(value: string, pythonMinor: number): string {
  const m = pythonMinor < 11 ? value.match(ENUM_MEMBER) : null;
  return m ? m[1].toLowerCase() : value;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** `logging_dir`'s default: `<output_dir>/runs/Dec07_16-32-13_<host>` at the arguments' parse. */
export function loggingDir(cfg: RunConfig, simMs: number): string {
  const d = new Date(simMs);
  const two = (n: number) => String(n).padStart(2, "0");
  return `${cfg.outputDir}/runs/${MONTHS[d.getUTCMonth()]}${two(d.getUTCDate())}_` +
    `${two(d.getUTCHours())}-${two(d.getUTCMinutes())}-${two(d.getUTCSeconds())}_` +
    hostName(cfg.cluster, 0);
}

function strategyFields(cfg: RunConfig): Record<string, string> {
  const s = cfg.plan.strategy;
  if (s === "fsdp") {
    return {
      fsdp: "[<FSDPOption.FULL_SHARD: 'full_shard'>, <FSDPOption.AUTO_WRAP: 'auto_wrap'>]",
    };
  }
  if (s.startsWith("zero")) return { deepspeed: `ds_config_zero${s.slice(4)}.json` };
  return {};
}

/** The dump's lines: `TrainingArguments(`, `key=value,` for each field, `)`. */
export function trainingArguments(cfg: RunConfig, prof: HfProfile, simMs: number): string[] {
  const b = (v: boolean) => (v ? "True" : "False");
  const args = releaseArgs(prof.release.version), optim = defaultOptim(cfg, args);
  const minor = Number(cfg.cluster.pythonVersion.split(".")[1]);
  // __post_init__ puts rank 0's local rank and its one visible GPU in.
  const own: Record<string, string> = {
    _n_gpu: "1",
    bf16: b(cfg.precision !== "fp16"),
    ddp_timeout: "600",
    do_eval: "True",
    do_train: "True",
    [evalStrategyField(args.version)]: "IntervalStrategy.EPOCH",
    fp16: b(cfg.precision === "fp16"),
    gradient_accumulation_steps: String(cfg.gradAccum),
    gradient_checkpointing: b(cfg.plan.recompute !== "none"),
    learning_rate: pyFloat(cfg.lrMax),
    logging_dir: loggingDir(cfg, simMs),
    local_rank: "0",
    logging_steps: String(cfg.logInterval),
    lr_scheduler_type: "SchedulerType.COSINE",
    num_train_epochs: pyFloat(cfg.epochs),
    output_dir: cfg.outputDir,
    per_device_eval_batch_size: String(prof.evalBatch),
    per_device_train_batch_size: String(cfg.plan.microBatch),
    report_to: prof.reportTo === "none" ? "[]" : `['${prof.reportTo}']`,
    save_steps: String(cfg.ckptInterval),
    save_total_limit: prof.saveTotalLimit === null ? "None" : String(prof.saveTotalLimit),
    seed: String(prof.seed),
    warmup_ratio: pyFloat(cfg.warmupRatio),
    warmup_steps: String(cfg.warmupRatio > 0 ? 0 : cfg.warmupSteps),
    weight_decay: prof.weightDecay,
    ...(optim ? { optim } : {}),
    ...strategyFields(cfg),
  };
  return [
    "TrainingArguments(",
    ...args.fields.map(([k, v]) => `${k}=${formatted(own[k] ?? v, minor)},`),
    ")",
  ];
}
