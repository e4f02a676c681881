import assert from "node:assert/strict";
import { findDataset, findGpu, findModel } from "../../src/sim/catalog.ts";
import { afterStep, atValidation, startClock } from "../../src/style/speedrun_clock.ts";
import { RULE } from "../../src/style/speedrun_lines.ts";
import { STYLES } from "../../src/style/style.ts";
import { styledRun, textOf } from "./styled_run.ts";

Deno.test("afterStep(): compile in steps 1–10, the clock restarts for step 11, nan through 12", () => {
  const c = startClock(0, 100);
  assert.equal(atValidation(c, 0), "train_time:0ms step_avg:nanms");
  const lines = [20000, ...Array(13).fill(120)].map((ms, i) => afterStep(c, i + 1, ms));
  assert.equal(lines[0], "train_time:19900ms step_avg:nanms");
  assert.equal(lines[9], "train_time:20980ms step_avg:nanms");
  assert.equal(lines[10], "train_time:120ms step_avg:nanms");
  assert.equal(lines[11], "train_time:240ms step_avg:nanms");
  assert.equal(lines[12], "train_time:360ms step_avg:120.00ms");
  assert.equal(lines[13], "train_time:480ms step_avg:120.00ms");
});

Deno.test("atValidation(): the synchronised clock runs ahead of the step line before it", () => {
  const c = startClock(0, 90);
  for (let n = 1; n <= 125; n++) afterStep(c, n, n <= 10 ? 130 : 125.5);
  // 116 steps since the restart at step 11; the host is 90 ms ahead of the GPU.
  assert.equal(afterStep(c, 126, 125.5), "train_time:14558ms step_avg:125.50ms");
  assert.equal(atValidation(c, 126), "train_time:14648ms step_avg:126.28ms");
  // After the stop the host starts level with the GPU, so the next step looks short.
  assert.equal(afterStep(c, 127, 125.5), "train_time:14684ms step_avg:125.50ms");
  assert.equal(afterStep(c, 128, 125.5), "train_time:14809ms step_avg:125.50ms");
});

const RUN = {
  seed: 21,
  nodes: 1,
  gpu: findGpu("h100"),
  model: findModel("gpt2-124m"),
  dataset: findDataset("fineweb-10b"),
  epochs: 1,
};

Deno.test("speedrun: header, step 0 at ln(50304), a line per step, val every 125, peak memory", () => {
  const { cfg, events } = styledRun(RUN, STYLES.speedrun);
  const text = textOf(events);
  assert.equal(text[0], RULE);
  assert.match(text[1], /^Running Python 3\.\d+\.\d+ /);
  assert.match(text[2], /^Running PyTorch \d\.\d+\.\d+\+cu\d+ compiled for CUDA \d+\.\d$/);
  const second = text.indexOf(RULE, 1);
  assert.equal(text[second - 1], "", "print() adds a blank line after nvidia-smi's output");
  assert.equal(
    text[second + 1],
    `step:0/${cfg.totalSteps} val_loss:10.8258 train_time:0ms step_avg:nanms`,
  );
  const steps = text.filter((l) => /^step:\d+\/\d+ train_time/.test(l));
  assert.equal(steps.length, cfg.totalSteps);
  const vals = text.filter((l) => l.includes("val_loss"));
  const at = vals.map((l) => Number(/^step:(\d+)/.exec(l)![1]));
  assert.deepEqual(at.slice(0, 3), [0, 125, 250]);
  assert.equal(at.at(-1), cfg.totalSteps);
  assert.ok(Number(/val_loss:(\d+\.\d+)/.exec(vals.at(-1)!)![1]) < 3.3, "a record ends near 3.28");
  const [, alloc, reserved] = /^peak memory allocated: (\d+) MiB reserved: (\d+) MiB$/
    .exec(text.at(-1)!)!.map(Number);
  assert.ok(reserved > alloc && reserved % 2 === 0);
});

Deno.test("speedrun: train_time grows step by step and step_avg = train_time / (step - 10)", () => {
  const text = textOf(styledRun(RUN, STYLES.speedrun).events);
  const parsed = text.flatMap((l) => {
    const m = /^step:(\d+)\/\d+ train_time:(\d+)ms step_avg:(nan|[\d.]+)ms$/.exec(l);
    return m ? [{ n: Number(m[1]), t: Number(m[2]), avg: m[3] }] : [];
  });
  for (const p of parsed) {
    if (p.n <= 12) assert.equal(p.avg, "nan");
    // train_time is printed rounded to the millisecond, step_avg from the unrounded time.
    else assert.ok(Math.abs(Number(p.avg) - p.t / (p.n - 10)) <= 0.5 / (p.n - 10) + 0.005);
  }
  for (let i = 1; i < parsed.length; i++) {
    if (parsed[i].n === 11) assert.ok(parsed[i].t < parsed[i - 1].t, "the restart at step 11");
    else assert.ok(parsed[i].t > parsed[i - 1].t, JSON.stringify(parsed[i]));
  }
});
