/**
 * Every number a framework style prints for a step, validation or checkpoint equals the event
 * field it came from, at the precision printed.
 */
import assert from "node:assert/strict";
import type { DataEvent } from "../../src/sim/events.ts";
import type { RunConfig } from "../../src/sim/run_config.ts";
import { findDataset, findGpu } from "../../src/sim/catalog.ts";
import { validationPlan } from "../../src/sim/phases/train.ts";
import { STYLES } from "../../src/style/style.ts";
import { skippedSoFar } from "../../src/style/deepspeed.ts";
import { styledRun } from "./styled_run.ts";

type Step = Extract<DataEvent, { type: "step" }>["data"];
type Val = Extract<DataEvent, { type: "val" }>["data"];
type Ckpt = Extract<DataEvent, { type: "ckpt" }>["data"];

/** Asserts that `printed` is `value` rounded to the digits `printed` shows (%f, %e or %g). */
export function assertPrinted(printed: string, value: number, what: string): void {
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(printed.replaceAll(",", ""));
  assert.ok(m, `${what}: "${printed}" is a number`);
  const decimals = m[3]?.length ?? 0;
  const exp = Number(m[4] ?? 0);
  const tolerance = 0.5 * 10 ** (exp - decimals) * (1 + 1e-9);
  const got = Number(printed.replaceAll(",", ""));
  assert.ok(Math.abs(got - value) <= tolerance, `${what}: printed ${printed}, field ${value}`);
}

function match(re: RegExp, line: string): RegExpExecArray {
  const m = re.exec(line);
  assert.ok(m, `${re} matches:\n${line}`);
  return m;
}

interface Checks {
  step(msg: string, d: Step, cfg: RunConfig): void;
  val(msg: string, d: Val, cfg: RunConfig): void;
  ckpt(msg: string, d: Ckpt, cfg: RunConfig): void;
}

const NUM = String.raw`(-?[\d,]+(?:\.\d+)?(?:[eE][+-]?\d+)?)`;
const num = (s: string) => new RegExp(s.replaceAll("#", NUM));

/** Styles that keep fauxtrain's own validation line check it the same way. */
function nativeVal(msg: string, d: Val): void {
  const m = match(num(String.raw`step (\d+) \| val_loss # \| val_ppl #`), msg);
  assert.equal(Number(m[1]), d.step);
  assertPrinted(m[2], d.loss, "val_loss");
  assertPrinted(m[3], d.ppl, "val_ppl");
}

const CHECKS: Record<string, Checks> = {
  megatron: {
    step(msg, d, cfg) {
      const m = match(
        num(
          String
            .raw`iteration +(\d+)/ +(\d+) \| consumed samples: +(\d+) \| elapsed time per iteration \(ms\): # \| throughput per GPU \(TFLOP/s/GPU\): # \| learning rate: # \| global batch size: +(\d+) \| lm loss: # \| loss scale: # \| grad norm: # \| number of skipped iterations: +(\d+) \|`,
        ),
        msg,
      );
      assert.deepEqual(m.slice(1, 4).map(Number), [
        d.step,
        d.total_steps,
        d.step * cfg.globalBatch,
      ]);
      assertPrinted(m[4], d.step_time_s * 1000, "elapsed ms");
      assertPrinted(m[5], d.tflops_per_gpu, "TFLOP/s");
      assertPrinted(m[6], d.lr, "learning rate");
      assert.equal(Number(m[7]), cfg.globalBatch);
      assertPrinted(m[8], d.loss, "lm loss");
      assertPrinted(m[9], d.loss_scale, "loss scale");
      assertPrinted(m[10], d.grad_norm, "grad norm");
      assert.equal(Number(m[11]), d.skipped ? 1 : 0);
    },
    val(msg, d) {
      const m = match(
        num(String.raw`at iteration (\d+) .*lm loss value: # \| lm loss PPL: #`),
        msg,
      );
      assert.equal(Number(m[1]), d.step);
      assertPrinted(m[2], d.loss, "val loss");
      assertPrinted(m[3], d.ppl, "val ppl");
    },
    ckpt(msg, d) {
      const m = match(
        num(String.raw`from iteration +(\d+) [\s\S]*save-checkpoint \.+: \(#, #\)`),
        msg,
      );
      assert.equal(Number(m[1]), d.step);
      assertPrinted(m[3], d.time_s * 1000, "save ms");
      assert.ok(Number(m[2]) <= Number(m[3]));
    },
  },
  deepspeed: {
    step(msg, d, cfg) {
      const m = match(num(String.raw`step=(\d+), skipped=(\d+), lr=\[#, #\]`), msg);
      assert.equal(Number(m[1]), d.step);
      assert.equal(Number(m[2]), skippedSoFar(cfg, d.loss_scale));
      assert.equal(Number(m[3]), d.lr);
      assert.equal(Number(m[4]), d.lr);
      const t = match(
        num(
          String
            .raw`epoch=(\d+)/micro_step=(\d+)/global_step=(\d+), RunningAvgSamplesPerSec=#, CurrSamplesPerSec=#`,
        ),
        msg,
      );
      assert.deepEqual(t.slice(1, 4).map(Number), [d.epoch - 1, d.step * cfg.gradAccum, d.step]);
      assert.equal(Number(t[4]), (d.step * cfg.globalBatch) / d.elapsed_s);
      assert.equal(Number(t[5]), d.samples_per_s);
    },
    val: nativeVal,
    ckpt(msg, d) {
      const m = match(
        num(String.raw`Saved checkpoint global_step(\d+) .*, (\d+) shards\) in # s`),
        msg,
      );
      assert.equal(Number(m[1]), d.step);
      assert.equal(Number(m[2]), d.shards);
      assertPrinted(m[3], d.time_s, "save seconds");
      assert.ok(msg.includes(`global_step${d.step}/`));
    },
  },
  hf: {
    step(msg, d) {
      const bar = match(/\| (\d+)\/(\d+) \[/, msg);
      assert.deepEqual([Number(bar[1]), Number(bar[2])], [d.step, d.total_steps]);
      const m = match(
        num(String.raw`\{'loss': #, 'grad_norm': #, 'learning_rate': #, 'epoch': #\}`),
        msg,
      );
      assertPrinted(m[1], d.loss, "loss");
      assert.equal(Number(m[2]), Math.fround(d.grad_norm));
      assert.equal(Number(m[3]), d.lr);
      assertPrinted(m[4], d.epoch - 1 + d.epoch_step / d.steps_per_epoch, "epoch");
    },
    val(msg, d, cfg) {
      const m = match(
        num(
          String
            .raw`\{'eval_loss': #, 'eval_accuracy': #, 'eval_runtime': #, 'eval_samples_per_second': #, 'eval_steps_per_second': #, 'epoch': #\}`,
        ),
        msg,
      );
      assert.equal(Number(m[1]), Math.fround(d.loss));
      assert.equal(Number(m[2]), Math.fround(d.accuracy));
      assertPrinted(m[3], d.time_s, "runtime");
      assertPrinted(m[4], d.samples / d.time_s, "samples/s");
      assertPrinted(m[5], validationPlan(cfg).batches / d.time_s, "steps/s");
      assert.equal(Number(m[6]), d.epoch);
    },
    ckpt(msg, d) {
      assert.ok(msg.includes(`Configuration saved in ${d.path}/config.json`));
      assert.ok(d.path.endsWith(`checkpoint-${d.step}`));
    },
  },
  lightning: {
    step(msg, d) {
      const m = match(
        num(String.raw`Epoch (\d+): +\d+%\|.*\| (\d+)/(\d+) \[.*train_loss=#, lr=#, grad_norm=#\]`),
        msg,
      );
      assert.deepEqual(m.slice(1, 4).map(Number), [d.epoch - 1, d.epoch_step, d.steps_per_epoch]);
      assertPrinted(m[4], d.loss, "train_loss");
      assertPrinted(m[5], d.lr, "lr");
      assertPrinted(m[6], d.grad_norm, "grad_norm");
    },
    val(msg, d) {
      const m = match(
        num(String.raw`val_acc +│ +# +│[\s\S]*val_loss +│ +# +│[\s\S]*val_ppl +│ +# +│`),
        msg,
      );
      assert.equal(Number(m[1]), Math.fround(d.accuracy));
      assert.equal(Number(m[2]), Math.fround(d.loss));
      assert.equal(Number(m[3]), Math.fround(d.ppl));
    },
    ckpt(msg, d) {
      const m = match(
        /Epoch (\d+), global step (\d+): 'step' reached (\d+)\.00000 .*epoch=(\d+)-step=(\d+)\.ckpt/,
        msg,
      );
      assert.deepEqual(m.slice(1).map(Number), [d.epoch - 1, d.step, d.step, d.epoch - 1, d.step]);
    },
  },
  nanogpt: {
    step(msg, d) {
      const m = match(num(String.raw`^iter (\d+): loss #, time #ms, mfu #%$`), msg);
      assert.equal(Number(m[1]), d.step);
      assertPrinted(m[2], d.loss, "loss");
      assertPrinted(m[3], d.step_time_s * 1000, "time");
      // nanoGPT has no MFU estimate for its first iterations and prints -100.00%.
      assertPrinted(m[4], d.step < 5 ? -100 : d.mfu * 100, "mfu");
    },
    val(msg, d) {
      const m = match(num(String.raw`^step (\d+): val loss #$`), msg);
      assert.equal(Number(m[1]), d.step);
      assertPrinted(m[2], d.loss, "val loss");
    },
    ckpt(msg, _d, cfg) {
      assert.equal(msg, `saving checkpoint to ${cfg.outputDir}`);
    },
  },
  torchrun: {
    // torchtitan's tps, TFLOP/s and MFU are its own window arithmetic (tests/style/torchrun_test.ts).
    step(msg, d) {
      const m = match(num(String.raw`step: +(\d+)  loss: +#  (?:grad_norm: +#  )?memory: `), msg);
      assert.equal(Number(m[1]), d.step);
      assertPrinted(m[2], d.loss, "loss");
      if (m[3] !== undefined) assertPrinted(m[3], d.grad_norm, "grad_norm");
    },
    val(msg, d) {
      const m = match(num(String.raw`validate step: +(\d+)  loss: +#  memory: `), msg);
      assert.equal(Number(m[1]), d.step);
      assertPrinted(m[2], d.loss, "validation loss");
    },
    ckpt(msg, d) {
      const m = match(num(String.raw`if async is enabled\)in # seconds\.`), msg);
      assertPrinted(m[1], d.time_s, "save seconds");
    },
  },
};

const RUNS = [
  { seed: 7 },
  { seed: 12, nodes: 2, dataset: findDataset("alpaca") },
  { seed: 4, nodes: 2, gpu: findGpu("v100") },
];

for (const [name, checks] of Object.entries(CHECKS)) {
  Deno.test(`${name}: every number in step, validation and checkpoint lines equals its field`, () => {
    const seen = { step: 0, val: 0, ckpt: 0 };
    for (const choices of RUNS) {
      const { cfg, events } = styledRun(choices, STYLES[name]);
      for (const ev of events) {
        if (ev.msg === "" || (ev.type === "step" && !ev.logged)) continue;
        if (ev.type === "step") checks.step(ev.msg, ev.data, cfg), seen.step++;
        if (ev.type === "val") checks.val(ev.msg, ev.data, cfg), seen.val++;
        if (ev.type === "ckpt") checks.ckpt(ev.msg, ev.data, cfg), seen.ckpt++;
      }
    }
    assert.ok(seen.step > 50 && seen.val >= 3 && seen.ckpt >= 3, JSON.stringify(seen));
  });
}

Deno.test("assertPrinted() rejects a number rounded to the wrong precision", () => {
  assert.throws(() => assertPrinted("2.198845E+00", 2.1989, "x"));
  assert.throws(() => assertPrinted("9.65", 9.66, "x"));
  assertPrinted("9.65", 9.6450123, "x");
  assertPrinted("3.2e+4", 31955, "x");
  assertPrinted("8,809", 8809.4, "x");
});
