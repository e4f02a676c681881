import assert from "node:assert/strict";
import { findDataset, findGpu, findModel } from "../../src/sim/catalog.ts";
import {
  activationBytes,
  flopsPerToken,
  llmcLearningRate,
  llmcMfu,
  llmcParams,
  mib,
  newDetector,
  OUTLIER_WINDOW,
  promisedTflops,
  signed2,
  tokPerSecond,
  updateDetector,
} from "../../src/style/llmc_numbers.ts";
import { paramTable } from "../../src/style/llmc_setup.ts";
import { llmcRun } from "../../src/style/llmc_setup.ts";
import { STYLES } from "../../src/style/style.ts";
import { styledDefaultRun, styledRun, textOf } from "./styled_run.ts";
import { llmcSchedule } from "../../src/style/llmc.ts";
import { formatExp } from "../../src/format/units.ts";

const D12 = {
  layers: 12,
  heads: 12,
  channels: 768,
  vocab: 50257,
  paddedVocab: 50304,
  maxSeqLen: 1024,
};
const D48 = {
  layers: 48,
  heads: 25,
  channels: 1600,
  vocab: 50257,
  paddedVocab: 50304,
  maxSeqLen: 1024,
};

Deno.test("llmcParams() and activationBytes() give llm.c's sizes for d12 and d48", () => {
  assert.equal(llmcParams(D12), 124475904);
  assert.equal(llmcParams(D48), 1557686400);
  assert.equal(mib(llmcParams(D12) * 2), 237);
  // cuDNN attention, recompute 1 (GELU) by default; recompute 0 keeps every GELU output.
  assert.equal(mib(activationBytes(D12, 56, 1024, 1)), 18564);
  assert.equal(mib(activationBytes(D48, 16, 1024, 0)), 40409);
  assert.equal(mib(activationBytes(D12, 56, 1024, 1) / 56), 331);
});

Deno.test("promisedTflops() follows llm.c's GPU table, -1 for devices it does not list", () => {
  assert.equal(promisedTflops("NVIDIA A100-SXM4-80GB").toFixed(1), "312.0");
  assert.equal(promisedTflops("NVIDIA H100 80GB HBM3").toFixed(1), "988.8");
  assert.equal(promisedTflops("NVIDIA H100 PCIe").toFixed(1), "756.0");
  for (
    const name of ["NVIDIA H200", "NVIDIA B200", "NVIDIA A100 80GB PCIe", "Tesla V100-SXM2-32GB"]
  ) {
    assert.equal(promisedTflops(name), -1, name);
  }
});

Deno.test("llmcMfu() is per GPU, in float, against the promised peak (-1 when unknown)", () => {
  const fpt = flopsPerToken(D48, llmcParams(D48), 1024);
  const peak = promisedTflops("NVIDIA H100 80GB HBM3");
  const pct = (ms: number) => Math.fround(100 * llmcMfu(fpt, 16 * 1024 * 8, ms, peak)).toFixed(1);
  assert.equal(pct(3056.36), "42.6");
  assert.equal(pct(2747.19), "47.4");
  assert.equal(Math.fround(100 * llmcMfu(fpt, 131072, 2747.19, -1)).toFixed(1), "-100.0");
});

Deno.test("tokPerSecond(): the raw rate twice, then a bias-corrected EMA that lags the ms", () => {
  const meter = { ema: 0 };
  const ms = [2734.72, 2391.52, 2397.11, 2396.56, 2396.87, 2404.9, 2405.19];
  const shown = ms.map((t, k) => tokPerSecond(meter, 458752, Math.fround(t), k).toFixed(0));
  assert.deepEqual(shown, ["167751", "191824", "191595", "191534", "191497", "191333", "191220"]);
  // A resumed process starts its EMA from zero at a large step: the first rate reads ~5%.
  const resumed = tokPerSecond({ ema: 0 }, 524288, 160, 10000);
  assert.equal(Math.round(resumed / (524288 / 0.16) * 100), 5);
});

Deno.test("updateDetector(): NaN until 128 values, then the z-score over the window", () => {
  const d = newDetector();
  for (let i = 0; i < OUTLIER_WINDOW; i++) assert.ok(Number.isNaN(updateDetector(d, i % 2)));
  // The window now holds 64 zeros and 64 ones (mean 0.5, sd 0.5); a 1 replaces a 0.
  assert.equal(signed2(updateDetector(d, 1)).padStart(5), "+0.98");
  assert.equal(signed2(NaN), "+nan");
  assert.equal(signed2(-1.214), "-1.21");
});

const GPT2_RUN = {
  seed: 8,
  nodes: 1,
  gpu: findGpu("h100"),
  model: findModel("gpt2-124m"),
  dataset: findDataset("fineweb-10b"),
  epochs: 1,
};

Deno.test("llmc: steps 1 to 128 print (+nanz), later steps real z-scores; val, HellaSwag, checkpoint", () => {
  const text = textOf(styledRun(GPT2_RUN, STYLES.llmc).events);
  const steps = text.filter((l) => l.startsWith("step "));
  assert.match(
    steps[0],
    /^step {4}1\/\d+ \| loss \d+\.\d{6} \(\+nanz\)\| norm \d+\.\d{4} \(\+nanz\)\| lr /,
  );
  // Each process (the first, and one relaunched after a crash) fills its own 128-step window.
  const launches = text.flatMap((l, i) => (l.startsWith("| resume ") ? [i] : []));
  assert.ok(launches.length >= 1);
  launches.forEach((from, k) => {
    const own = text.slice(from, launches[k + 1]).filter((l) => l.startsWith("step "));
    assert.ok(own.slice(0, 128).every((l) => (l.match(/\(\+nanz\)/g) ?? []).length === 2));
    assert.ok(own.slice(128).every((l) => !l.includes("nan")), `launch ${k}`);
  });
  assert.equal(text[text.indexOf(steps[0]) - 1].slice(0, 9), "val loss ");
  const firstSave = text.indexOf(text.find((l) => l.startsWith("Writing checkpoint at step"))!);
  const saveStep = Number(text[firstSave].split(" ").at(-1));
  // llm.c evaluates before it saves: the step's val loss (and HellaSwag) come first.
  const between = text.slice(text.indexOf(steps[saveStep - 1]) + 1, firstSave);
  assert.match(between[0], /^val loss/);
  assert.ok(between.slice(1).every((l) => l.includes("HellaSwag")), between.join("\n"));
  const states = text.slice(firstSave).filter((l) => l.startsWith("Writing state to")).slice(0, 8);
  assert.deepEqual(states.map((l) => l.slice(-9, -4)).sort(), [
    "00000",
    "00001",
    "00002",
    "00003",
    "00004",
    "00005",
    "00006",
    "00007",
  ]);
  assert.match(text.at(-1)!, /^total average iteration time: \d+\.\d{6} ms$/);
});

Deno.test("llmc: table rows are `| %-21s | %-50s |`, a longer value pushes the border out", () => {
  const { cfg } = styledRun(GPT2_RUN, STYLES.llmc);
  const rows = paramTable(cfg, llmcRun(cfg), false);
  assert.ok(rows.every((r) => r.length === 78), "every row as wide as the border");
  const long = {
    ...cfg,
    dataset: { ...cfg.dataset, id: "a-dataset-with-a-rather-long-name-2025" },
  };
  const wide = paramTable(long, llmcRun(long), false).find((r) => r.includes("train data"))!;
  assert.ok(wide.length > 78 && wide.endsWith(" |"));
});

Deno.test("llmcLearningRate(): llm.c's cosine schedule in float (values from the C code, compiled)", () => {
  const gpt2 = {
    kind: "cosine",
    lr: 6e-4,
    warmup: 700,
    trainBatches: 19560,
    finalFrac: 0,
  } as const;
  const expected: [number, number, string][] = [
    [0, 8.571428793e-7, "8.57e-07"],
    [1, 1.714285759e-6, "1.71e-06"],
    [699, 6.000000285e-4, "6.00e-04"],
    [701, 6.000000285e-4, "6.00e-04"],
    [5000, 5.262780469e-4, "5.26e-04"],
    [9780, 3.174804442e-4, "3.17e-04"],
    [15000, 8.246223297e-5, "8.25e-05"],
    [19558, 1.788139428e-11, "1.79e-11"],
    [19559, 0, "0.00e+00"],
  ];
  for (const [step, value, text] of expected) {
    const lr = llmcLearningRate(gpt2, step);
    assert.equal(lr, Math.fround(value), `step ${step}`);
    assert.equal(formatExp(lr, 2), text);
  }
  const xl = { ...gpt2, trainBatches: 32000, finalFrac: 0.1 };
  assert.equal(llmcLearningRate(xl, 16000), Math.fround(3.394830565e-4));
  assert.equal(llmcLearningRate(xl, 24000), Math.fround(1.424639049e-4));
  assert.equal(llmcLearningRate(xl, 31999), Math.fround(6.000000212e-5));
});

Deno.test("updateDetector(): the z-scores llm.c prints for a swinging norm (from the C code)", () => {
  const d = newDetector();
  const printed: string[] = [];
  for (let i = 0; i < 140; i++) {
    const norm = Math.fround(0.3 + 0.05 * Math.sin(i * 0.7) + 0.001 * i);
    const z = Math.fround(updateDetector(d, norm));
    if (i >= 126) printed.push(signed2(z));
  }
  assert.deepEqual(printed, [
    "+nan",
    "+nan",
    "+2.21",
    "+1.92",
    "+1.32",
    "+0.69",
    "+0.31",
    "+0.37",
    "+0.84",
    "+1.52",
    "+2.07",
    "+2.21",
    "+1.91",
    "+1.30",
  ]);
});

Deno.test("llmc without sizing flags: a slice of a real reproduction (flags, schedule, z-scores)", () => {
  const kinds = new Set<string>();
  const sizes = new Set<string>(), worlds = new Set<number>();
  for (let seed = 1; seed <= 12; seed++) {
    const { cfg, events } = styledDefaultRun(seed, STYLES.llmc, { gpu: findGpu("h100") });
    sizes.add(cfg.model.id);
    worlds.add(cfg.worldSize);
    const text = textOf(events);
    const where = `seed ${seed}`;
    kinds.add(`${cfg.model.id} ${cfg.resumeStep > 0 ? "resumed" : "fresh"}`);
    // The README's 124M, the scripts' 124M, 350M, 774M and 1558M.
    assert.ok(
      [19560, 18865, 60000, 286102, 32000].includes(cfg.totalSteps),
      `${where}: ${cfg.totalSteps} steps`,
    );
    assert.ok(cfg.timeLimitMs !== null, `${where}: the time limit ends the slice`);
    assert.ok(text.includes(`| warmup iterations     | ${"700".padEnd(50)} |`), where);
    assert.ok(text.includes(`| val_loss_every        | ${"250".padEnd(50)} |`), where);
    const steps = text.flatMap((l) => {
      const m = /^step +(\d+)\/\d+ \| loss [\d.]+ \((\S+)z\)\| norm [\d.]+ \((\S+)z\)\| lr (\S+) /
        .exec(l);
      return m ? [{ n: Number(m[1]), zl: m[2], zg: m[3], lr: m[4] }] : [];
    });
    assert.ok(steps.length > 30, `${where}: ${steps.length} steps`);
    for (const [i, s] of steps.entries()) {
      assert.equal(s.zl === "+nan", i < 128, `${where} step ${s.n}: ${s.zl}`);
      const lr = llmcLearningRate(llmcSchedule(cfg), s.n - 1);
      assert.equal(s.lr, formatExp(lr, 2));
    }
    const zs = new Set(steps.slice(128).map((s) => s.zg));
    assert.ok(steps.length < 155 || zs.size > 20, `${where}: z-scores ${[...zs].slice(0, 5)}`);
  }
  assert.ok(kinds.size >= 3, [...kinds].join(", "));
  // Not one canonical run: several sizes, and the 124M on one GPU as well as a node.
  assert.ok(sizes.size >= 3, [...sizes].join(", "));
  assert.ok(worlds.has(8) && worlds.size >= 2, [...worlds].join(", "));
});

Deno.test("llmc allocates everything before its first step, so no step runs out of memory", () => {
  let faults = 0;
  for (let seed = 1; seed <= 20; seed++) {
    const { cfg, events } = styledDefaultRun(seed, STYLES.llmc, { chaos: "high" });
    assert.equal(cfg.pacing.midRunOom, false);
    const text = textOf(events);
    assert.ok(!text.some((l) => / out of memory$/.test(l)), `seed ${seed}`);
    faults += events.filter((e) => e.type === "fault").length;
  }
  assert.ok(faults > 0, "other faults still strike");
});
