/**
 * What nanoGPT's train.py prints before its loop: the config file configurator.py echoes, the
 * tokens per iteration, the model and optimizer lines, and torch.compile's notice. Every DDP
 * rank prints all of it (none of these prints is guarded by master_process), so a multi-GPU
 * log holds one copy per rank, mixed print by print.
 */
import type { RunConfig } from "../sim/run_config.ts";
import { createRng, type Rng } from "../sim/rng.ts";
import { pyStr } from "../format/python_repr.ts";
import { thousands } from "../format/units.ts";
import { interleave, shuffled, startupRanks } from "./ranks.ts";
import { nanogptEvalIters } from "./pacing.ts";
import { torchAtLeast } from "./torch_source.ts";
import { followsTrainGpt2 } from "./nanogpt_recipes.ts";
import { shellNumber } from "./deepspeed_script.ts";

/** GPT(n_layer, n_head, n_embd) as nanoGPT's model.py builds it for the run. */
export interface NanoModel {
  layers: number;
  heads: number;
  embd: number;
  vocab: number;
  block: number;
  bias: boolean;
  /** The OpenAI checkpoint the run starts from, or null when trained from scratch. */
  pretrained: string | null;
}

const OPENAI_SIZES: Record<string, string> = {
  "gpt2-124m": "gpt2",
  "gpt2-355m": "gpt2-medium",
  "gpt2-774m": "gpt2-large",
  "gpt2-1.5b": "gpt2-xl",
};

/** The model of the run: GPT-2's vocabulary is padded to 50304 when trained from scratch. */
export function nanoModel(cfg: RunConfig): NanoModel {
  const m = cfg.model;
  const pretrained = cfg.task === "finetune" ? OPENAI_SIZES[m.id] ?? null : null;
  return {
    layers: m.layers,
    heads: m.heads,
    embd: m.hidden,
    vocab: pretrained ? 50257 : m.vocab === 50257 ? 50304 : m.vocab,
    block: cfg.seqLen,
    bias: pretrained !== null,
    pretrained,
  };
}

/** Parameter tensors and counts as configure_optimizers() groups them (2-D ones decay). */
export function paramGroups(n: NanoModel) {
  const c = n.embd, l = n.layers;
  const decay = n.vocab * c + n.block * c + l * 12 * c * c;
  const normTensors = 2 * l + 1;
  const biasTensors = n.bias ? normTensors + 4 * l : 0;
  const noDecay = normTensors * c + (n.bias ? normTensors * c + l * (3 * c + c + 4 * c + c) : 0);
  return {
    decayTensors: 2 + 4 * l,
    decay,
    noDecayTensors: normTensors + biasTensors,
    noDecay,
    /** get_num_params(): everything but the position embeddings. */
    params: decay + noDecay - n.block * c,
  };
}

/** nanoGPT's data directory for the run's dataset (data/<name>/train.bin). */
export function dataDir(cfg: RunConfig): string {
  return cfg.dataset.id.replaceAll("-", "_");
}

/** The name of the run's config file. */
export function configPath(cfg: RunConfig): string {
  // The recipe's settings, in the user's own copy of the config (its name is theirs).
  if (followsTrainGpt2(cfg)) {
    return createRng(cfg.seed, "style:nanogpt:config").pick([
      "config/train_gpt2_owt.py",
      "config/train_gpt2_124m.py",
      cfg.worldSize === 8 ? "config/gpt2_owt_8gpu.py" : `config/gpt2_owt_${cfg.worldSize}gpu.py`,
      "config/train_owt.py",
    ]);
  }
  if (cfg.model.family !== "gpt2") return `config/train_${cfg.model.id.replace(/[.-]/g, "_")}.py`;
  return cfg.dataset.id === "openwebtext"
    ? "config/train_gpt2.py"
    : `config/train_${dataDir(cfg)}.py`;
}

/** The GPU's name without its vendor's words (H100 80GB HBM3, A100-SXM4-80GB, MI300X). */
function shortGpu(cfg: RunConfig): string {
  return cfg.gpu.name.replace(/^(NVIDIA|Tesla|AMD Instinct) /, "");
}

/** The config file's text, as configurator.py prints it (its own comments included). */
function configText(cfg: RunConfig, n: NanoModel, outDir: string, logInterval: number): string {
  const g = cfg.gpusPerNode, world = cfg.worldSize;
  const launch = world === 1
    ? `python train.py ${configPath(cfg)}`
    : cfg.nodes === 1
    ? `torchrun --standalone --nproc_per_node=${g} train.py ${configPath(cfg)}`
    : `torchrun --nnodes=${cfg.nodes} --nproc_per_node=${g} ... train.py ${configPath(cfg)}`;
  const arch = cfg.model.id === "gpt2-124m" || n.pretrained
    ? []
    : ["", `n_layer = ${n.layers}`, `n_head = ${n.heads}`, `n_embd = ${n.embd}`];
  const dtype = cfg.precision === "fp16" ? ["dtype = 'float16'"] : [];
  // Each person writes their copy their own way: with or without the comments.
  const own = createRng(cfg.seed, "style:nanogpt:config-text");
  const header = own.chance(0.55), tokens = own.chance(0.5);
  return [
    ...(header
      ? [
        `# ${cfg.model.name} on ${dataDir(cfg)}, ${
          cfg.nodes === 1 ? "1 node" : `${cfg.nodes} nodes`
        } ` +
        `of ${g}X ${shortGpu(cfg)}`,
        `# $ ${launch}`,
        "",
      ]
      : []),
    "wandb_log = False",
    `out_dir = ${pyStr(outDir)}`,
    `dataset = ${pyStr(dataDir(cfg))}`,
    ...(n.pretrained ? [`init_from = ${pyStr(n.pretrained)}`] : []),
    "",
    ...(tokens
      ? [
        `# ${cfg.plan.microBatch} batch * ${cfg.seqLen} block * ${cfg.gradAccum} accum * ` +
        `${world} GPU${world > 1 ? "s" : ""} = ${
          thousands(cfg.tokensPerStep)
        } tokens per iteration`,
      ]
      : []),
    `batch_size = ${cfg.plan.microBatch}`,
    `block_size = ${cfg.seqLen}`,
    `gradient_accumulation_steps = ${world > 1 ? `${cfg.gradAccum} * ${world}` : cfg.gradAccum}`,
    ...arch,
    "",
    `max_iters = ${cfg.totalSteps - 1}`,
    `lr_decay_iters = ${cfg.totalSteps - 1}`,
    // Typed by a person: `6e-4`, not Python's repr of the float.
    `learning_rate = ${shellNumber(cfg.lrMax)}`,
    `min_lr = ${shellNumber(cfg.lrMin)}`,
    `warmup_iters = ${cfg.warmupSteps}`,
    "weight_decay = 1e-1",
    ...dtype,
    "",
    `eval_interval = ${cfg.pacing.evalInterval}`,
    `eval_iters = ${nanogptEvalIters(cfg)}`,
    `log_interval = ${logInterval}`,
    "",
  ].join("\n");
}

/** Where this run's train.py lives (the warnings and tracebacks name it). */
export function scriptPath(cfg: RunConfig): string {
  return `${cfg.cluster.home}/nanoGPT/train.py`;
}

/** What one rank prints from configurator.py to `tokens per iteration`: a list of prints. */
function configPrints(cfg: RunConfig, outDir: string, logInterval: number, resumed: boolean) {
  const n = nanoModel(cfg);
  return [
    `Overriding config with ${configPath(cfg)}:`,
    configText(cfg, n, outDir, logInterval),
    ...(resumed ? ["Overriding: init_from = resume"] : []),
    `tokens per iteration will be: ${thousands(cfg.tokensPerStep)}`,
  ];
}

/** One rank's model prints, from the vocabulary to the parameter count. */
function modelPrints(cfg: RunConfig, outDir: string, resumed: boolean): string[] {
  const n = nanoModel(cfg);
  const params = `number of parameters: ${(paramGroups(n).params / 1e6).toFixed(2)}M`;
  if (resumed) return [`Resuming training from ${outDir}`, params];
  if (n.pretrained) {
    return [
      `Initializing from OpenAI GPT-2 weights: ${n.pretrained}`,
      `loading weights from pretrained gpt: ${n.pretrained}`,
      "forcing vocab_size=50257, block_size=1024, bias=True",
      "overriding dropout rate to 0.0",
      params,
    ];
  }
  const vocab = n.vocab === 50304
    ? [
      "Initializing a new model from scratch",
      "defaulting to vocab_size of GPT-2 to 50304 (50257 rounded up for efficiency)",
    ]
    : [
      `found vocab_size = ${n.vocab} (inside data/${dataDir(cfg)}/meta.pkl)`,
      "Initializing a new model from scratch",
    ];
  return [...vocab, params];
}

/** One rank's optimizer prints and the compile notice (with torch 2.4's GradScaler warning). */
function optimizerPrints(cfg: RunConfig): string[] {
  const g = paramGroups(nanoModel(cfg));
  const warning = torchAtLeast(cfg, 4)
    ? [
      `${scriptPath(cfg)}:196: FutureWarning: \`torch.cuda.amp.GradScaler(args...)\` is ` +
      "deprecated. Please use `torch.amp.GradScaler('cuda', args...)` instead.\n" +
      "  scaler = torch.cuda.amp.GradScaler(enabled=(dtype == 'float16'))",
    ]
    : [];
  return [
    ...warning,
    `num decayed parameter tensors: ${g.decayTensors}, with ${thousands(g.decay)} parameters`,
    `num non-decayed parameter tensors: ${g.noDecayTensors}, with ${thousands(g.noDecay)} ` +
    "parameters",
    "using fused AdamW: True",
    "compiling the model... (takes a ~minute)",
  ];
}

/** The start-up prints of one stage for every rank shown, mixed print by print. */
function everyRank(cfg: RunConfig, rng: Rng, prints: string[]): string {
  const ranks = cfg.worldSize === 1 ? [0] : startupRanks(cfg);
  return interleave(shuffled(ranks, rng).map(() => prints), rng).join("\n");
}

/** Which start-up stage a line belongs to. */
export type SetupStage = "config" | "model" | "optimizer";

/** A start-up stage as all ranks print it; `resumed`: the launch loads out_dir's checkpoint. */
export function setupStage(
  cfg: RunConfig,
  stage: SetupStage,
  rng: Rng,
  o: { outDir: string; logInterval: number; resumed: boolean },
): string {
  const prints = stage === "config"
    ? configPrints(cfg, o.outDir, o.logInterval, o.resumed)
    : stage === "model"
    ? modelPrints(cfg, o.outDir, o.resumed)
    : optimizerPrints(cfg);
  return everyRank(cfg, rng, prints);
}
