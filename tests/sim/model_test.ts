/** Worked numbers for every formula of the training and hardware model (docs/model.md). */
import assert from "node:assert/strict";
import {
  flopsPerToken,
  peakTflops,
  stepSeconds,
  tflopsPerGpu,
  tokensPerSec,
} from "../../src/sim/model/throughput.ts";
import { learningRate, type Schedule } from "../../src/sim/model/schedule.ts";
import { type MemoryInput, memoryPerGpu } from "../../src/sim/model/memory.ts";
import { planParallelism } from "../../src/sim/model/plan.ts";
import {
  ar1,
  chinchillaLoss,
  expectedGradNorm,
  expectedLoss,
  type LossCurve,
  tokenAccuracy,
  validationLoss,
} from "../../src/sim/model/loss.ts";
import { achievedBusbw, allReduceSeconds, busBandwidthGBps } from "../../src/sim/model/comm.ts";
import {
  checkpointBytes,
  EXPORT_FORMATS,
  exportShards,
  writeSeconds,
} from "../../src/sim/model/storage.ts";
import { findGpu, findModel } from "../../src/sim/catalog.ts";
import { drawRunConfig } from "../../src/sim/run_config.ts";
import { fullRateSteps, paramsNorm } from "../../src/sim/model/norms.ts";

const close = (actual: number, expected: number, rel = 1e-6) =>
  assert.ok(Math.abs(actual - expected) <= Math.abs(expected) * rel, `${actual} ≠ ${expected}`);
const H100 = findGpu("h100")!;

Deno.test("flopsPerToken() is 6N plus the attention term 12·L·h·s", () => {
  // Llama-3-8B at 8k context: 6 × 8.03e9 + 12 × 32 × 4096 × 8192.
  assert.equal(flopsPerToken(8.03e9, 32, 4096, 8192), 61_064_901_888);
});

Deno.test("tokensPerSec() at 40% MFU on 64 H100s for Llama-3-8B is about 415k tok/s", () => {
  const fpt = flopsPerToken(8.03e9, 32, 4096, 8192);
  const tps = tokensPerSec(0.4, peakTflops(H100, "bf16"), 64, fpt);
  close(tps, 414_614.602, 1e-8);
  close(tflopsPerGpu(tps, fpt, 64), 0.4 * 989, 1e-12);
  close(stepSeconds(4_194_304, tps), 4_194_304 / 414_614.602, 1e-8);
});

Deno.test("peakTflops() uses the fp8 peak only where the GPU has one", () => {
  assert.equal(peakTflops(H100, "fp8"), 1979);
  assert.equal(peakTflops(findGpu("a100")!, "fp8"), 312);
});

const SCHED: Schedule = {
  kind: "cosine",
  lrMax: 3e-4,
  lrMin: 3e-5,
  warmupSteps: 100,
  totalSteps: 1100,
};

Deno.test("learningRate() warms up linearly, then follows a cosine to the minimum", () => {
  close(learningRate(SCHED, 1), 3e-6);
  close(learningRate(SCHED, 50), 1.5e-4);
  close(learningRate(SCHED, 100), 3e-4);
  close(learningRate(SCHED, 600), (3e-4 + 3e-5) / 2);
  close(learningRate(SCHED, 1100), 3e-5);
});

Deno.test("learningRate() with warmup-stable-decay holds the peak, then cools down linearly", () => {
  const wsd: Schedule = { ...SCHED, kind: "wsd" };
  close(learningRate(wsd, 500), 3e-4);
  close(learningRate(wsd, 900), 3e-4);
  close(learningRate(wsd, 1000), 3e-4 - (3e-4 - 3e-5) * 0.5);
  close(learningRate(wsd, 1100), 3e-5);
});

const BASE: MemoryInput = {
  params: 7e9,
  layers: 32,
  hidden: 4096,
  vocab: 32000,
  seqLen: 4096,
  microBatch: 1,
  dp: 8,
  tp: 1,
  pp: 1,
  strategy: "ddp",
  recompute: "none",
};
const GIB = 1024 ** 3;

Deno.test("memoryPerGpu() shards model states by ZeRO stage (16 bytes per parameter in DDP)", () => {
  const ddp = memoryPerGpu(BASE);
  close(ddp.weightsGiB + ddp.gradsGiB + ddp.optimizerGiB, (7e9 * 16) / GIB);
  const z1 = memoryPerGpu({ ...BASE, strategy: "zero1" });
  close(z1.optimizerGiB, (7e9 * 12) / 8 / GIB);
  close(z1.gradsGiB, (7e9 * 2) / GIB);
  const z2 = memoryPerGpu({ ...BASE, strategy: "zero2" });
  close(z2.gradsGiB, (7e9 * 2) / 8 / GIB);
  const z3 = memoryPerGpu({ ...BASE, strategy: "zero3" });
  close(z3.gradsGiB + z3.optimizerGiB, (7e9 * 14) / 8 / GIB);
  assert.ok(z3.weightsGiB > (7e9 * 2) / 8 / GIB, "ZeRO-3 also holds the gathered layers");
});

Deno.test("memoryPerGpu() activations: 34·s·b·h per layer with selective recompute, 2 with full", () => {
  const sel = memoryPerGpu({ ...BASE, recompute: "selective" });
  const logits = (4096 * 32000 * 6) / GIB;
  close(sel.activationsGiB, (32 * 4096 * 4096 * 34) / GIB + logits);
  const tp8 = memoryPerGpu({ ...BASE, recompute: "selective", tp: 8 });
  close(tp8.activationsGiB, ((32 * 4096 * 4096 * 34) / GIB + logits) / 8);
});

Deno.test("planParallelism() fills but never exceeds 93% of memory, and refuses what cannot fit", () => {
  const m = findModel("llama-3-405b")!;
  const input = { ...m, seqLen: 8192, gpusPerNode: 8, strategies: ["megatron" as const] };
  assert.equal(planParallelism({ ...input, worldSize: 8, memGiB: 40 }), null);
  const plan = planParallelism({ ...input, worldSize: 1024, memGiB: 79.6 })!;
  assert.ok(plan.memory.totalGiB <= 79.6 * 0.93);
  assert.ok(plan.tp * plan.pp > 1, "a 405B model needs model parallelism");
  assert.equal(plan.tp * plan.pp * plan.dp, 1024);
});

Deno.test("chinchillaLoss() reproduces the Chinchilla fit (70B on 1.4T tokens ≈ 1.94)", () => {
  close(chinchillaLoss(70e9, 1.4e12), 1.9366454705587173, 1e-12);
  close(chinchillaLoss(124e6, 10e9), 3.0606799743989006, 1e-12);
});

const PRETRAIN: LossCurve = {
  kind: "pretrain",
  params: 8e9,
  vocab: 128256,
  tokensPerStep: 4_194_304,
  totalSteps: 10000,
  stepsPerEpoch: 10000,
  startLoss: 0,
  endLoss: 0,
  epochDrop: 0,
};

Deno.test("expectedLoss() for pretraining starts near ln(vocab), falls fast, never flattens", () => {
  assert.ok(Math.abs(expectedLoss(PRETRAIN, 1) - Math.log(128256)) < 0.1);
  assert.ok(expectedLoss(PRETRAIN, 100) < 7);
  let prev = Infinity;
  for (const step of [1, 10, 100, 1000, 5000, 9999, 10000]) {
    const l = expectedLoss(PRETRAIN, step);
    assert.ok(l < prev, `loss keeps falling at step ${step}`);
    prev = l;
  }
  close(expectedLoss(PRETRAIN, 10000), chinchillaLoss(8e9, 10000 * 4_194_304), 1e-9);
});

Deno.test("expectedLoss() with a recorded curve: its points exactly, straight between, ln(vocab) at the start", () => {
  const c: LossCurve = { ...PRETRAIN, recorded: [[0.25, 4.4], [0.5, 3.8], [1, 3.25]] };
  assert.ok(Math.abs(expectedLoss(c, 1) - Math.log(128256)) < 0.1);
  assert.equal(expectedLoss(c, 2500), 4.4);
  assert.equal(expectedLoss(c, 5000), 3.8);
  assert.ok(Math.abs(expectedLoss(c, 7500) - 3.525) < 1e-9);
  assert.equal(expectedLoss(c, 10000), 3.25);
  // Before the first point the fall meets it without a jump.
  assert.ok(Math.abs(expectedLoss(c, 2499) - 4.4) < 0.01);
  assert.ok(expectedLoss(c, 500) > expectedLoss(c, 2000));
});

Deno.test("expectedLoss() for fine-tuning starts at startLoss and drops at each new epoch", () => {
  const ft: LossCurve = {
    ...PRETRAIN,
    kind: "finetune",
    startLoss: 1.8,
    endLoss: 0.6,
    epochDrop: 0.1,
    stepsPerEpoch: 500,
    totalSteps: 1500,
  };
  close(expectedLoss(ft, 1), 1.8);
  const before = expectedLoss(ft, 500), after = expectedLoss(ft, 501);
  assert.ok(after < before * 0.92, "the second epoch starts lower");
  const end = expectedLoss(ft, 1500);
  assert.ok(end > 0.3 && end < 1.1);
});

Deno.test("validationLoss() sits slightly above the training curve; accuracy follows the loss", () => {
  const gap = validationLoss(PRETRAIN, 5000, 0, 0) - expectedLoss(PRETRAIN, 5000);
  assert.ok(gap > 0 && gap < 0.1);
  close(tokenAccuracy(2), 0.5488116360940264, 1e-12);
});

Deno.test("ar1() keeps the stationary deviation and correlates neighbours", () => {
  let x = 0, sumSq = 0, sumLag = 0, prev = 0;
  let seed = 1;
  const normal = () => {
    // Box–Muller over a tiny LCG: enough for a statistics check.
    const u = (seed = (seed * 48271) % 2147483647) / 2147483647,
      v = (seed = (seed * 48271) % 2147483647) / 2147483647;
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
  const n = 20000;
  for (let i = 0; i < n; i++) {
    prev = x;
    x = ar1(x, 0.9, 0.05, normal());
    sumSq += x * x;
    sumLag += x * prev;
  }
  close(Math.sqrt(sumSq / n), 0.05, 0.1);
  close(sumLag / sumSq, 0.9, 0.05);
});

Deno.test("expectedGradNorm() starts in the tens and settles near the steady value", () => {
  const g = { initial: 30, steady: 0.2, tauSteps: 40, totalSteps: 10000 };
  close(expectedGradNorm(g, 0), 30, 1e-9);
  assert.ok(expectedGradNorm(g, 400) < 0.22);
  close(expectedGradNorm(g, 10000), 0.2 * 1.2, 1e-6);
});

Deno.test("allReduceSeconds() is 2(n−1)/n × bytes / busbw plus per-hop latency", () => {
  close(allReduceSeconds(1e9, 8, 400), (2 * 7 / 8) * 1e9 / 400e9 + 2 * 7 * 6e-6, 1e-12);
  close(achievedBusbw(1e9, 8, (2 * 7 / 8) * 1e9 / 400e9), 400, 1e-9);
  assert.equal(allReduceSeconds(1e9, 1, 400), 0);
});

Deno.test("busBandwidthGBps() is NVLink inside a node and the NICs between nodes", () => {
  assert.equal(busBandwidthGBps(H100, 1), 470);
  close(busBandwidthGBps(H100, 2), 8 * 48 * 0.95 * 0.97, 1e-12);
  assert.ok(busBandwidthGBps(H100, 1024) < busBandwidthGBps(H100, 16));
});

Deno.test("checkpoint and export sizes follow parameters and precision", () => {
  assert.equal(checkpointBytes(7e9), 98e9);
  close(writeSeconds(98e9, 49), 2 + 2.5, 1e-12);
  const st = exportShards(8.03e9, EXPORT_FORMATS[0]);
  assert.equal(st.length, 4);
  assert.equal(st.reduce((a, b) => a + b, 0), Math.round(8.03e9 * 2 + 1_048_576));
  assert.ok(st.every((b) => b <= 5e9));
  assert.deepEqual(exportShards(8.03e9, EXPORT_FORMATS[1]), [
    Math.round(8.03e9 * 1.0625 + 1_048_576),
  ]);
});

Deno.test("paramsNorm(): moves at three decimals from one iteration to the next, early and late", () => {
  for (const schedule of ["cosine", "wsd"] as const) {
    const cfg = {
      ...drawRunConfig({ seed: 21, startMs: 0, nodes: 2, model: findModel("llama-2-7b") }),
      schedule,
      totalSteps: 250_000,
      warmupSteps: 2000,
    };
    for (const from of [50, 3000, 60_000, 180_000, 240_000]) {
      const shown = Array.from({ length: 20 }, (_, i) => paramsNorm(cfg, from + i).toFixed(3));
      assert.ok(new Set(shown).size >= 12, `${schedule} ${from}: ${shown.slice(0, 5)}`);
    }
    // The exact integral agrees with a fine numerical one.
    const s = { ...cfg, kind: schedule };
    let sum = 0;
    for (let k = 0; k < 200_000; k++) sum += learningRate(s, k + 0.5) / cfg.lrMax;
    assert.ok(Math.abs(fullRateSteps(cfg, 200_000) - sum) / sum < 1e-4);
  }
});
