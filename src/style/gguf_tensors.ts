/**
 * What llama.cpp's `convert_hf_to_gguf.py` says while it converts a fine-tuned checkpoint: the
 * safetensors parts it reads, one line per tensor (its GGUF name padded to the longest name its
 * architecture's tensor map knows, the source dtype, the output type and the GGUF shape), the
 * model's parameters and the tokenizer's special tokens. Only the decoder families whose tensor
 * layout is written out here have a listing (Llama and Mistral, Qwen2, Gemma 2).
 */
import type { ModelSpec } from "../sim/catalog.ts";
import { configFlag, configNumber, pyFloatRepr } from "./hf_model_config.ts";

/** One tensor of the checkpoint, as the state dict names it and as GGUF will. */
interface Tensor {
  hf: string;
  gguf: string;
  /** PyTorch's shape (GGUF prints it reversed). */
  shape: number[];
}

/** A decoder family's layout: its GGUF architecture's longest tensor-type name and its blocks. */
interface Layout {
  /** The longest per-block tensor-type name in the architecture's tensor map. */
  longestType: number;
  block: (m: ModelSpec, d: Dims, n: number) => Tensor[];
}

/** Widths of a block's attention projections: queries' and keys'/values' output sizes. */
interface Dims {
  q: number;
  kv: number;
}

function dims(m: ModelSpec): Dims {
  const hd = configNumber(m, "head_dim") ?? Math.floor(m.hidden / m.heads);
  return { q: m.heads * hd, kv: m.kvHeads * hd };
}

/** A decoder block's tensors in the order the model's modules register them. */
function llamaBlock(
  m: ModelSpec,
  d: Dims,
  n: number,
  biases: boolean,
  gemmaNorms: boolean,
): Tensor[] {
  const { q, kv } = d, h = m.hidden, at = `model.layers.${n}`, blk = `blk.${n}`;
  const t = (hf: string, gguf: string, shape: number[]): Tensor => ({
    hf: `${at}.${hf}`,
    gguf: `${blk}.${gguf}`,
    shape,
  });
  const attn = [
    t("self_attn.q_proj.weight", "attn_q.weight", [q, h]),
    ...(biases ? [t("self_attn.q_proj.bias", "attn_q.bias", [q])] : []),
    t("self_attn.k_proj.weight", "attn_k.weight", [kv, h]),
    ...(biases ? [t("self_attn.k_proj.bias", "attn_k.bias", [kv])] : []),
    t("self_attn.v_proj.weight", "attn_v.weight", [kv, h]),
    ...(biases ? [t("self_attn.v_proj.bias", "attn_v.bias", [kv])] : []),
    t("self_attn.o_proj.weight", "attn_output.weight", [h, q]),
  ];
  const mlp = [
    t("mlp.gate_proj.weight", "ffn_gate.weight", [m.ffn, h]),
    t("mlp.up_proj.weight", "ffn_up.weight", [m.ffn, h]),
    t("mlp.down_proj.weight", "ffn_down.weight", [h, m.ffn]),
  ];
  const norms = gemmaNorms
    ? [
      t("input_layernorm.weight", "attn_norm.weight", [h]),
      t("post_attention_layernorm.weight", "post_attention_norm.weight", [h]),
      t("pre_feedforward_layernorm.weight", "ffn_norm.weight", [h]),
      t("post_feedforward_layernorm.weight", "post_ffw_norm.weight", [h]),
    ]
    : [
      t("input_layernorm.weight", "attn_norm.weight", [h]),
      t("post_attention_layernorm.weight", "ffn_norm.weight", [h]),
    ];
  return [...attn, ...mlp, ...norms];
}

const LAYOUTS: Record<string, Layout> = {
  // LLAMA's map has `attn_rot_embd` and `ffn_gate_exps`/`ffn_down_exps` (13 characters).
  llama: { longestType: 13, block: (m, d, n) => llamaBlock(m, d, n, false, false) },
  mistral: { longestType: 13, block: (m, d, n) => llamaBlock(m, d, n, false, false) },
  // QWEN2's longest is `attn_output`.
  qwen: { longestType: 11, block: (m, d, n) => llamaBlock(m, d, n, true, false) },
  // GEMMA2's is `post_attention_norm`.
  gemma: { longestType: 19, block: (m, d, n) => llamaBlock(m, d, n, false, true) },
};

/** Whether the converter's per-tensor listing is written out for the model's family. */
export function hasTensorListing(m: ModelSpec): boolean {
  return m.family in LAYOUTS;
}

/** The state dict in registration order: embeddings, blocks, final norm, head unless tied. */
function stateDict(m: ModelSpec): Tensor[] {
  const layout = LAYOUTS[m.family];
  const d = dims(m);
  // Gemma's config leaves the key out: its class ties the head by default.
  const tied = configFlag(m, "tie_word_embeddings") ?? m.family === "gemma";
  return [
    { hf: "model.embed_tokens.weight", gguf: "token_embd.weight", shape: [m.vocab, m.hidden] },
    ...Array.from({ length: m.layers }, (_, n) => layout.block(m, d, n)).flat(),
    { hf: "model.norm.weight", gguf: "output_norm.weight", shape: [m.hidden] },
    ...(tied ? [] : [{ hf: "lm_head.weight", gguf: "output.weight", shape: [m.vocab, m.hidden] }]),
  ];
}

/**
 * The checkpoint's safetensors parts as `save_pretrained` cut them (bf16, a new part whenever
 * the next tensor would pass 5 GB), each part's tensors in the sorted order the converter reads.
 */
function parts(m: ModelSpec): Tensor[][] {
  const out: Tensor[][] = [[]];
  let bytes = 0;
  for (const t of stateDict(m)) {
    const size = 2 * t.shape.reduce((a, b) => a * b, 1);
    if (bytes > 0 && bytes + size > 5e9) {
      out.push([]);
      bytes = 0;
    }
    out[out.length - 1].push(t);
    bytes += size;
  }
  return out.map((p) => [...p].sort((a, b) => (a.hf < b.hf ? -1 : a.hf > b.hf ? 1 : 0)));
}

/** The converter's lines for each part and each tensor it maps (Q8_0 out; vectors stay F32). */
export function tensorLines(m: ModelSpec): string[] {
  const all = parts(m);
  const width = "blk.".length + String(m.layers - 1).length + 1 + LAYOUTS[m.family].longestType +
    ".weight,".length;
  const name = (i: number) =>
    all.length === 1
      ? "model.safetensors"
      : `model-${String(i + 1).padStart(5, "0")}-of-${
        String(all.length).padStart(5, "0")
      }.safetensors`;
  return all.flatMap((part, i) => [
    `INFO:hf-to-gguf:gguf: loading model part '${name(i)}'`,
    ...part.map((t) => {
      const out = t.shape.length === 1 ? "F32" : "Q8_0";
      const shape = [...t.shape].reverse().join(", ");
      return `INFO:hf-to-gguf:${`${t.gguf},`.padEnd(width)} torch.bfloat16 --> ${out}, ` +
        `shape = {${shape}}`;
    }),
  ]);
}

/** The tokenizer's facts the converter reports, by the model's tokenizer. */
function vocabLines(m: ModelSpec): string[] {
  const v = (s: string) => `INFO:gguf.vocab:${s}`;
  const special = (pairs: Array<[string, number]>) =>
    pairs.map(([k, id]) => v(`Setting special token type ${k} to ${id}`));
  if (m.id.startsWith("llama-3")) {
    return [v("Adding 280147 merge(s)."), ...special([["bos", 128000], ["eos", 128001]])];
  }
  if (m.family === "qwen") {
    return [
      v("Adding 151387 merge(s)."),
      ...special([["eos", 151643], ["pad", 151643], ["bos", 151643]]),
      v("Setting add_bos_token to False"),
    ];
  }
  if (m.family === "gemma") {
    return [
      ...special([["bos", 2], ["eos", 1], ["unk", 3], ["pad", 0]]),
      v("Setting add_bos_token to True"),
      v("Setting add_eos_token to False"),
    ];
  }
  return [
    ...special([["bos", 1], ["eos", 2], ["unk", 0]]),
    v("Setting add_bos_token to True"),
    v("Setting add_eos_token to False"),
  ];
}

/** `set_gguf_parameters()`'s report, then the tokenizer's, for a listed family. */
export function metadataLines(m: ModelSpec): string[] {
  const g = (s: string) => `INFO:hf-to-gguf:gguf: ${s}`;
  const theta = configNumber(m, "rope_theta") ?? 10000;
  const eps = configNumber(m, "rms_norm_eps") ?? 1e-5;
  return [
    "INFO:hf-to-gguf:Set meta model",
    "INFO:hf-to-gguf:Set model parameters",
    g(`context length = ${m.ctx}`),
    g(`embedding length = ${m.hidden}`),
    g(`feed forward length = ${m.ffn}`),
    g(`head count = ${m.heads}`),
    g(`key-value head count = ${m.kvHeads}`),
    g(`rope theta = ${pyFloatRepr(theta)}`),
    g(`rms norm epsilon = ${pyFloatRepr(eps)}`),
    // LlamaFileType.MOSTLY_Q8_0.
    g("file type = 7"),
    "INFO:hf-to-gguf:Set model tokenizer",
    ...vocabLines(m),
    "INFO:hf-to-gguf:Set model quantization version",
  ];
}

/** Tensors the GGUF file holds (the listing's count). */
export function listedTensorCount(m: ModelSpec): number {
  return stateDict(m).length;
}
