/** The catalogue of models, GPUs and datasets, loaded from data/ as JSON modules. */
import gpusJson from "../../data/gpus.json" with { type: "json" };
import modelsJson from "../../data/models.json" with { type: "json" };
import datasetsJson from "../../data/datasets.json" with { type: "json" };

/** Numeric precision a run trains in. */
export type Precision = "bf16" | "fp16" | "fp8";

/** A GPU model with its published specs. */
export interface GpuSpec {
  id: string;
  aliases: string[];
  name: string;
  vendor: "nvidia" | "amd";
  arch: string;
  computeCapability: string;
  /** Memory as nvidia-smi reports it, MiB. */
  memMiB: number;
  /** Dense tensor-core peak at bf16 (fp16 on Volta), TFLOP/s. */
  bf16Tflops: number;
  /** Dense fp8 peak, TFLOP/s, or null when unsupported. */
  fp8Tflops: number | null;
  tdpW: number;
  idleW: number;
  /** Total NVLink (or Infinity Fabric) bandwidth per GPU, GB/s, both directions. */
  nvlinkGBps: number;
  /** All-reduce bus bandwidth that 8 GPUs inside one node reach, GB/s. */
  intraBusbwGBps: number;
  nicsPerNode: number;
  /** Usable bandwidth of one NIC, GB/s. */
  nicGBps: number;
  nic: string;
  driver: string;
  cuda: string;
  /** Range of model FLOPs utilisation well-tuned runs reach on this GPU. */
  mfu: [number, number];
  precisions: Precision[];
}

/** The experts of a mixture-of-experts model (each MoE layer's MLP is `experts` gated MLPs). */
export interface MoeSpec {
  experts: number;
  /** Experts each token is routed to. */
  topK: number;
  /** Hidden size of one expert's MLP. */
  expertFfn: number;
  /** Hidden size of the shared experts every token also passes through (0: none). */
  sharedFfn: number;
  /** Leading layers with a dense MLP of `ffn` instead of experts. */
  denseLayers: number;
  /** Parameters one token passes through (attention, its top-k and shared experts, embeddings). */
  active: number;
}

/** A decoder-only transformer preset: dense, or a mixture of experts when `moe` is present. */
export interface ModelSpec {
  id: string;
  name: string;
  family: string;
  real: boolean;
  params: number;
  layers: number;
  hidden: number;
  heads: number;
  kvHeads: number;
  ffn: number;
  vocab: number;
  ctx: number;
  tokenizer: string;
  hf: string;
  moe?: MoeSpec;
}

/** One domain of a data mixture with its sampling weight (weights sum to 1). */
export interface DomainWeight {
  name: string;
  weight: number;
}

/** A dataset preset. */
export interface DatasetSpec {
  id: string;
  name: string;
  real: boolean;
  kind: "pretrain" | "finetune";
  tokens: number;
  samples: number;
  domains: DomainWeight[];
  path: string;
  /** A fixed sample of the dataset with this id (e.g. FineWeb's 10B-token sample): only chosen by name. */
  sampleOf?: string;
}

/** All GPU presets. */
export const GPUS: readonly GpuSpec[] = gpusJson as GpuSpec[];
/** All model presets. */
export const MODELS: readonly ModelSpec[] = modelsJson as ModelSpec[];
/** All dataset presets. */
export const DATASETS: readonly DatasetSpec[] = datasetsJson as DatasetSpec[];

function normalise(name: string): string {
  return name.trim().toLowerCase().replace(/[\s_]+/g, "-");
}

/** Finds a GPU by id, alias or display name, case-insensitively; undefined when unknown. */
export function findGpu(name: string): GpuSpec | undefined {
  const key = normalise(name);
  return GPUS.find((g) =>
    g.id === key || g.aliases.includes(key) || normalise(g.name) === key ||
    normalise(g.name).replace(/^(nvidia|amd-instinct)-/, "") === key
  );
}

/** Finds a model preset by id or display name, case-insensitively. */
export function findModel(name: string): ModelSpec | undefined {
  const key = normalise(name);
  return MODELS.find((m) => m.id === key || normalise(m.name) === key);
}

/** Finds a dataset preset by id or display name, case-insensitively. */
export function findDataset(name: string): DatasetSpec | undefined {
  const key = normalise(name);
  return DATASETS.find((d) => d.id === key || normalise(d.name) === key);
}
