/**
 * What a reader compares across many HF and DeepSpeed excerpts: GPU tool output only where the
 * job script runs it, per-process timestamps that never go back, the eval loop's batch count,
 * DeepSpeed's counters and rank→host mapping, and recipes that differ from run to run.
 */
import assert from "node:assert/strict";
import { drawRun } from "../../src/sim/scenario.ts";
import type { RunChoices, RunConfig } from "../../src/sim/run_config.ts";
import { cadenceFor, paceFor } from "../../src/driver/driver.ts";
import { stylePacing } from "../../src/style/pacing.ts";
import { hostName } from "../../src/sim/names.ts";
import { STYLES } from "../../src/style/style.ts";
import { START_MS, styledConfig, styledRun, textOf } from "./styled_run.ts";

type Name = "hf" | "deepspeed";

/** A default run (no sizing flags) of `seed` in `name`'s style, with its GPU readings. */
function fitted(name: Name, seed: number, extra: Partial<RunChoices> = {}) {
  const cfg: RunConfig = drawRun({
    seed,
    startMs: START_MS,
    pacing: (c) => stylePacing(name, c),
    ...extra,
  });
  return styledConfig(cfg, STYLES[name], cadenceFor(cfg, paceFor(true, null), false));
}

const GPU_TOOL =
  /^(?:[\w.-]+: )?(?:\+ (?:nvidia-smi|pdsh .*nvidia-smi|srun .*nvidia-smi)|\| NVIDIA-SMI |#(?:Time| gpu))/;

for (const name of ["hf", "deepspeed"] as const) {
  Deno.test(`${name}: GPU tool output in a minority of runs, traced only with the script's set -x`, () => {
    let withGpu = 0, traced = 0;
    const seeds = 40;
    for (let seed = 1; seed <= seeds; seed++) {
      const lines = textOf(fitted(name, seed).events);
      const gpu = lines.filter((l) => GPU_TOOL.test(l));
      if (gpu.length > 0) withGpu++;
      const plus = lines.filter((l) => /^(?:[\w.-]+: )?\+ /.test(l));
      if (plus.length > 0) {
        traced++;
        // Under set -x every command of the script is traced, the launch among them.
        assert.ok(
          plus.some((l) => /^\+ (?:cd|srun|torchrun|accelerate|deepspeed) /.test(l)),
          `seed ${seed}: a traced monitor without the script's other commands`,
        );
      }
    }
    assert.ok(withGpu > 0 && withGpu <= seeds * 0.35, `${withGpu}/${seeds} runs show GPU tools`);
    assert.ok(traced > 0 && traced <= seeds * 0.45, `${traced}/${seeds} runs are traced`);
  });
}

/** Milliseconds of a main-process record (transformers' `[INFO|…] date,ms >>` or `__main__`). */
function mainProcessMs(line: string): number | null {
  const hf = line.match(/^\[INFO\|[\w.]+:\d+\] (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d),(\d{3}) >>/);
  if (hf) return Date.parse(`${hf[1].replace(" ", "T")}.${hf[2]}Z`);
  const main = line.match(
    /^(\d\d)\/(\d\d)\/(\d{4}) (\d\d:\d\d:\d\d) - (?:INFO|WARNING - __main__ - Process rank: 0,)/,
  );
  if (main) return Date.parse(`${main[3]}-${main[1]}-${main[2]}T${main[4]}.999Z`);
  return null;
}

/** Fails when one stream's records of the main process go back in time. */
function assertMonotone(lines: string[], what: string): void {
  // transformers logs to stderr, run_clm.py's __main__ logger to stdout: each stream in order
  // (a block-buffered stdout reaches the file later, but its own records stay in order).
  const last = new Map<string, [number, string]>();
  for (const line of lines) {
    const ms = mainProcessMs(line);
    if (ms === null) continue;
    const stream = line.startsWith("[") ? "err" : "out";
    const prev = last.get(stream);
    // __main__ lines carry whole seconds (read as the second's last ms).
    assert.ok(!prev || ms >= prev[0], `${what}: ${line}\nafter ${prev?.[1]}`);
    last.set(stream, [stream === "out" ? ms - 999 : ms, line]);
  }
}

Deno.test("hf: one process's records never go back in time (single node, every phase)", () => {
  const runs: Array<Partial<RunChoices>> = [{}, { chaos: "high" }, { nodes: 1 }, {
    chaos: "high",
    nodes: 1,
  }];
  for (let seed = 1; seed <= 24; seed++) {
    for (const extra of runs) {
      const { cfg, events } = fitted("hf", seed, extra);
      if (cfg.nodes === 1) assertMonotone(textOf(events), `seed ${seed} ${JSON.stringify(extra)}`);
    }
  }
  for (const seed of [9, 14]) {
    const { events } = styledRun({ seed, nodes: 1, chaos: "high", resume: true }, STYLES.hf);
    assertMonotone(textOf(events), `resumed seed ${seed}`);
  }
});

Deno.test("hf: the processes' 'Process rank' warnings reach the log in the order they were made", () => {
  let seen = 0;
  for (let seed = 1; seed <= 16; seed++) {
    const lines = textOf(fitted("hf", seed, {}).events);
    // Rank 0's goes to a stdout that may be buffered; the others share stderr.
    const stamps = lines.flatMap((l) => {
      const m = l.match(
        /^(\d\d)\/(\d\d)\/(\d{4}) (\d\d:\d\d:\d\d) - WARNING - __main__ - Process rank: [1-9]/,
      );
      return m ? [Date.parse(`${m[3]}-${m[1]}-${m[2]}T${m[4]}Z`)] : [];
    });
    seen += stamps.length;
    for (let i = 1; i < stamps.length; i++) {
      assert.ok(stamps[i] >= stamps[i - 1], `seed ${seed}: line ${i} goes back in time`);
    }
  }
  assert.ok(seen > 20, `${seen} lines`);
});

Deno.test("hf: only from_pretrained shows shard bars, of the model's own shard count", () => {
  let scratch = 0, tuned = 0;
  for (let seed = 1; seed <= 30; seed++) {
    const { cfg, events } = fitted("hf", seed, { chaos: "high" });
    const totals = new Set(
      textOf(events).flatMap((l) => {
        const m = l.match(/^Loading checkpoint shards: +\d+%\|[^|]*\| \d+\/(\d+) /);
        return m ? [Number(m[1])] : [];
      }),
    );
    if (cfg.task === "pretrain") {
      scratch++;
      assert.equal(totals.size, 0, `seed ${seed}: a model trained from scratch reads no shards`);
    } else if (totals.size > 0) {
      tuned++;
      // transformers' checkpoints come in shards of about 5 GB (two bytes a parameter).
      assert.deepEqual([...totals], [Math.ceil((cfg.model.params * 2) / 5e9)], `seed ${seed}`);
    }
  }
  assert.ok(scratch > 3 && tuned > 3, `${scratch} from scratch, ${tuned} fine-tuned`);
});

Deno.test("hf: an eval bar's total is ceil(Num examples / (Batch size × processes))", () => {
  const batches = new Set<number>();
  let total = 0;
  for (
    const choices of [{ seed: 3 }, { seed: 8, nodes: 2 }, { seed: 21, nodes: 4 }, { seed: 30 }]
  ) {
    for (const name of ["fitted", "whole"]) {
      const run = name === "fitted"
        ? fitted("hf", choices.seed, choices)
        : styledRun(choices, STYLES.hf);
      const lines = textOf(run.events);
      // Data-parallel ranks: every process of a Trainer run (a forced TP plan shards over dp).
      const world = run.cfg.plan.dp;
      let n = 0, b = 0, checked = 0;
      for (const line of lines) {
        const ex = line.match(/>> {3}Num examples = ([\d,]+)$/);
        if (ex) n = Number(ex[1].replace(/,/g, ""));
        const bs = line.match(/>> {3}Batch size = (\d+)$/);
        if (bs) b = Number(bs[1]);
        const bar = line.match(/^ {2}0%\|[^|]*\| 0\/(\d+) \[/);
        if (bar && b > 0) {
          assert.equal(
            Number(bar[1]),
            Math.ceil(n / (b * world)),
            `${name} ${JSON.stringify(choices)}: ${line} (${n}, ${b}, ${world})`,
          );
          batches.add(b);
          checked++;
          b = 0;
        }
      }
      total += checked;
    }
  }
  assert.ok(total > 4, `${total} evaluations checked`);
  assert.ok(batches.size > 1, "per_device_eval_batch_size differs between runs");
});

Deno.test("recipes differ from run to run: lr, warm-up, weight decay and seed as scripts set them", () => {
  const hf = new Set<string>(), ds = new Set<string>();
  for (let seed = 1; seed <= 30; seed++) {
    const h = textOf(fitted("hf", seed).events).join("\n");
    const args = ["learning_rate", "warmup_ratio", "warmup_steps", "weight_decay", "seed"]
      .map((k) => h.match(new RegExp(`^${k}=(.*),$`, "m"))?.[1]);
    if (args[0] !== undefined) hf.add(args.join(" "));
    const d = textOf(fitted("deepspeed", seed).events).find((l) => l.includes("] cmd = "));
    const flags = ["--learning_rate", "--num_warmup_steps", "--weight_decay", "--seed"]
      .map((k) => d?.match(new RegExp(`${k} (\\S+)`))?.[1]);
    if (d) ds.add(flags.join(" "));
  }
  assert.ok(hf.size >= 12, `${hf.size} HF recipes: ${[...hf].join(" | ")}`);
  assert.ok(ds.size >= 12, `${ds.size} DeepSpeed recipes: ${[...ds].join(" | ")}`);
});

Deno.test("deepspeed: step= and the timer's global_step count the same steps of this process", () => {
  for (const choices of [{ seed: 5, nodes: 2 }, { seed: 15, nodes: 4, resume: true }]) {
    const { cfg, events } = styledRun(choices, STYLES.deepspeed);
    const lines = textOf(events);
    let step = -1, pairs = 0;
    for (const line of lines) {
      const s = line.match(/\] \[Rank 0\] step=(\d+), skipped=/);
      if (s) step = Number(s[1]);
      const t = line.match(/micro_step=(\d+)\/global_step=(\d+),/);
      if (t && step >= 0) {
        // The engine's counter was loaded with the checkpoint; the timer's starts with the process.
        assert.equal(step - Number(t[2]), cfg.resumeStep, line);
        assert.equal(Number(t[1]) % cfg.gradAccum, 0, line);
        pairs++;
      }
    }
    assert.ok(pairs > 0, JSON.stringify(choices));
  }
});

Deno.test("deepspeed: a rank's lines carry its own node's host (rank ÷ GPUs per node)", () => {
  const { cfg, events } = styledRun({ seed: 15, nodes: 16, chaos: "high" }, STYLES.deepspeed);
  const hosts = new Set<string>();
  for (const line of textOf(events)) {
    const m = line.match(/^([\w.-]+): .*zero_pp_rank_(\d+)_mp_rank_00/);
    if (!m) continue;
    const node = Math.floor(Number(m[2]) / cfg.gpusPerNode);
    assert.ok(node < cfg.nodes, line);
    assert.equal(m[1], hostName(cfg.cluster, node), line);
    hosts.add(m[1]);
  }
  assert.ok(hosts.size > 1);
});

Deno.test("hf, deepspeed: transformers' cosine schedule decays to zero, no floor", () => {
  for (const name of ["hf", "deepspeed"] as const) {
    for (let seed = 1; seed <= 12; seed++) {
      const { cfg, events } = fitted(name, seed);
      assert.equal(cfg.lrMin, 0, `${name} seed ${seed}`);
      const steps = events.filter((e) => e.type === "step");
      const last = steps.at(-1);
      // (A run shorter than its warm-up ends on the way up.)
      const done = last && last.type === "step" && last.data.step === cfg.totalSteps;
      if (done && cfg.totalSteps > cfg.warmupSteps) {
        assert.ok(last.data.lr < cfg.lrMax * 1e-3, `${name} seed ${seed}: ${last.data.lr}`);
      }
    }
  }
});
