/**
 * Every line shape of a modded-nanogpt record log (train_gpt.py, December 2024 to July 2026): the
 * rules, the versions (lower-case in December 2024), nvidia-smi, the data loaders or the warm-up
 * announcements, the step and validation lines, peak memory, and a torchrun job's crash.
 */
import { namedFaultChain } from "./fault_chain.ts";
import { GPU_MONITOR_SHAPES } from "./gpu_monitor.ts";

/** The speedrun's line shapes by name. */
export const SPEEDRUN_CATALOGUE: Record<string, RegExp> = {
  "rule": /^={100}$/,
  "python":
    /^Running [Pp]ython 3\.\d+\.\d+ (\| packaged by conda-forge \| )?\(main, [A-Z][a-z]{2} [ \d]\d \d{4}, \d\d:\d\d:\d\d\) \[(GCC|Clang) [\d.]+ ?\]$/,
  "pytorch":
    /^Running (PyTorch|pytorch) \d+\.\d+\.\d+(\.dev\d{8})?\+cu\d+ compiled for CUDA \d+\.\d+$/,
  "triton": /^Running Triton version \d+\.\d+\.\d+$/,
  "smi announced": /^nvidia-smi:$/,
  "loaders": /^(Training|Validation) DataLoader: total number of tokens: \d+ across \d+ files$/,
  "warm-up": /^Compiling model and warming up kernels \(~7 minutes on first execution\)$/,
  "warm-up steps": /^Sampling steps \[\d+(, \d+)*\] for warmup$/,
  "model reset": /^Resetting Model$/,
  // nvidia-smi's table, as the shared GPU tools catalogue knows it.
  ...Object.fromEntries(GPU_MONITOR_SHAPES),
  "val": /^step:\d+\/\d+ val_loss:\d+\.\d{4} train_time:\d+ms step_avg:(nan|\d+\.\d\d)ms$/,
  "step": /^step:\d+\/\d+ train_time:\d+ms step_avg:(nan|\d+\.\d\d)ms$/,
  "peak memory": /^peak memory (allocated: \d+ MiB reserved|consumption): \d+ MiB$/,
  ...namedFaultChain("", String.raw`train_gpt\.py`),
};
