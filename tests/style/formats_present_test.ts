/**
 * Each format real runs print that issue 19 lists is produced by some seed under the style it
 * belongs to: a search over a few seeds (and the settings that call for it) finds it.
 */
import assert from "node:assert/strict";
import { findGpu, findModel } from "../../src/sim/catalog.ts";
import type { RunChoices } from "../../src/sim/run_config.ts";
import { STYLES } from "../../src/style/style.ts";
import { styledRun, textOf } from "./styled_run.ts";
import type { TickCadence } from "../../src/sim/timeline.ts";

type Choices = Omit<RunChoices, "startMs" | "seed">;

/** Telemetry as a paced run reads it: every 2 s while starting, every 10 s while training. */
const TICKS: TickCadence = { initMs: 2000, trainMs: 10_000 };

/** The first seed in 1..`tries` whose text (in `style`, with `choices`) has every pattern. */
function seedWith(
  style: string,
  choices: Choices,
  patterns: RegExp[],
  tries = 12,
  ticks?: TickCadence,
): number | null {
  for (let seed = 1; seed <= tries; seed++) {
    const { events } = styledRun({ seed, ...choices }, STYLES[style], ticks);
    const text = textOf(events).join("\n");
    if (patterns.every((p) => p.test(text))) return seed;
  }
  return null;
}

/** Asserts some seed prints every pattern. */
function present(
  style: string,
  choices: Choices,
  patterns: RegExp[],
  tries?: number,
  ticks?: TickCadence,
) {
  const seed = seedWith(style, choices, patterns, tries, ticks);
  assert.ok(seed !== null, `no seed printed ${patterns.map(String).join(" and ")}`);
}

const SMALL: Choices = { nodes: 1, model: findModel("gpt2-124m"), gpu: findGpu("h100") };

Deno.test("llm.c: its banner table, step lines with z-scores, val and checkpoint lines", () => {
  present("llmc", SMALL, [
    /^\| Parameter +\| Value +\|$/m,
    /^step +\d+\/\d+ \| loss \d+\.\d+ \([+-]?(nan|\d+\.\d+)z\)\| norm \d+\.\d+ \([+-]?(nan|\d+\.\d+)z\)\| lr [\d.e+-]+ \| [\d.]+ ms \| -?[\d.]+% bf16 MFU \| \d+ tok\/s$/m,
    /^val loss \d+\.\d+$/m,
    /^Writing model to /m,
  ]);
});

Deno.test("speedrun: step 0's step_avg (nan, or a few hundredths), train_time and val lines, peak memory", () => {
  present("speedrun", { ...SMALL, gpusPerNode: 8 }, [
    /^step:0\/\d+ val_loss:[\d.]+ train_time:0ms step_avg:(nan|0\.0\d)ms$/m,
    /^step:\d+\/\d+ train_time:\d+ms step_avg:[\d.]+ms$/m,
    /^step:\d+\/\d+ val_loss:[\d.]+ train_time:\d+ms step_avg:[\d.]+ms$/m,
    /^peak memory allocated: \d+ MiB reserved: \d+ MiB$/m,
  ]);
});

Deno.test("Lightning: sanity checking, the training bar, each step printed twice", () => {
  present("lightning", { nodes: 1, model: findModel("llama-3.2-1b") }, [
    /^Sanity Checking DataLoader 0: /m,
    /^(Epoch \d+|Training): /m,
  ]);
  // The same step count printed twice in a row: before and after the metrics update.
  const seed = seedWith("lightning", { nodes: 1, model: findModel("llama-3.2-1b") }, [/./]);
  const { events } = styledRun(
    { seed: seed!, nodes: 1, model: findModel("llama-3.2-1b") },
    STYLES.lightning,
  );
  const bars = textOf(events).filter((l) => /^Epoch \d+: .*\| (\d+)\/\d+ \[/.test(l));
  const counts = bars.map((l) => l.match(/\| (\d+)\/\d+ \[/)![1]);
  assert.ok(counts.some((c, i) => i > 0 && c === counts[i - 1]), "a step printed twice");
});

Deno.test("HF Trainer: train metrics and eval metrics blocks", () => {
  present("hf", { nodes: 1, model: findModel("llama-3.2-1b") }, [
    /^\*\*\*\*\* train metrics \*\*\*\*\*$/m,
    /^\*\*\*\*\* eval metrics \*\*\*\*\*$/m,
  ]);
});

Deno.test("faults: CUDA error, NCCL watchdog, ChildFailedError summary, srun, relaunch", () => {
  present("megatron", { nodes: 4, chaos: "high", model: findModel("llama-3-8b") }, [
    /CUDA error: /,
    /Exception raised from c10_cuda_check_implementation/,
    /ran for \d+ milliseconds before timing out/,
    /To avoid data inconsistency, we are taking the entire process down/,
    /torch\.distributed\.elastic\.multiprocessing\.errors\.ChildFailedError/,
    /Root Cause \(first observed failure\):/,
    /^srun: error: \S+: task \d+: Exited with exit code 1$/m,
  ], 30);
});

Deno.test("nvidia-smi under load: a busy table with the training processes listed", () => {
  present(
    "deepspeed",
    { nodes: 1, model: findModel("llama-3.2-1b") },
    [
      /\| +(N\/A|\d+%) +\d+C +P0 +\d+W \/ +\d+W \| +\d+MiB \/ +\d+MiB \| +(9\d|100)% +Default \|/,
      /^\| +\d+ +N\/A +N\/A +\d+ +C +\S*python\S* +\d+MiB \|$/m,
    ],
    40,
    TICKS,
  );
});

Deno.test("timers: Megatron's interval timers and DeepSpeed's wall_clock_breakdown", () => {
  present("megatron", { nodes: 2, model: findModel("llama-3-8b") }, [
    /forward-backward \.+: \([\d.]+, [\d.]+\)/,
  ], 30);
  // A team's own script with its config's wall_clock_breakdown on, which logs every step.
  present("deepspeed", { nodes: 1, chaos: "off", logInterval: 1 }, [
    /time \(ms\) \| fwd: [\d.]+ \| bwd: [\d.]+ \| bwd_inner: [\d.]+ \| bwd_allreduce: [\d.]+/,
  ], 60);
});

Deno.test("MoE: Megatron's load-balancing loss column for an MoE model", () => {
  present("megatron", { nodes: 4, model: findModel("mixtral-8x7b") }, [
    /load_balancing_loss: [\d.E+-]+/,
  ]);
});

Deno.test("fp16 start: Megatron's skipped first iterations at learning rate 0 and a halving scale", () => {
  present("megatron", { nodes: 2, gpu: findGpu("v100"), logInterval: 1 }, [
    /learning rate: 0\.000000E\+00 .*loss scale: \d+\.0 \| number of skipped iterations: +[1-9]\d* /,
    /learning rate: [1-9]\.\d+E-\d\d .*lm loss: .*number of skipped iterations: +0 /,
  ], 30);
});

Deno.test("trackers: wandb's start and summary, TensorBoard where the framework prints it", () => {
  present("hf", { nodes: 1, model: findModel("llama-3.2-1b") }, [
    /^wandb: Tracking run with wandb version \d+\.\d+\.\d+$/m,
    /^wandb: Run summary:$/m,
  ], 30);
});

Deno.test("trackers: Megatron sets up TensorBoard when the run writes its events", () => {
  present("megatron", { nodes: 2, model: findModel("llama-3-8b") }, [
    /> setting tensorboard \.\.\.$/m,
  ], 30);
});

Deno.test("faults: a failed InfiniBand link ends in NCCL's remote error and the watchdog's abort", () => {
  present("torchrun", { nodes: 2, chaos: "high", model: findModel("llama-3-8b") }, [
    /Process group watchdog thread terminated with exception: NCCL error: remote process exited or there was a network error, NCCL version \d+\.\d+\.\d+$/m,
    /^ncclRemoteError: A call failed possibly due to a network error or a remote process exiting prematurely\.$/m,
    /^NET\/IB : Got completion from peer [\d.]+<\d+> with /m,
    /^Exception raised from checkForNCCLErrorsInternal at /m,
    /^terminate called after throwing an instance of 'c10::DistBackendError'$/m,
  ], 30);
});
