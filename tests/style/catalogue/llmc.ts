/**
 * Every line shape llm.c's train_gpt2cu prints (karpathy/llm.c master, late 2024) under mpirun:
 * its table, allocations, step, validation, HellaSwag and checkpoint lines, the closing average,
 * a CUDA error with Open MPI's abort, and Slurm cancelling the job.
 */

/** llm.c's line shapes by name. */
export const LLMC_CATALOGUE: Record<string, RegExp> = {
  "single-GPU build": /^Multi-GPU support is disabled\. Using a single GPU\.$/,
  "table border": /^\+-{23}\+-{52}\+$/,
  "table row": /^\| [\w ()]{21} \| .{50,} \|$/,
  "zero notice": /^\| Zero Optimization is disabled, Can't equally partition parameters {10}\|$/,
  "HellaSwag missing":
    /^(HellaSwag eval not found at dev\/data\/hellaswag\/hellaswag_val\.bin, skipping its evaluation|You can run `python dev\/data\/hellaswag\.py` to export and use it with `-h 1`\.)$/,
  "parameters": /^num_parameters: \d+ => bytes: \d+$/,
  "allocated": /^allocated \d+ MiB for model parameters$/,
  "batch": /^batch_size B=\d+ \* seq_len T=\d+ \* num_processes=\d+ and total_batch_size=\d+$/,
  "grad accum": /^=> setting grad_accum_steps=\d+$/,
  "log dir": /^created directory: \S+$/,
  "allocating":
    /^allocating \d+ MiB for (parameter gradients|activations|AdamW optimizer state [mv]|master copy of params)$/,
  "device memory": /^device memory usage: \d+ MiB \/ \d+ MiB$/,
  "memory per sequence": /^memory per sequence: \d+ MiB$/,
  "max batch": /^ -> estimated maximum batch size: \d+$/,
  "val loss": /^val loss \d+\.\d{6}$/,
  "step":
    /^step +\d+\/\d+ \| loss (\d+\.\d{6}|nan) \([+-](\d+\.\d\d|nan)z\)\| norm (\d+\.\d{4}|nan) \([+-](\d+\.\d\d|nan)z\)\| lr \d\.\d\de[+-]\d\d \| \d+\.\d\d ms \| -?\d+\.\d% bf16 MFU \| \d+ tok\/s$/,
  "HellaSwag progress": /^evaluating HellaSwag: \d+\/\d+$/,
  "HellaSwag": /^HellaSwag: \d+\/10042 = [01]\.\d{6}$/,
  "checkpoint": /^Writing checkpoint at step \d+$/,
  "model file": /^Writing model to \S+\/model_\d{8}\.bin$/,
  "state file": /^Writing state to \S+\/state_\d{8}_\d{5}\.bin$/,
  "average": /^total average iteration time: \d+\.\d{6} ms$/,
  "CUDA error": /^\[CUDA ERROR\] at file train_gpt2\.cu:\d+:$/,
  "CUDA error string":
    /^(uncorrectable ECC error encountered|unspecified launch failure|out of memory)$/,
  "mpirun rule": /^-{74}$/,
  "mpirun abort":
    /^(Primary job {2}terminated normally, but 1 process returned|a non-zero exit code\. Per user-direction, the job has been aborted\.|mpirun detected that one or more processes exited with non-zero status, thus causing|the job to be terminated\. The first process to do so was:| {2}Process name: \[\[\d+,1\],\d+\]| {2}Exit code: {4}1|)$/,
  "slurm cancel":
    /^slurmstepd(-\S+)?: error: \*\*\* JOB \d+ ON \S+ CANCELLED AT \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d( DUE TO TIME LIMIT)? \*\*\*$/,
};
