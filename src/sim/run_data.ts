/** The `run` event's public fields, taken from the run configuration. */
import type { RunData } from "./events.ts";
import type { RunConfig } from "./run_config.ts";

/** Public description of a run (the jsonl `run` event). */
export function runData(cfg: RunConfig): RunData {
  const p = cfg.plan;
  return {
    seed: cfg.seed,
    run_id: cfg.runId,
    model: cfg.model.name,
    params: cfg.model.params,
    nodes: cfg.nodes,
    gpus_per_node: cfg.gpusPerNode,
    gpus: cfg.worldSize,
    gpu: cfg.gpu.name,
    dataset: cfg.dataset.name,
    task: cfg.task,
    epochs: cfg.epochs,
    steps_per_epoch: cfg.stepsPerEpoch,
    total_steps: cfg.totalSteps,
    global_batch: cfg.globalBatch,
    micro_batch: p.microBatch,
    grad_accum: cfg.gradAccum,
    seq_len: cfg.seqLen,
    lr_max: cfg.lrMax,
    lr_min: cfg.lrMin,
    warmup_steps: cfg.warmupSteps,
    schedule: cfg.schedule,
    precision: cfg.precision,
    strategy: p.strategy,
    tp: p.tp,
    pp: p.pp,
    dp: p.dp,
    mem_per_gpu_gib: p.memory.totalGiB,
    gpu_mem_gib: cfg.gpu.memMiB / 1024,
    peak_tflops: cfg.peakTflops,
    busbw_max_gbps: cfg.busbwGBps,
    output_dir: cfg.outputDir,
    ...(cfg.resumeStep > 0 ? { resume_step: cfg.resumeStep } : {}),
  };
}
