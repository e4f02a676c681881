/**
 * Every number a framework style prints for a step, validation or checkpoint equals the event
 * field it came from, at the precision printed.
 */
import assert from "node:assert/strict";
import type { DataEvent } from "../../src/sim/events.ts";
import type { RunConfig } from "../../src/sim/run_config.ts";
import { findDataset, findGpu } from "../../src/sim/catalog.ts";
import { STYLES } from "../../src/style/style.ts";
import { drawTraits } from "../../src/style/deepspeed_state.ts";
import { shownRanks } from "../../src/style/deepspeed_log.ts";
import { pyFloat } from "../../src/format/python_repr.ts";
import { learningRate } from "../../src/sim/model/schedule.ts";
import { scheduleOf } from "../../src/sim/phases/train_state.ts";
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

const CHECKS: Record<string, Checks> = {
  megatron: {
    step(msg, d, cfg) {
      // The interval's mean time, the applied updates' learning rate and the skip counts are
      // the interval's (tests/style/megatron_test.ts); the rest is the step's own.
      const line = msg.split("\n").find((l) => l.includes("] iteration "))!;
      const m = match(/iteration +(\d+)\/ +(\d+) \| consumed samples: +(\d+) \|/, line);
      assert.deepEqual(m.slice(1, 4).map(Number), [
        d.step,
        d.total_steps,
        d.step * cfg.globalBatch,
      ]);
      const field = (name: string) => new RegExp(`\\| ${name}: ([^|]+) \\|`).exec(line)?.[1];
      assert.equal(Number(field("global batch size")), cfg.globalBatch);
      const loss = field("lm loss");
      if (loss !== undefined) assertPrinted(loss, d.loss, "lm loss");
      assertPrinted(field("loss scale")!, d.loss_scale, "loss scale");
      const grad = field("grad norm");
      assert.equal(grad === undefined, d.skipped === true, "grad norm absent iff skipped");
      if (grad !== undefined) assertPrinted(grad, d.grad_norm, "grad norm");
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
      const report = /step=(\d+), skipped=(\d+), lr=\[(\S+), \S+\]/.exec(msg);
      if (report) {
        assert.equal(Number(report[1]), d.step);
        // The scheduler does not step on skipped steps: it is `skipped` steps behind.
        const lr = learningRate(scheduleOf(cfg), d.step - Number(report[2]));
        assert.equal(report[3], pyFloat(lr));
      }
      const timer = /CurrSamplesPerSec=(\S+), MemAllocated/.exec(msg);
      if (timer) {
        const busy = d.step_time_s * drawTraits(cfg).busyFraction;
        assert.equal(timer[1], pyFloat(cfg.globalBatch / (busy + 1e-6)));
      }
    },
    val(msg, d) {
      // exp of the fp32 mean loss, a float32 read into a Python float; from DeepSpeed-Chat's
      // 2023-10 commit the loss beside it (before the first epoch, that epoch's banner follows).
      const m = /ppl: (\S+?)(?:, loss: (\S+))?$/m.exec(msg);
      assert.ok(m, msg);
      assert.equal(m[1], pyFloat(Math.fround(Math.exp(Math.fround(d.loss)))));
      if (m[2] !== undefined) assert.equal(m[2], pyFloat(Math.fround(d.loss)));
    },
    ckpt(msg, d, cfg) {
      const ready = msg.split("\n").filter((l) =>
        l.endsWith(`[Torch] Checkpoint global_step${d.step} is ready now!`)
      );
      assert.equal(ready.length, shownRanks(cfg).length);
      assert.ok(!/Saved checkpoint .* in /.test(msg), "no narrator line");
    },
  },
  hf: {
    // A captured log: a step's message holds the bar's frames before it (the frame still being
    // drawn, and its dict in the stdout buffer, come out with later lines).
    step(msg, d) {
      for (const f of msg.matchAll(/\| (\d+)\/(\d+) \[/g)) {
        assert.ok(Number(f[1]) <= d.step && Number(f[2]) === d.total_steps, f[0]);
      }
    },
    val(msg, d) {
      const m = /\{'eval_loss': ([^,]+), 'eval_accuracy': [^,]+, 'eval_runtime': ([^,]+),/.exec(
        msg,
      );
      if (!m) return;
      assert.equal(Number(m[1]), Math.fround(d.loss));
      assertPrinted(m[2], d.time_s, "runtime");
    },
    ckpt(msg, d) {
      // The save's last records close it (its configs came as it began).
      assert.ok(msg.includes(`tokenizer config file saved in ${d.path}/tokenizer_config.json`));
      assert.ok(d.path.endsWith(`checkpoint-${d.step}`));
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
  // A DeepSpeed script that saves engine checkpoints (not every team's does).
  { seed: 16, nodes: 2, dataset: findDataset("alpaca") },
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
