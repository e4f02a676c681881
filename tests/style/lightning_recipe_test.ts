import assert from "node:assert/strict";
import { validationPlan } from "../../src/sim/phases/train.ts";
import { drawProfile } from "../../src/style/lightning_profile.ts";
import { vNum } from "../../src/style/lightning_state.ts";
import { lightningRun } from "./lightning_run.ts";

const SEEDS = Array.from({ length: 30 }, (_, i) => 101 + i);
const RUNS = SEEDS.map((seed) => lightningRun({ seed }));

/** The `key=value` pairs of a bar's postfix. */
function postfix(line: string): Map<string, string> {
  const m = /, (v_num=[^\]]*)\]/.exec(line);
  return new Map(m ? m[1].split(", ").map((kv) => kv.split("=", 2) as [string, string]) : []);
}

Deno.test("vNum() shows an int version whole and a W&B id by its last 4 places", () => {
  assert.equal(vNum(0), "0");
  assert.equal(vNum(13), "13");
  assert.equal(vNum("semg705f"), "705f");
  // Lightning pads a string that reads as a number, as it pads every string metric.
  assert.equal(vNum("ab121234"), "1234.");
});

Deno.test("v_num is the logger's version: a small int, or 4 places of a W&B id", () => {
  const loggers = new Set<string>();
  for (const { cfg, lines } of RUNS) {
    const p = drawProfile(cfg);
    loggers.add(p.r.logger);
    const shown = new Set(lines.flatMap((l) => postfix(l).get("v_num") ?? []));
    assert.ok(shown.size >= 1, `seed ${cfg.seed}: no v_num`);
    for (const v of shown) {
      if (p.r.logger === "wandb") assert.match(v, /^(?:[a-z0-9]{4}|\d{4}\.)$/);
      else assert.ok(Number(v) < 100 && /^\d+$/.test(v), `seed ${cfg.seed}: v_num=${v}`);
    }
  }
  assert.deepEqual([...loggers].sort(), ["csv", "tensorboard", "wandb"]);
});

Deno.test("the epoch bar advances by the refresh rate, and shows the script's metric names", () => {
  const rates = new Set<number>(), names = new Set<string>();
  for (const { cfg, lines } of RUNS) {
    const { r } = drawProfile(cfg);
    rates.add(r.refreshRate);
    const epoch0 = lines.filter((l) => /^Epoch 0: .*\| [1-9]\d*\/\d+ \[/.test(l));
    const ns = [...new Set(epoch0.map((l) => Number(/\| (\d+)\/(\d+) \[/.exec(l)![1])))];
    const total = Number(/\/(\d+) \[/.exec(epoch0[0])![1]);
    for (const n of ns) {
      assert.ok(n % r.refreshRate === 0 || n === total, `seed ${cfg.seed}: n=${n}`);
    }
    const keys = new Set(lines.flatMap((l) => [...postfix(l).keys()]));
    assert.ok(keys.has(r.epochLoss ? `${r.trainKey}_step` : r.trainKey), `seed ${cfg.seed}`);
    for (const k of keys) names.add(k);
  }
  assert.ok(rates.size >= 3, `refresh rates ${[...rates]}`);
  for (const k of ["loss", "train_loss", "train/loss_step", "val_loss", "val/loss"]) {
    assert.ok([...names].some((n) => n.startsWith(k)), `no run logs ${k}: ${[...names]}`);
  }
});

Deno.test("the validation bar's batches follow from the run's split and batch size", () => {
  const counts = new Set<number>();
  for (const { cfg, lines } of RUNS) {
    const { r } = drawProfile(cfg);
    // The pass's last batch (tqdm rounds 199/200 up to 100% too).
    const done = lines.filter((l) =>
      /^Validation DataLoader 0: 100%\|[^|]*\| (\d+)\/\1 \[/.test(l)
    );
    if (done.length === 0) continue;
    const batches = validationPlan(cfg).batches;
    // Each rank reads its share of the held-out samples, two micro-batches at a time.
    assert.equal(batches, r.valSamples / (cfg.plan.microBatch * 2 * cfg.plan.dp));
    for (const l of done) assert.ok(l.includes(` ${batches}/${batches} [`), l);
    counts.add(batches);
    // A forward pass alone: faster per batch than training's forward and backward.
    const valRate = Number(/(\d+\.\d\d)it\/s\]$/.exec(done[0])?.[1] ?? "0");
    const train = lines.find((l) => /^Epoch 0: +\d+%.*\d\/\d+ \[[^\]]*it\/s, v_num/.test(l));
    const trainRate = Number(/(\d+\.\d\d)it\/s/.exec(train ?? "")?.[1] ?? "0");
    if (valRate > 0 && trainRate > 0 && batches > 3) {
      assert.ok(valRate > trainRate, `seed ${cfg.seed}: val ${valRate} vs train ${trainRate}`);
    }
  }
  assert.ok(counts.size >= 8, `validation sizes ${[...counts]}`);
});

Deno.test("over 30 seeds checkpoints, monitors and endings vary as scripts vary", () => {
  const templates = new Set<string>(), stops = new Set<string>(), monitors = new Set<string>();
  let silent = 0;
  for (const { cfg, lines } of RUNS) {
    const { r } = drawProfile(cfg);
    templates.add(r.pattern.template);
    monitors.add(String(r.monitor));
    const saves = lines.filter((l) => / global step \d+: '/.test(l));
    // The Trainer's default checkpoint callback, or verbose=False, says nothing.
    if (r.monitor === null || !r.verbose) assert.equal(saves.length, 0);
    if (saves.length === 0) silent++;
    for (const l of saves) {
      const path = /saving model to '([^']+)'/.exec(l)?.[1];
      if (path) assert.ok(!path.includes("/checkpoints/epoch=0-step=0"), path);
    }
    stops.add(/stopped: `(max_\w+)=/.exec(lines.find((l) => l.includes("stopped:")) ?? "")![1]);
  }
  assert.ok(templates.size >= 4, `templates ${[...templates]}`);
  assert.ok(monitors.size >= 3, `monitors ${[...monitors]}`);
  assert.deepEqual([...stops].sort(), ["max_epochs", "max_steps"]);
  assert.ok(silent >= 3 && silent <= 27, `${silent} runs without checkpoint lines`);
});
