/**
 * llm.c's multi-line moments: HellaSwag's progress residue and result, a checkpoint written by
 * every process, and Open MPI's mpirun ending the job when one process exits with an error.
 */
import type { RunConfig } from "../sim/run_config.ts";
import type { Rng } from "../sim/rng.ts";
import { HELLASWAG_EXAMPLES } from "../sim/phases/train.ts";
import { interleave } from "./ranks.ts";

/** Completions per HellaSwag example, four to a batch row. */
const COMPLETIONS = 4;

/** HellaSwag batches each process runs: its share of examples, B / 4 of them per batch. */
export function hellaswagBatches(cfg: RunConfig): number {
  const perProcess = Math.ceil(HELLASWAG_EXAMPLES / cfg.worldSize);
  return Math.ceil(perProcess / Math.max(1, Math.floor(cfg.plan.microBatch / COMPLETIONS)));
}

/**
 * The `evaluating HellaSwag: i/n` progress every process writes with a carriage return (what a
 * captured log keeps of it is its last update), then rank 0's `correct/total = accuracy`.
 */
export function hellaswagLines(cfg: RunConfig, accuracy: number): string[] {
  const n = hellaswagBatches(cfg);
  // The progress prints every tenth batch; what stays on the line is the last of them.
  const shown = Math.floor((n - 1) / 10) * 10;
  const correct = Math.max(
    0,
    Math.min(HELLASWAG_EXAMPLES, Math.round(accuracy * HELLASWAG_EXAMPLES)),
  );
  const acc = Math.fround(Math.fround(correct) / HELLASWAG_EXAMPLES);
  return [
    `evaluating HellaSwag: ${shown}/${n}`,
    `HellaSwag: ${correct}/${HELLASWAG_EXAMPLES} = ${acc.toFixed(6)}`,
  ];
}

/** `%08d` and `%05d`. */
function pad(n: number, width: number): string {
  return String(n).padStart(width, "0");
}

/**
 * write_checkpoint(): rank 0 announces it and writes the model; every process writes its state
 * file and says so with a plain printf, so the other ranks' lines fall in anywhere.
 */
export function checkpointLines(cfg: RunConfig, logDir: string, step: number, rng: Rng): string {
  const state = (rank: number) =>
    `Writing state to ${logDir}/state_${pad(step, 8)}_${pad(rank, 5)}.bin`;
  const rank0 = [`Writing model to ${logDir}/model_${pad(step, 8)}.bin`, state(0)];
  const others = Array.from({ length: cfg.worldSize - 1 }, (_, i) => [state(i + 1)]);
  return [`Writing checkpoint at step ${step}`, ...interleave([rank0, ...others], rng)].join("\n");
}

const DASHES = "-".repeat(74);

/** Open MPI's mpirun after process `rank` of job `launch` exited with status 1. */
export function mpirunAbort(cfg: RunConfig, rank: number, launch: number, rng: Rng): string[] {
  if (cfg.worldSize === 1) return [];
  const job = 10000 + ((cfg.seed * 7 + launch * 7919 + rng.int(0, 9999)) % 55000);
  return [
    DASHES,
    "Primary job  terminated normally, but 1 process returned",
    "a non-zero exit code. Per user-direction, the job has been aborted.",
    DASHES,
    DASHES,
    "mpirun detected that one or more processes exited with non-zero status, thus causing",
    "the job to be terminated. The first process to do so was:",
    "",
    `  Process name: [[${job},1],${rank}]`,
    "  Exit code:    1",
    DASHES,
  ];
}
