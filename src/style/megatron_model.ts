/**
 * The model as Megatron-Core builds it from a preset: its flags (SwiGLU, RMSNorm, biases, tied
 * embeddings), the padded vocabulary, the parameter tensors one (tensor, pipeline) rank holds,
 * and the FLOPs per batch its throughput column divides by the interval time.
 */
import type { ModelSpec } from "../sim/catalog.ts";
import type { RunConfig } from "../sim/run_config.ts";

/** Megatron's view of a preset's architecture. */
export interface MegatronArch {
  swiglu: boolean;
  rmsnorm: boolean;
  /** Biases on every linear layer (`--disable-bias-linear` absent). */
  bias: boolean;
  /** Biases on the QKV projection only (`--add-qkv-bias`, Qwen). */
  qkvBias: boolean;
  rope: boolean;
  untied: boolean;
  /** Multi-latent attention (DeepSeek-V2). */
  mla: boolean;
  kvChannels: number;
  paddedVocab: number;
  /** Size of the expert-parallel groups; 1 for a dense model. */
  ep: number;
}

/** Families whose MLP is two matrices with GeLU; every other family gates with SwiGLU. */
const GELU_FAMILIES = new Set(["gpt2", "bloom", "falcon", "gpt-neox"]);
/** Families with biases on every linear layer. */
const BIAS_FAMILIES = new Set(["gpt2", "bloom", "gpt-neox"]);

/** Vocabulary padded to a multiple of 128 × TP, as Megatron sizes its embedding. */
export function paddedVocab(cfg: RunConfig): number {
  const unit = 128 * cfg.plan.tp;
  return Math.ceil(cfg.model.vocab / unit) * unit;
}

/** Parameters of the transformer layers, without embeddings, biases and norms. */
function bodyParams(m: ModelSpec): number {
  const h = m.hidden;
  const attention = 2 * h * h + 2 * h * (h / m.heads) * m.kvHeads;
  const dense = (GELU_FAMILIES.has(m.family) ? 2 : 3) * h * m.ffn;
  if (!m.moe) return m.layers * (attention + dense);
  const e = m.moe;
  const experts = 3 * h * (e.expertFfn * e.experts + e.sharedFfn) + h * e.experts;
  return m.layers * attention + e.denseLayers * dense + (m.layers - e.denseLayers) * experts;
}

/** Whether the preset's parameter count says its output layer is separate from the embedding. */
function untiedEmbeddings(m: ModelSpec): boolean {
  const rest = m.params - bodyParams(m), embedding = m.vocab * m.hidden;
  return Math.abs(rest - 2 * embedding) < Math.abs(rest - embedding);
}

/** Expert-parallel size: the largest of 8, 4, 2 dividing the experts and the data-parallel size. */
function expertParallel(cfg: RunConfig): number {
  const e = cfg.model.moe;
  if (!e) return 1;
  return [8, 4, 2].find((n) => e.experts % n === 0 && cfg.plan.dp % n === 0) ?? 1;
}

/** The run's model as Megatron configures it. */
export function megatronArch(cfg: RunConfig): MegatronArch {
  const m = cfg.model;
  const gelu = GELU_FAMILIES.has(m.family);
  return {
    swiglu: !gelu,
    rmsnorm: !gelu,
    bias: BIAS_FAMILIES.has(m.family),
    qkvBias: m.family === "qwen" || m.family === "qwen2-moe",
    rope: m.family !== "gpt2" && m.family !== "bloom",
    untied: untiedEmbeddings(m),
    mla: m.family === "deepseek",
    kvChannels: m.hidden / m.heads,
    paddedVocab: paddedVocab(cfg),
    ep: expertParallel(cfg),
  };
}

/** One parameter tensor of a rank: its name in the module tree and its element count. */
export interface ParamTensor {
  name: string;
  numel: number;
  /** Held by the expert-parallel gradient buffer. */
  expert: boolean;
}

/** Whether layer `i` (0-based, global) has experts instead of a dense MLP. */
function isMoeLayer(m: ModelSpec, i: number): boolean {
  return m.moe !== undefined && i >= m.moe.denseLayers;
}

/** The tensors of global layer `global` (module index `local` in its stage) on one TP rank. */
function layerTensors(cfg: RunConfig, a: MegatronArch, global: number, local: number) {
  const m = cfg.model, tp = cfg.plan.tp, h = m.hidden;
  const out: ParamTensor[] = [];
  const add = (name: string, numel: number, expert = false) =>
    out.push({ name: `module.decoder.layers.${local}.${name}`, numel: Math.round(numel), expert });
  const norm = (prefix: string) => {
    add(`${prefix}weight`, h);
    if (!a.rmsnorm) add(`${prefix}bias`, h);
  };
  const qkv = (h + 2 * a.kvChannels * m.kvHeads) / tp;
  norm("self_attention.linear_qkv.layer_norm_");
  add("self_attention.linear_qkv.weight", qkv * h);
  if (a.bias || a.qkvBias) add("self_attention.linear_qkv.bias", qkv);
  add("self_attention.linear_proj.weight", (h * h) / tp);
  if (a.bias) add("self_attention.linear_proj.bias", h);
  const fc1 = a.swiglu ? 2 : 1;
  if (!isMoeLayer(m, global)) {
    norm("mlp.linear_fc1.layer_norm_");
    add("mlp.linear_fc1.weight", (fc1 * m.ffn * h) / tp);
    if (a.bias) add("mlp.linear_fc1.bias", (fc1 * m.ffn) / tp);
    add("mlp.linear_fc2.weight", (m.ffn * h) / tp);
    if (a.bias) add("mlp.linear_fc2.bias", h);
    return out;
  }
  const e = m.moe!, localExperts = e.experts / a.ep;
  norm("pre_mlp_layernorm.");
  add("mlp.router.weight", e.experts * h);
  add("mlp.experts.weight1", (fc1 * e.expertFfn * h * localExperts) / tp, true);
  add("mlp.experts.weight2", (e.expertFfn * h * localExperts) / tp, true);
  if (e.sharedFfn > 0) {
    add("mlp.shared_experts.linear_fc1.weight", (fc1 * e.sharedFfn * h) / tp);
    add("mlp.shared_experts.linear_fc2.weight", (e.sharedFfn * h) / tp);
  }
  return out;
}

/** The parameter tensors pipeline stage `pp` holds on each of its tensor-parallel ranks. */
export function stageTensors(cfg: RunConfig, a: MegatronArch, pp: number): ParamTensor[] {
  const m = cfg.model, p = cfg.plan, h = m.hidden;
  const per = m.layers / p.pp;
  const out: ParamTensor[] = [];
  const add = (name: string, numel: number) => out.push({ name, numel, expert: false });
  if (pp === 0) {
    add("module.embedding.word_embeddings.weight", (a.paddedVocab * h) / p.tp);
    if (!a.rope) add("module.embedding.position_embeddings.weight", m.ctx * h);
  }
  for (let i = 0; i < per; i++) out.push(...layerTensors(cfg, a, pp * per + i, i));
  if (pp === p.pp - 1) {
    add("module.decoder.final_layernorm.weight", h);
    if (!a.rmsnorm) add("module.decoder.final_layernorm.bias", h);
    // Tied embeddings still need the head's copy of the embedding on a separate last stage.
    if (a.untied || p.pp > 1) add("module.output_layer.weight", (a.paddedVocab * h) / p.tp);
  }
  return out;
}

/** Parameters on one tensor-parallel rank of stage `pp`, as Megatron counts them at build. */
export function paramsOnStage(cfg: RunConfig, a: MegatronArch, pp: number): number {
  return stageTensors(cfg, a, pp).reduce((n, t) => n + t.numel, 0);
}

/**
 * Megatron's FLOPs for one global batch (`num_floating_point_operations`): 12 × the GEMMs of
 * attention, MLP (dense, routed and shared experts) and logits; the newer formula counts half
 * of the causal attention matrix and six FLOPs per logit.
 */
export function flopsPerBatch(cfg: RunConfig, a: MegatronArch, halfCausal: boolean): number {
  const m = cfg.model, h = m.hidden, s = cfg.seqLen, L = m.layers, e = m.moe;
  const gated = a.swiglu ? 1.5 : 1;
  const moeLayers = e ? L - e.denseLayers : 0;
  const routed = e ? (e.expertFfn * e.topK + e.sharedFfn) * moeLayers : 0;
  const mlp = (gated * (m.ffn * (L - moeLayers) + routed)) / L;
  const ratio = (a.kvChannels * m.heads) / h;
  const attn = (1 + m.kvHeads / m.heads + s / h / (halfCausal ? 2 : 1)) * ratio;
  const b = cfg.globalBatch;
  if (!halfCausal) return 12 * b * s * L * h * h * (attn + mlp / h + a.paddedVocab / (2 * L * h));
  return b * s * (12 * L * h * mlp + 12 * L * h * h * attn + 6 * h * a.paddedVocab);
}
