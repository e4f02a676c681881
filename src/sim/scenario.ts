/**
 * Runs that fit a few minutes of wall time. Without sizing flags fauxtrain plays in real time,
 * so it draws a run a real team would see end in two to five minutes: a short fine-tune, a small
 * pre-training run, the last stretch of a long run resumed near its end, or a long run that the
 * scheduler's time limit ends. The user's fixed choices (GPU, nodes) are kept.
 */
import { DATASETS, type DatasetSpec, MODELS, type ModelSpec } from "./catalog.ts";
import { createRng, type Rng } from "./rng.ts";
import {
  ConfigError,
  drawRunConfig,
  niceInterval,
  type RunChoices,
  type RunConfig,
  type ScenarioKind,
} from "./run_config.ts";
import { steadyStepSeconds } from "./phases/train_state.ts";
import { checkpointPlan, checkpointRead, validationPlan } from "./phases/train.ts";
import { estimateExportSeconds } from "./phases/finish.ts";

/** Wall seconds a fitted run aims at, launch to its last line: drawn in this range. */
const TARGET_S: [number, number] = [150, 255];
/** Fewest steps per epoch of a short fine-tune. */
const MIN_FINETUNE_STEPS = 8;
/** Fewest steps a resumed tail runs. */
const MIN_TAIL_STEPS = 6;
/** Logged steps a tail or a time-limited run aims to show. */
const LOGGED_LINES = 24;
/** Slowest steady step a fitted run takes, s: a slower one shows too few steps in minutes. */
const MAX_STEP_S = 12;
/** Tokens a long pre-training run is planned for: 20 per parameter, within these bounds. */
const LONG_RUN_TOKENS: [number, number] = [2e10, 1.5e13];
/** Hours of training between a long run's checkpoints. */
const SAVE_EVERY_H: [number, number] = [0.5, 3];
/** Largest model a few-minute fine-tune uses. */
const MAX_FINETUNE_PARAMS = 1.5e10;
const GPT2_FAMILY = ["gpt2-124m", "gpt2-124m", "gpt2-124m", "gpt2-355m", "gpt2-774m", "gpt2-1.5b"];
const SMALL_PRETRAIN_DATA = ["fineweb", "fineweb-edu", "fineweb", "openwebtext"];

/** Whether the user left the run's size open, so it is drawn to fit a few minutes. */
export function leavesSizeOpen(c: RunChoices): boolean {
  return c.model === undefined && c.dataset === undefined && c.epochs === undefined &&
    !c.resume && c.scenario === undefined && c.stepsPerEpoch === undefined;
}

/**
 * Draws the run for `choices`: one that fits a few minutes when its size is open, else whole. A
 * fitted run whose framework has a real recipe for it (PacingRequest.recipe) is drawn again as
 * that recipe, which fits the minutes itself.
 */
export function drawRun(choices: RunChoices): RunConfig {
  if (!leavesSizeOpen(choices)) return drawRunConfig(choices);
  const fitted = drawFittedRun(choices);
  const recipe = choices.pacing?.(fitted)?.recipe;
  if (!recipe) return fitted;
  // What the user fixed (GPU, cluster) stays as they fixed it.
  const { gpu, nodes, gpusPerNode } = choices;
  const fixed = Object.fromEntries(
    Object.entries({ gpu, nodes, gpusPerNode }).filter(([, v]) => v !== undefined),
  );
  return drawRunConfig({ ...choices, ...recipe, ...fixed });
}

/** A run of the seed's scenario that ends two to five minutes after its launch. */
export function drawFittedRun(choices: RunChoices): RunConfig {
  const rng = createRng(choices.seed, "scenario");
  const targetS = rng.range(TARGET_S[0], TARGET_S[1]);
  const first = pickKind(choices, rng);
  if (first === "time_limit") return timeLimited(choices, rng, targetS);
  // The drawn story if the cluster can tell it in time, else another that ends with an export.
  const order: ScenarioKind[] = [first, "resume_tail", "finetune", "small_pretrain"];
  for (const kind of order) {
    if (!allowed(choices, kind)) continue;
    const draw = kind === "finetune"
      ? fineTune
      : kind === "small_pretrain"
      ? smallPretrain
      : resumeTail;
    try {
      const fitted = draw(choices, rng, targetS);
      if (fitted) return fitted;
    } catch (e) {
      // The user's cluster cannot hold this scenario's models: try the next one.
      if (!(e instanceof ConfigError)) throw e;
    }
  }
  return timeLimited(choices, rng, targetS);
}

/** Whether the user's fixed node count leaves room for a scenario. */
function allowed(c: RunChoices, kind: ScenarioKind): boolean {
  if (kind === "finetune") return c.nodes === undefined || c.nodes <= 4;
  if (kind === "small_pretrain") return c.nodes === undefined || c.nodes === 1;
  return true;
}

function pickKind(c: RunChoices, rng: Rng): ScenarioKind {
  const kinds: ScenarioKind[] = ["finetune", "small_pretrain", "resume_tail", "time_limit"];
  const weights = [0.33, 0.24, 0.35, 0.08].map((w, i) => (allowed(c, kinds[i]) ? w : 0));
  return rng.weighted(kinds, weights);
}

function byId<T extends { id: string }>(items: readonly T[], id: string): T {
  return items.find((x) => x.id === id)!;
}

/** Expected simulated seconds from the launch to the first step (the phases' mean draws). */
export function expectedStartupSeconds(cfg: RunConfig): number {
  const launch = 0.8 + 1.65 + 5.5 + 5.5 + 0.2 + 0.85 * Math.log2(cfg.nodes + 1);
  const load = cfg.task === "finetune"
    ? (cfg.model.params * 2) / (2.75e9 * Math.min(cfg.nodes, 16))
    : cfg.model.layers * 0.1;
  const setup = 0.75 + load + 1.25 + 0.9 + 12;
  const resume = cfg.resumeStep > 0 ? checkpointRead(cfg).seconds : 0;
  // A script that evaluates before its first step (nanoGPT's iter 0) does so at every launch.
  const evalFirst = cfg.pacing.evalAtLaunch ? validationPlan(cfg).seconds : 0;
  return launch + setup + resume + evalFirst;
}

/** Extra seconds the first step of a process pays (compile, allocator warm-up), at most. */
function firstStepExtra(cfg: RunConfig): number {
  // Planned for the slowest first step the draw allows: a run must not overrun its slot.
  const hi = cfg.pacing.firstStepFactor[1];
  return (hi - 1) * steadyStepSeconds(cfg) + cfg.pacing.compileS;
}

/**
 * The run `choices` draw, with smaller models while its steady step is slower than MAX_STEP_S
 * (a big model on a small or old cluster); null when even the smallest is too slow.
 */
function probeFast(choices: RunChoices, maxStepS = MAX_STEP_S): RunConfig | null {
  let pool = choices.models ?? MODELS.filter((m) => m.real);
  for (let tries = 0; tries < 8 && pool.length > 0; tries++) {
    const cfg = drawRunConfig({ ...choices, models: pool });
    if (steadyStepSeconds(cfg) <= maxStepS) return cfg;
    pool = pool.filter((m) => m.params < cfg.model.params / 2);
  }
  return null;
}

/** A short fine-tune: a real model up to 15B on a few nodes, an epoch or three of a subset. */
function fineTune(c: RunChoices, rng: Rng, targetS: number): RunConfig | null {
  const models = MODELS.filter((m) => m.real && m.params <= MAX_FINETUNE_PARAMS);
  const datasets = DATASETS.filter((d) => d.real && d.kind === "finetune");
  const base: RunChoices = {
    ...c,
    task: "finetune",
    models: models,
    nodes: c.nodes ?? rng.pick([1, 1, 1, 2, 4]),
    dataset: rng.pick(datasets),
    scenario: "finetune",
  };
  const probe = probeFast({ ...base, stepsPerEpoch: 100, epochs: 1 });
  if (!probe) return null;
  const stepS = steadyStepSeconds(probe);
  const valS = validationPlan(probe).seconds;
  const saveS = checkpointPlan(probe).seconds;
  const fixedS = expectedStartupSeconds(probe) + estimateExportSeconds(probe) +
    firstStepExtra(probe);
  for (let epochs = rng.pick([1, 2, 2, 3]); epochs >= 1; epochs--) {
    const trainS = targetS - fixedS - epochs * (valS + saveS);
    const steps = Math.floor(trainS / (epochs * stepS));
    if (steps < MIN_FINETUNE_STEPS) continue;
    // A subset sized for the time slot: whole batches, saved once an epoch.
    return drawRunConfig({
      ...base,
      models: [probe.model],
      epochs,
      stepsPerEpoch: steps,
      ckptInterval: steps,
    });
  }
  return null;
}

/** A GPT-2-class model pre-trained on one node for a few thousand steps, as speedruns do. */
function smallPretrain(c: RunChoices, rng: Rng, targetS: number): RunConfig | null {
  const picked = byId(MODELS, rng.pick(GPT2_FAMILY));
  const dataset: DatasetSpec = byId(DATASETS, rng.pick(SMALL_PRETRAIN_DATA));
  const base: RunChoices = {
    ...c,
    task: "pretrain",
    models: fittedModels("small_pretrain").filter((m) => m.params <= picked.params),
    nodes: 1,
    dataset,
    epochs: 1,
    scenario: "small_pretrain",
  };
  const probe = probeFast({ ...base, models: [picked], stepsPerEpoch: 1000 }) ??
    probeFast({ ...base, stepsPerEpoch: 1000 });
  if (!probe) return null;
  const valS = validationPlan(probe).seconds;
  const saveS = checkpointPlan(probe).seconds;
  const fixedS = expectedStartupSeconds(probe) + estimateExportSeconds(probe) +
    firstStepExtra(probe) + valS + saveS;
  // A script that evaluates on its own interval pays for it every that many steps.
  const every = probe.pacing.evalInterval;
  const stepS = steadyStepSeconds(probe) + (every > 0 ? valS / every : 0);
  const steps = Math.floor((targetS - fixedS) / stepS);
  if (steps < 50) return null;
  const total = niceSteps(steps);
  return drawRunConfig({
    ...base,
    models: [probe.model],
    stepsPerEpoch: total,
    ckptInterval: total,
  });
}

/** A step count a person would type: two significant digits. */
function niceSteps(steps: number): number {
  const unit = 10 ** Math.max(0, Math.floor(Math.log10(steps)) - 1);
  return Math.max(unit, Math.floor(steps / unit) * unit);
}

/**
 * A long pre-training run of the drawn size in one epoch, planned for about 20 tokens a
 * parameter and saved every half hour to three hours; null when its steps are too slow.
 */
function longRun(
  c: RunChoices,
  rng: Rng,
  kind: ScenarioKind,
  maxStepS = MAX_STEP_S,
): RunConfig | null {
  const probe = probeFast({ ...c, task: "pretrain", epochs: 1, scenario: kind }, maxStepS);
  if (!probe) return null;
  const tokens = Math.min(
    probe.dataset.tokens,
    Math.max(LONG_RUN_TOKENS[0], Math.min(LONG_RUN_TOKENS[1], 20 * probe.model.params)),
  );
  const stepS = steadyStepSeconds(probe);
  const total = niceSteps(Math.max(2000, tokens / probe.tokensPerStep));
  const saveS = rng.range(SAVE_EVERY_H[0], SAVE_EVERY_H[1]) * 3600;
  const every = niceInterval(Math.min(total / 4, Math.max(20, saveS / stepS)));
  return drawRunConfig({
    ...c,
    task: "pretrain",
    models: [probe.model],
    dataset: probe.dataset,
    epochs: 1,
    stepsPerEpoch: total,
    ckptInterval: every,
    scenario: kind,
  });
}

/** Choices that draw `cfg` again, with changes. */
function again(c: RunChoices, cfg: RunConfig, more: Partial<RunChoices>): RunChoices {
  return {
    ...c,
    task: cfg.task,
    models: [cfg.model],
    dataset: cfg.dataset,
    epochs: cfg.epochs,
    stepsPerEpoch: cfg.stepsPerEpoch,
    ckptInterval: cfg.ckptInterval,
    scenario: cfg.scenario ?? undefined,
    ...more,
  };
}

/**
 * The same fitted run started afresh, for a script that cannot resume: a resumed tail becomes
 * that many steps run from step 0, a resumed time-limited job starts at 0 under the same limit.
 */
export function freshStart(cfg: RunConfig): Partial<RunChoices> {
  const limited = cfg.timeLimitMs !== null;
  return {
    task: cfg.task,
    models: [cfg.model],
    // The same machines: a run drawn again must not land on another cluster.
    gpu: cfg.gpu,
    nodes: cfg.nodes,
    gpusPerNode: cfg.gpusPerNode,
    dataset: cfg.dataset,
    epochs: limited ? cfg.epochs : 1,
    stepsPerEpoch: limited ? cfg.stepsPerEpoch : cfg.totalSteps - cfg.resumeStep,
    ckptInterval: cfg.ckptInterval,
    logInterval: cfg.logInterval,
    scenario: cfg.scenario ?? undefined,
    resumeStep: 0,
    ...(limited ? { timeLimitS: (cfg.timeLimitMs! - cfg.startMs) / 1000 } : {}),
  };
}

/** The last steps of a long pre-training run, resumed from its last checkpoint. */
function resumeTail(c: RunChoices, rng: Rng, targetS: number): RunConfig | null {
  const probe = longRun(c, rng, "resume_tail");
  if (!probe) return null;
  const stepS = steadyStepSeconds(probe);
  const every = probe.ckptInterval;
  const withResume = drawRunConfig(again(c, probe, { resumeStep: every }));
  const fixedS = expectedStartupSeconds(withResume) + validationPlan(probe).seconds +
    checkpointPlan(probe).seconds + estimateExportSeconds(probe) +
    firstStepExtra(probe);
  const tail = Math.min(every - 1, Math.floor((targetS - fixedS) / stepS));
  if (tail < MIN_TAIL_STEPS) return null;
  const resumeStep = Math.floor((probe.totalSteps - tail) / every) * every;
  if (resumeStep < every) return null;
  return drawRunConfig(again(c, probe, {
    stepsPerEpoch: resumeStep + tail,
    resumeStep,
    logInterval: c.logInterval ?? niceInterval(tail / LOGGED_LINES),
  }));
}

/** Slowest steady step of a run the time limit ends: a dozen steps fit in a couple of minutes. */
const MAX_LIMITED_STEP_S = 8;
/** Latest a fitted run may end, s after its launch. */
const LATEST_END_S = 290;

/**
 * A long pre-training run, fresh or resumed, that the scheduler's time limit ends. Slurm's
 * SIGTERM at the limit leaves no time to save, so a job this short saves on an interval that
 * lands one checkpoint before the limit (as a debug-partition job does).
 */
function timeLimited(c: RunChoices, rng: Rng, targetS: number): RunConfig {
  const probe = longRun(c, rng, "time_limit", MAX_LIMITED_STEP_S) ??
    drawRunConfig({ ...c, scenario: "time_limit" });
  const stepS = steadyStepSeconds(probe);
  const saveS = checkpointPlan(probe).seconds;
  const startupS = expectedStartupSeconds(drawRunConfig(again(c, probe, { resumeStep: 0 }))) +
    firstStepExtra(probe);
  // A dozen steps or more and one save before the limit, and the whole job ends in time.
  const minTrainS = Math.max(30, 12 * stepS) + saveS;
  const limitS = Math.min(LATEST_END_S, Math.max(startupS + minTrainS, targetS));
  const steps = Math.max(1, (limitS - startupS - saveS) / stepS);
  const every = Math.min(probe.ckptInterval, niceFloor(steps * rng.range(0.45, 0.7)));
  const saves = Math.floor(probe.totalSteps / every);
  const resumeStep = rng.chance(0.5) && saves >= 2 ? every * rng.int(1, saves - 1) : 0;
  // A resumed job reads its checkpoint first: its steps start that much later.
  const readS = resumeStep > 0 ? checkpointRead(probe).seconds : 0;
  return drawRunConfig(again(c, probe, {
    resumeStep,
    ckptInterval: every,
    timeLimitS: Math.min(LATEST_END_S, limitS + readS),
    logInterval: c.logInterval ?? niceInterval(steps / LOGGED_LINES),
  }));
}

/** The largest interval a person would type that is at most `raw` (at least 1). */
function niceFloor(raw: number): number {
  const nice = [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000];
  return nice.findLast((n) => n <= raw) ?? 1;
}

/** The model presets a fitted run may draw (for tests and docs). */
export function fittedModels(kind: ScenarioKind): readonly ModelSpec[] {
  if (kind === "small_pretrain") {
    return MODELS.filter((m) => GPT2_FAMILY.includes(m.id));
  }
  if (kind === "finetune") return MODELS.filter((m) => m.real && m.params <= MAX_FINETUNE_PARAMS);
  return MODELS.filter((m) => m.real);
}
