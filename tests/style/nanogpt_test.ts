import assert from "node:assert/strict";
import { findDataset, findGpu, findModel } from "../../src/sim/catalog.ts";
import type { DataEvent } from "../../src/sim/events.ts";
import {
  MFU_WARMUP_ITERS,
  NANOGPT_PEAK_FLOPS,
  nanogptMfu,
  nextRunningMfu,
} from "../../src/style/nanogpt.ts";
import { type NanoModel, paramGroups } from "../../src/style/nanogpt_setup.ts";
import { STYLES } from "../../src/style/style.ts";
import { styledDefaultRun, styledRun, textOf } from "./styled_run.ts";

const GPT2_124M: NanoModel = {
  layers: 12,
  heads: 12,
  embd: 768,
  vocab: 50304,
  block: 1024,
  bias: false,
  pretrained: null,
};

Deno.test("paramGroups() counts as nanoGPT's model.py and configure_optimizers() do", () => {
  const g = paramGroups(GPT2_124M);
  assert.deepEqual([g.decayTensors, g.decay, g.noDecayTensors, g.noDecay], [
    50,
    124354560,
    25,
    19200,
  ]);
  assert.equal((g.params / 1e6).toFixed(2), "123.59");
  const char = paramGroups({ ...GPT2_124M, layers: 6, heads: 6, embd: 384, vocab: 65, block: 256 });
  assert.deepEqual([char.decayTensors, char.decay, char.noDecayTensors, char.noDecay], [
    26,
    10740096,
    13,
    4992,
  ]);
  assert.equal((char.params / 1e6).toFixed(2), "10.65");
  const openai = paramGroups({ ...GPT2_124M, vocab: 50257, bias: true, pretrained: "gpt2" });
  assert.equal((openai.params / 1e6).toFixed(2), "123.65");
});

Deno.test("nextRunningMfu(): the first estimate as is, then 0.9 · old + 0.1 · new", () => {
  assert.equal(nextRunningMfu(-1, 0.1534), 0.1534);
  // A 35-second iteration (evaluation and checkpoint) pulls a steady 15.34% down to 13.85%.
  assert.equal((nextRunningMfu(0.1534, 0.0048) * 100).toFixed(2), "13.85");
});

const RUN = {
  seed: 3,
  nodes: 1,
  gpu: findGpu("a100-80gb"),
  model: findModel("gpt2-124m"),
  dataset: findDataset("fineweb-10b"),
  epochs: 1,
};

type StepEvent = Extract<DataEvent, { type: "step" }>;

Deno.test("nanogpt: iter 0 first, mfu -100.00% for 5 iterations, then nanoGPT's running MFU", () => {
  const { cfg, events } = styledRun(RUN, STYLES.nanogpt);
  const iters = events.filter((e): e is StepEvent => e.type === "step" && e.msg !== "");
  assert.equal(iters[0].msg.slice(0, 8), "iter 0: ");
  assert.equal(iters[0].data.step, 1, "the first optimizer step is iter 0");
  let running = -1;
  for (const ev of iters.slice(0, 40)) {
    const iter = ev.data.step - 1;
    assert.equal(iter % cfg.logInterval, 0);
    const ms = Number(/time (\d+\.\d\d)ms/.exec(ev.msg)![1]);
    if (iter >= MFU_WARMUP_ITERS) running = nextRunningMfu(running, nanogptMfu(cfg, ms / 1000));
    const mfu = /mfu (-?\d+\.\d\d)%$/.exec(ev.msg)![1];
    // The printed time is rounded: the MFU from it may differ in the last digit at most.
    assert.ok(Math.abs(Number(mfu) - running * 100) <= 0.011, `${ev.msg} vs ${running}`);
  }
  assert.ok(iters.filter((e) => e.msg.endsWith("mfu -100.00%")).length >= 1);
  assert.equal(NANOGPT_PEAK_FLOPS, 312e12);
});

Deno.test("nanogpt: evaluations at iter 0 and every eval_interval, a save after each but the first", () => {
  const { cfg, events } = styledRun(RUN, STYLES.nanogpt);
  const text = textOf(events);
  const evals = text.filter((l) => /^step \d+: train loss/.test(l));
  const every = cfg.pacing.evalInterval;
  const want = Array.from(
    { length: Math.floor((cfg.totalSteps - 1) / every) + 1 },
    (_, i) => i * every,
  );
  assert.deepEqual(evals.map((l) => Number(/^step (\d+):/.exec(l)![1])), want);
  for (const line of evals.slice(1)) {
    assert.match(text[text.indexOf(line) + 1], /^saving checkpoint to out/);
  }
  assert.match(text[text.indexOf(evals[0]) + 1], /^iter 0: /);
});

Deno.test("nanogpt: the iteration after an evaluation takes its time (eval and checkpoint too)", () => {
  const { cfg, events } = styledRun(RUN, STYLES.nanogpt);
  const every = cfg.pacing.evalInterval;
  const i = events.findIndex((e) => e.type === "val" && e.data.step === every);
  const val = events[i] as Extract<DataEvent, { type: "val" }>;
  const ckpt = events.find((e) => e.type === "ckpt" && e.data.step === every);
  const next = events.slice(i).find((e): e is StepEvent => e.type === "step")!;
  assert.equal(next.data.step - 1, every);
  const saved = ckpt?.type === "ckpt" ? ckpt.data.time_s : 0;
  const want = ((next.data.step_time_s + val.data.time_s + saved) * 1000).toFixed(2);
  assert.match(next.msg, new RegExp(`^iter ${every}: loss \\d+\\.\\d{4}, time ${want}ms, `));
});

Deno.test("nanogpt: every rank prints the start-up, mixed print by print", () => {
  const text = textOf(styledRun(RUN, STYLES.nanogpt).events);
  const firstEval = text.findIndex((l) => l.startsWith("step 0:"));
  const startup = text.slice(0, firstEval);
  const count = (re: RegExp) => startup.filter((l) => re.test(l)).length;
  assert.equal(count(/^Overriding config with /), 8);
  assert.equal(count(/^tokens per iteration will be: 524,288$/), 8);
  assert.equal(count(/^compiling the model/), 8);
  const order = startup.filter((l) => /^(Overriding config|tokens per iteration)/.test(l));
  assert.notDeepEqual(order, [...order].sort(), "ranks' prints interleave");
});

Deno.test("nanogptMfu(): estimate_mfu() of config/train_gpt2.py on 8 GPUs against 312 TFLOP/s", () => {
  const { cfg } = styledDefaultRun(3, STYLES.nanogpt, { gpu: findGpu("a100-80gb") });
  assert.equal(cfg.plan.microBatch * cfg.gradAccum, 12 * 5, "batch_size × 40 / 8 per GPU");
  // (6 · 123,587,328 + 12 · 12 · 12 · 64 · 1024) · 1024 · 60 = 52,517,079,613,440 FLOPs an iteration.
  assert.equal(nanogptMfu(cfg, 0.45), 52517079613440 / 0.45 / 312e12);
  assert.equal((nanogptMfu(cfg, 0.45) * 100).toFixed(2), "37.41");
});

Deno.test("nanogpt without sizing flags: a slice of train_gpt2.py's recipe, never a toy config", () => {
  for (const gpu of ["a100-80gb", "a100-40gb", "h100"]) {
    for (let seed = 1; seed <= 5; seed++) {
      const { cfg, events } = styledDefaultRun(seed, STYLES.nanogpt, { gpu: findGpu(gpu) });
      const text = textOf(events);
      const where = `${gpu} seed ${seed}`;
      // The recipe's settings, from the user's own copy of the config file.
      assert.ok(text.some((l) => /^Overriding config with config\/\w+\.py:$/.test(l)), where);
      assert.ok(!text.includes("Overriding config with config/train_gpt2.py:"), where);
      assert.ok(text.includes("batch_size = 12") && text.includes("block_size = 1024"), where);
      assert.ok(text.includes("eval_interval = 1000") && text.includes("log_interval = 10"));
      assert.ok(text.includes("max_iters = 600000"), where);
      assert.equal(cfg.pacing.evalInterval, 1000);
      assert.equal(cfg.ckptInterval, 1000);
      const evals = text.filter((l) => /^step \d+: train loss/.test(l));
      for (const e of evals) assert.match(e, /^step (0|\d+000): /, where);
      const iters = text.flatMap((l) => {
        const m = /^iter (\d+): .* mfu (-?[\d.]+)%$/.exec(l);
        return m ? [{ n: Number(m[1]), mfu: Number(m[2]) }] : [];
      });
      assert.ok(iters.length > 15, `${where}: ${iters.length} iterations logged`);
      for (const it of iters) assert.equal(it.n % 10, 0, where);
      const mfu = iters.at(-1)!.mfu;
      const band = gpu === "h100" ? [38, 62] : [29, 45];
      assert.ok(mfu >= band[0] && mfu <= band[1], `${where}: mfu ${mfu}%`);
    }
  }
});

Deno.test("nanogpt: sized runs evaluate every 100 iterations or more (5 for a short fine-tune)", () => {
  for (const stepsPerEpoch of [60, 300, 3000, 20000]) {
    const { cfg } = styledRun({ ...RUN, stepsPerEpoch }, STYLES.nanogpt);
    assert.ok(cfg.pacing.evalInterval >= 100, `${stepsPerEpoch} steps: ${cfg.pacing.evalInterval}`);
  }
  const tune = styledRun(
    { ...RUN, task: "finetune", dataset: undefined, stepsPerEpoch: 20 },
    STYLES.nanogpt,
  );
  assert.equal(tune.cfg.pacing.evalInterval, 5);
});

Deno.test("nanoGPT: each person's config copy has its own comments, or none", () => {
  let withHeader = 0, without = 0;
  for (let seed = 1; seed <= 24; seed++) {
    const lines = textOf(
      styledRun({ seed, nodes: 1, model: findModel("gpt2-124m") }, STYLES.nanogpt).events,
    );
    const at = lines.findIndex((l) => l.startsWith("Overriding config with config/"));
    if (at < 0) continue;
    if (lines[at + 1].startsWith("# ")) withHeader++;
    else without++;
  }
  assert.ok(withHeader > 0 && without > 0, `${withHeader} with a header, ${without} without`);
});
