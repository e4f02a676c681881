/**
 * The Megatron style's arithmetic, read back from its text: timestamp gaps, consumed samples,
 * evaluation and save cadence, memory counters, validation rules, fp16 loss scaling, timers.
 */
import assert from "node:assert/strict";
import { findDataset, findGpu, findModel } from "../../src/sim/catalog.ts";
import { drawRunConfig } from "../../src/sim/run_config.ts";
import { documentCount } from "../../src/style/megatron_datasets.ts";
import { STYLES } from "../../src/style/style.ts";
import { validationBlock } from "../../src/style/megatron_eval.ts";
import { timerBlock } from "../../src/style/megatron_timers.ts";
import { argumentDump } from "../../src/style/megatron_args.ts";
import { memoryLine } from "../../src/style/megatron_memory.ts";
import type { RunChoices } from "../../src/sim/run_config.ts";
import { styledRun, textOf } from "./styled_run.ts";

const STYLE = STYLES.megatron;

/** The worker lines of a run without their `[defaultN]:` prefixes. */
function linesOf(choices: Omit<RunChoices, "startMs">): string[] {
  return textOf(styledRun(choices, STYLE).events).map((l) => l.replace(/^\[default\d+\]:/, ""));
}

/** One argument's value from the dump. */
function arg(lines: string[], name: string): string {
  const line = lines.find((l) => l.startsWith(`  ${name} .`));
  assert.ok(line, `argument ${name}`);
  return line.slice(52);
}

const ITER = /^ \[(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)\] iteration +(\d+)\/ +\d+ \|/;

function field(line: string, name: string): string | undefined {
  return new RegExp(`\\| ${name}: ([^|]+?) \\|`).exec(line)?.[1];
}

Deno.test("validationBlock(): dashes one longer than the line, PPL = exp(loss)", () => {
  // exp(7.3988647) = 1634.1275…
  const [rule, text, bottom] = validationBlock("iteration 100", 7.3988647);
  assert.equal(
    text,
    " validation loss at iteration 100 | lm loss value: 7.398865E+00 | lm loss PPL: 1.634128E+03 | ",
  );
  assert.equal(rule, "-".repeat(text.length + 1));
  assert.equal(bottom, rule);
});

Deno.test("timerBlock(): names dotted to column 52, two decimals, min before max", () => {
  assert.deepEqual(timerBlock([["save-checkpoint", 30421.3412, 30421.359]]), [
    "(min, max) time across ranks (ms):",
    "    save-checkpoint ................................: (30421.34, 30421.36)",
  ]);
});

Deno.test("argumentDump(): dots to column 52, sorted case-blind, long names without dots", () => {
  const dump = argumentDump(
    new Map([["lr", "0.0003"], ["DDP_impl", "local"], ["data_path", "['x']"], [
      "inference_dynamic_batching_buffer_guaranteed_fraction",
      "0.2",
    ]]),
  );
  assert.deepEqual(dump.slice(1, -1), [
    "  data_path ....................................... ['x']",
    "  DDP_impl ........................................ local",
    "  inference_dynamic_batching_buffer_guaranteed_fraction  0.2",
    "  lr .............................................. 0.0003",
  ]);
});

Deno.test("memoryLine(): raw float megabytes, reserved whole", () => {
  const m = { allocated: 1761.685546875, maxAllocated: 2589.13525390625, reserved: 2608 };
  assert.equal(
    memoryLine(2, 20, m),
    "[Rank 2] (after 20 iterations) memory (MB) | allocated: 1761.685546875 | max allocated: " +
      "2589.13525390625 | reserved: 2608.0 | max reserved: 2608.0",
  );
});

for (
  const choices of [{ seed: 7 }, { seed: 12, nodes: 2 }, {
    seed: 4,
    nodes: 2,
    gpu: findGpu("v100"),
  }]
) {
  Deno.test(`seed ${choices.seed}: timestamp gaps are interval × elapsed plus the evaluation and save timers`, () => {
    const lines = linesOf(choices);
    const interval = Number(arg(lines, "log_interval")),
      gbs = Number(arg(lines, "global_batch_size"));
    let prev: { at: number; step: number } | null = null, paused = 0, checked = 0;
    for (const line of lines) {
      const t = /^ {4}(evaluate|save-checkpoint) \.+: \([\d.]+, ([\d.]+)\)$/.exec(line);
      if (t) paused += Number(t[2]);
      if (line.startsWith("[before the start of training step]")) prev = null;
      const m = ITER.exec(line);
      if (!m) continue;
      const at = Date.parse(m[1].replace(" ", "T") + "Z") / 1000, step = Number(m[2]);
      assert.equal(step % interval, 0, `iteration ${step} on the log interval`);
      assert.equal(Number(field(line, "consumed samples")), step * gbs);
      const ms = Number(field(line, "elapsed time per iteration \\(ms\\)"));
      if (prev && step - prev.step === interval) {
        const expected = (interval * ms + paused) / 1000;
        assert.ok(
          Math.abs(at - prev.at - expected) <= 1.01,
          `${step}: ${at - prev.at} s vs ${expected}`,
        );
        checked++;
      }
      prev = { at, step };
      paused = 0;
    }
    assert.ok(checked > 20, `${checked} gaps checked`);
  });
}

Deno.test("evaluations fall on multiples of eval_interval, saves on multiples of save_interval", () => {
  for (const choices of [{ seed: 7 }, { seed: 12, nodes: 2 }]) {
    const lines = linesOf(choices);
    const evalEvery = Number(arg(lines, "eval_interval")),
      saveEvery = Number(arg(lines, "save_interval"));
    const last = Number(arg(lines, "train_iters"));
    const evals = lines.flatMap((l) =>
      /^ validation loss at iteration (\d+) \|/.exec(l)?.[1] ?? []
    );
    assert.ok(evals.length >= 1);
    for (const s of evals) assert.equal(Number(s) % evalEvery, 0, `evaluation at ${s}`);
    const saves = lines.flatMap((l) =>
      /^saving checkpoint at iteration +(\d+) to /.exec(l)?.[1] ?? []
    );
    assert.ok(saves.length >= 2);
    for (const s of saves) {
      assert.ok(Number(s) % saveEvery === 0 || Number(s) === last, `save at ${s}`);
    }
  }
});

Deno.test("the memory report: after the first interval, raw allocated floats, reserved in 2 MiB", () => {
  const lines = linesOf({ seed: 12, nodes: 2 });
  const theory = lines.find((l) => l.startsWith("Theoretical memory footprints"))!;
  const footprint = Number(/=([\d.]+) MB/.exec(theory)![1]);
  const reports = lines.filter((l) => /^\[Rank \d+\] \(after \d+ iterations\)/.test(l));
  assert.ok(reports.length >= 1);
  for (const r of reports) {
    const [a, ma, res, mres] = [...r.matchAll(/: ([\d.]+)/g)].map((x) => x[1]);
    assert.ok(Number(a) !== footprint, "allocated is measured, not the theoretical footprint");
    assert.equal((Number(a) * 2048) % 1, 0, "allocated counts 512-byte blocks");
    assert.ok(Number(a) <= Number(ma) && Number(ma) <= Number(res));
    assert.match(res, /^\d+\.0$/);
    assert.equal(Number(res) % 2, 0, "reserved is whole 2 MiB blocks");
    assert.equal(res, mres);
  }
});

Deno.test("fp16: 2^32 at first, the skipped burst prints LR 0 and no loss, then the scale settles", () => {
  const lines = linesOf({ seed: 4, nodes: 2, gpu: findGpu("v100"), logInterval: 1 });
  // The scaler starts where the run's does (Megatron's 2^32, or a job's --initial-loss-scale).
  const initial = Number(arg(lines, "initial_loss_scale"));
  assert.ok(initial === 2 ** 32 || initial === 2 ** 16, `initial scale ${initial}`);
  const interval = Number(arg(lines, "log_interval"));
  const iters = lines.filter((l) => ITER.test(l));
  // The burst (16 to 19 skips) fills the first interval of 5 or 10 iterations.
  const first = iters[0];
  assert.equal(Number(field(first, "number of skipped iterations")), interval, first);
  assert.equal(field(first, "learning rate"), "0.000000E+00");
  assert.equal(field(first, "lm loss"), undefined);
  assert.equal(field(first, "grad norm"), undefined);
  // The first overflow only spends the hysteresis; every later one halves the scale.
  let total = 0;
  for (const l of iters.slice(0, 5)) {
    total += Number(field(l, "number of skipped iterations"));
    assert.equal(Number(field(l, "loss scale")), initial * 2 ** (1 - total), l);
  }
  const settled = iters.find((l) => Number(field(l, "number of skipped iterations")) < interval)!;
  assert.notEqual(field(settled, "lm loss"), undefined, "a partly applied interval has a loss");
  assert.notEqual(field(settled, "learning rate"), "0.000000E+00");
});

Deno.test("bf16 prints loss scale 1.0; throughput × elapsed is the same on every line", () => {
  const lines = linesOf({ seed: 7 });
  const iters = lines.filter((l) => ITER.test(l));
  const products = iters.map((l) =>
    Number(field(l, "throughput per GPU \\(TFLOP/s/GPU\\)")) *
    Number(field(l, "elapsed time per iteration \\(ms\\)"))
  );
  for (const l of iters) assert.equal(field(l, "loss scale"), "1.0");
  const spread = Math.max(...products) / Math.min(...products);
  assert.ok(spread < 1.002, `rounding only: ${spread}`);
});

Deno.test("with timing logged, each interval's timers align and the first interval is the slowest", () => {
  let found = false;
  for (let seed = 1; seed <= 40 && !found; seed++) {
    const lines = linesOf({ seed });
    if (arg(lines, "timing_log_level") === "0") continue;
    found = true;
    const fb = lines.filter((l) => l.startsWith("    forward-backward ."));
    for (const l of lines.filter((l) => /^ {4}\S+ \.+: \(/.test(l))) {
      assert.equal(l.indexOf(": ("), 52, l);
      const [min, max] = /\(([\d.]+), ([\d.]+)\)/.exec(l)!.slice(1).map(Number);
      assert.ok(min <= max, l);
    }
    const maxOf = (l: string) => Number(/, ([\d.]+)\)/.exec(l)![1]);
    assert.ok(maxOf(fb[0]) > Math.max(...fb.slice(1, 6).map(maxOf)), "warm-up interval slower");
  }
  assert.ok(found, "some seed logs timing");
});

Deno.test("a mixture of experts logs load_balancing_loss near 1 after the loss", () => {
  const lines = linesOf({ seed: 1, model: findModel("mixtral-8x7b"), nodes: 8 });
  assert.equal(arg(lines, "num_experts"), "8");
  const iters = lines.filter((l) => ITER.test(l));
  for (const l of iters) {
    const aux = Number(field(l, "load_balancing_loss"));
    assert.ok(aux > 0.99 && aux < 1.5, l);
    assert.ok(l.indexOf("| lm loss:") < l.indexOf("| load_balancing_loss:"));
  }
});

Deno.test("the same seed prints the same bytes; another seed does not", () => {
  const a = linesOf({ seed: 21, chaos: "high" }).join("\n");
  assert.equal(linesOf({ seed: 21, chaos: "high" }).join("\n"), a);
  assert.notEqual(linesOf({ seed: 22, chaos: "high" }).join("\n"), a);
});

Deno.test("megatron: the worker a failure report names printed its own error first", () => {
  let checked = 0;
  for (let seed = 1; seed <= 30; seed++) {
    const { cfg, events } = styledRun({ seed, nodes: 16, chaos: "high" }, STYLES.megatron);
    const lines = textOf(events);
    lines.forEach((line, i) => {
      const m = / {2}rank {6}: (\d+) \(local_rank: \d+\)$/.exec(line);
      const code = / {2}exitcode {2}: (-?\d+)/.exec(lines[i + 1] ?? "");
      // A process the kernel killed (-9) prints nothing; one that aborted or raised does.
      if (!m || !code || code[1] === "-9" || code[1] === "-11") return;
      const before = lines.slice(0, i).join("\n");
      assert.ok(
        before.includes(`[rank${m[1]}]:`) || before.includes(`Rank ${m[1]}]`),
        `seed ${seed} (${cfg.nodes} nodes): rank ${m[1]} exited ${code[1]} without a word`,
      );
      checked++;
    });
  }
  assert.ok(checked > 3, `${checked} failure reports`);
});

Deno.test("megatron: the corpus's .idx holds an exact document count near the published size", () => {
  const seen = new Set<number>();
  for (let seed = 1; seed <= 20; seed++) {
    const cfg = drawRunConfig({ seed, startMs: 0, dataset: findDataset("fineweb")! });
    const n = documentCount(cfg);
    assert.ok(n % 1000 !== 0 && Math.abs(n / cfg.dataset.samples - 1) < 0.01, `${n}`);
    seen.add(n);
  }
  // The same corpus tokenized the same way is the same file: a few counts, not one per run.
  assert.ok(seen.size < 20, `${seen.size} counts`);
});

Deno.test("megatron: only fp16's grad scaler skips an update; a bf16 run's counter stays at 0", () => {
  let skipsSeen = 0;
  for (let seed = 1; seed <= 16; seed++) {
    const { cfg, events } = styledRun({ seed, chaos: "high" }, STYLES.megatron);
    const skipped = textOf(events).flatMap((l) => {
      const m = /number of skipped iterations: +(\d+)/.exec(l);
      return m ? [Number(m[1])] : [];
    });
    if (cfg.precision !== "fp16") {
      assert.ok(skipped.every((n) => n === 0), `seed ${seed} (${cfg.precision})`);
      skipsSeen += events.filter((e) => e.type === "step" && e.data.skipped).length;
    }
  }
  // The simulation did skip batches in these bf16 runs (a spike's skipped batch): none counted.
  assert.ok(skipsSeen > 0, `${skipsSeen} skipped steps in bf16 runs`);
});
