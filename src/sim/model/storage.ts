/** Checkpoint and export sizes, and how long writing them takes. */

/** Bytes of a full training checkpoint: bf16 weights plus fp32 master weights and Adam moments. */
export function checkpointBytes(params: number): number {
  return params * (2 + 12);
}

/** Aggregate write bandwidth of the shared file system for `nodes` writers, GB/s. */
export function storageBandwidthGBps(nodes: number, perNodeGBps: number, capGBps: number): number {
  return Math.min(capGBps, nodes * perNodeGBps);
}

/** Seconds to write `bytes` at `bandwidthGBps`, plus a fixed metadata and barrier cost. */
export function writeSeconds(bytes: number, bandwidthGBps: number, fixedS = 2.5): number {
  return bytes / (bandwidthGBps * 1e9) + fixedS;
}

/** An export target: file format and bytes per parameter. */
export interface ExportFormat {
  format: string;
  bytesPerParam: number;
  /** Largest shard, bytes; 0 for a single file. */
  shardBytes: number;
  extension: string;
}

/** Export formats: Hugging Face safetensors (bf16, 5 GB shards) and GGUF (Q8_0, one file). */
export const EXPORT_FORMATS: readonly ExportFormat[] = [
  { format: "safetensors", bytesPerParam: 2, shardBytes: 5e9, extension: "safetensors" },
  { format: "gguf", bytesPerParam: 1.0625, shardBytes: 0, extension: "gguf" },
];

/**
 * The formats a run exports: a fine-tune is shipped as Hugging Face safetensors and a GGUF for
 * local inference; a pre-training run only converts its checkpoint to safetensors.
 */
export function exportFormats(task: "pretrain" | "finetune"): readonly ExportFormat[] {
  return task === "finetune" ? EXPORT_FORMATS : EXPORT_FORMATS.slice(0, 1);
}

/** Sizes of each shard a format writes for `params` parameters. */
export function exportShards(params: number, f: ExportFormat): number[] {
  const total = Math.round(params * f.bytesPerParam + 1_048_576);
  if (f.shardBytes <= 0 || total <= f.shardBytes) return [total];
  const count = Math.ceil(total / f.shardBytes);
  const each = Math.floor(total / count);
  return Array.from(
    { length: count },
    (_, i) => (i === count - 1 ? total - each * (count - 1) : each),
  );
}
