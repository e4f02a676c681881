/**
 * Every line shape nanoGPT's train.py prints under torchrun (karpathy/nanoGPT, 2024): the config
 * file configurator.py echoes, the start-up prints, the evaluation, checkpoint and iteration
 * lines, and a torchrun job's crash.
 */
import { namedFaultChain } from "./fault_chain.ts";

/** torch, torchrun and Slurm around a crash: workers write straight to the job's output. */
const CHAIN = namedFaultChain("", String.raw`train\.py`);

/** nanoGPT's line shapes by name. */
export const NANOGPT_CATALOGUE: Record<string, RegExp> = {
  "config echo": /^Overriding config with config\/\w+\.py:$/,
  "config comment": /^# \S.*$/,
  "config setting": /^\w+ = ('[^']*'|-?[\d.e+-]+|True|False|\d+ \* \d+)$/,
  "config override": /^Overriding: \w+ = [\w.-]+$/,
  "tokens per iteration": /^tokens per iteration will be: \d{1,3}(,\d{3})*$/,
  "vocab from meta": /^found vocab_size = \d+ \(inside data\/[\w.-]+\/meta\.pkl\)$/,
  "vocab default":
    /^defaulting to vocab_size of GPT-2 to 50304 \(50257 rounded up for efficiency\)$/,
  "init":
    /^(Initializing a new model from scratch|Resuming training from \S+|Initializing from OpenAI GPT-2 weights: gpt2(-medium|-large|-xl)?)$/,
  "from_pretrained":
    /^(loading weights from pretrained gpt: gpt2\S*|forcing vocab_size=50257, block_size=1024, bias=True|overriding dropout rate to 0\.0)$/,
  "parameters": /^number of parameters: \d+\.\d\dM$/,
  "GradScaler warning":
    /^\/\S+\/train\.py:196: FutureWarning: `torch\.cuda\.amp\.GradScaler\(args\.\.\.\)` is deprecated\. Please use `torch\.amp\.GradScaler\('cuda', args\.\.\.\)` instead\.$/,
  "GradScaler source":
    /^ {2}scaler = torch\.cuda\.amp\.GradScaler\(enabled=\(dtype == 'float16'\)\)$/,
  "optimizer groups":
    /^num (non-)?decayed parameter tensors: \d+, with \d{1,3}(,\d{3})* parameters$/,
  "fused AdamW": /^using fused AdamW: (True|False)$/,
  "compile": /^compiling the model\.\.\. \(takes a ~minute\)$/,
  "eval": /^step \d+: train loss \d+\.\d{4}, val loss \d+\.\d{4}$/,
  "checkpoint": /^saving checkpoint to \S+$/,
  "iter": /^iter \d+: loss (\d+\.\d{4}|nan), time \d+\.\d\dms, mfu -?\d+\.\d\d%$/,
  ...CHAIN,
};
