import assert from "node:assert/strict";
import type { RunConfig } from "../../src/sim/run_config.ts";
import { findDataset, findGpu, findModel } from "../../src/sim/catalog.ts";
import { afterStep, atValidation, startClock } from "../../src/style/speedrun_clock.ts";
import { RULE, warmupLines } from "../../src/style/speedrun_lines.ts";
import { STYLES } from "../../src/style/style.ts";
import { stageFactor } from "../../src/sim/pacing.ts";
import { START_MS, styledDefaultRun, styledRun, textOf } from "./styled_run.ts";
import { SPEEDRUN_ERAS, type SpeedrunEra, speedrunEra } from "../../src/style/speedrun_eras.ts";

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

Deno.test("speedrun: header, step 0 near ln(50304), a line per step, the era's val cadence", () => {
  const { cfg, events } = styledRun(RUN, STYLES.speedrun);
  const text = textOf(events);
  assert.equal(text[0], RULE);
  assert.match(text[1], /^Running Python 3\.\d+\.\d+ /);
  const era = speedrunEra(cfg);
  assert.equal(text[2], `Running PyTorch ${era.torch} compiled for CUDA ${era.cuda}`);
  const second = text.indexOf(RULE, 1);
  assert.equal(text[second - 1], "", "print() adds a blank line after nvidia-smi's output");
  const zero = text.find((l) => l.startsWith("step:0/"))!;
  assert.match(zero, era.headExcess[1] === 0 ? /val_loss:10\.8258 / : /val_loss:10\.8[23]\d\d /);
  assert.match(zero, era.clockReset ? /train_time:0ms step_avg:nanms$/ : /step_avg:0\.\d\dms$/);
  const steps = text.filter((l) => /^step:\d+\/\d+ train_time/.test(l));
  assert.equal(steps.length, cfg.totalSteps);
  const vals = text.filter((l) => l.includes("val_loss"));
  const at = vals.map((l) => Number(/^step:(\d+)/.exec(l)![1]));
  assert.deepEqual(at.slice(0, 3), [0, era.valEvery, 2 * era.valEvery]);
  assert.equal(at.at(-1), cfg.totalSteps);
  assert.ok(Number(/val_loss:(\d+\.\d+)/.exec(vals.at(-1)!)![1]) < 3.3, "a record ends near 3.28");
  const [, alloc, reserved] = /^peak memory allocated: (\d+) MiB reserved: (\d+) MiB$/
    .exec(text.at(-1)!)!.map(Number);
  assert.ok(reserved > alloc && reserved % 2 === 0);
});

Deno.test("speedrun: train_time grows step by step and step_avg = train_time / (step - 10)", () => {
  // Started in January 2025, a run replays a record whose clock restarts at step 10.
  const startMs = Date.parse("2025-01-20T09:00:00Z");
  const { cfg, events } = styledDefaultRun(21, STYLES.speedrun, { gpu: findGpu("h100"), startMs });
  assert.ok(speedrunEra(cfg).clockReset, speedrunEra(cfg).date);
  const text = textOf(events);
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

Deno.test("afterStep(): scripts that warm up before the loop divide by the step from step 1", () => {
  const c = startClock(0, 20, false, 0.03);
  assert.equal(atValidation(c, 0), "train_time:0ms step_avg:0.03ms");
  assert.equal(afterStep(c, 1, 82), "train_time:62ms step_avg:62.03ms");
  assert.equal(afterStep(c, 2, 60), "train_time:122ms step_avg:61.02ms");
  assert.equal(afterStep(c, 3, 60), "train_time:182ms step_avg:60.68ms");
});

/** The step and val lines of a speedrun drawn without sizing flags. */
function parsed(text: string[]) {
  const steps: { n: number; t: number; avg: number }[] = [];
  const vals: { n: number; loss: number }[] = [];
  for (const l of text) {
    const s = /^step:(\d+)\/\d+ train_time:(\d+)ms step_avg:(nan|[\d.]+)ms$/.exec(l);
    if (s) steps.push({ n: Number(s[1]), t: Number(s[2]), avg: Number(s[3]) });
    const v = /^step:(\d+)\/\d+ val_loss:([\d.]+) /.exec(l);
    if (v) vals.push({ n: Number(v[1]), loss: Number(v[2]) });
  }
  return { steps, vals };
}

/** Each record as its own logs show it: date, num_iterations, val_loss_every, final step_avg. */
const RECORDS: [string, number, number, number, boolean][] = [
  ["2024-12-10", 1480, 125, 157.2, true],
  ["2025-01-16", 1393, 125, 129.7, true],
  ["2025-01-26", 1770, 125, 99.8, true],
  ["2025-05-24", 1770, 125, 102.1, false],
  ["2025-09-15", 1660, 125, 92.6, false],
  ["2025-10-24", 2315, 250, 60.7, false],
  ["2025-11-29", 2160, 250, 61.2, false],
  ["2025-12-22", 1920, 250, 62.3, false],
  ["2026-01-19", 1600, 250, 61.3, false],
  ["2026-02-23", 1490, 250, 58.8, false],
  ["2026-04-22", 1415, 250, 58, false],
  ["2026-07-17", 1390, 250, 57.2, false],
];

Deno.test("SPEEDRUN_ERAS: each record's steps, cadence, step_avg and clock as its logs show them", () => {
  assert.deepEqual(
    SPEEDRUN_ERAS.map((e) => [e.date, e.steps, e.valEvery, e.stepAvgMs, e.clockReset]),
    RECORDS,
  );
});

/** A seed whose run, started the day after `era`'s record, replays it. */
function seedFor(era: SpeedrunEra): { seed: number; startMs: number } {
  const startMs = Date.parse(era.date) + 86_400_000;
  const seed = Array.from({ length: 50 }, (_, i) => i + 1)
    .find((s) => speedrunEra({ seed: s, startMs } as RunConfig) === era)!;
  return { seed, startMs };
}

Deno.test("speedrun without sizing flags: each record whole, its cadence and step_avg, just under 3.28", () => {
  for (const era of SPEEDRUN_ERAS) {
    const { seed, startMs } = seedFor(era);
    const more = { gpu: findGpu("h100"), startMs };
    const { cfg, events } = styledDefaultRun(seed, STYLES.speedrun, more);
    const where = `seed ${seed} (${era.date})`;
    assert.equal(speedrunEra(cfg), era, where);
    assert.equal(cfg.totalSteps, era.steps, where);
    assert.equal(cfg.worldSize, 8, where);
    const text = textOf(events);
    const { steps, vals } = parsed(text);
    assert.equal(steps.length, era.steps, where);
    assert.ok(text.some((l) => l.startsWith(`step:1/${era.steps} train_time:`)), where);
    assert.deepEqual(
      vals.map((v) => v.n),
      [
        ...Array.from(
          { length: Math.floor(era.steps / era.valEvery) + 1 },
          (_, i) => i * era.valEvery,
        ),
        era.steps,
      ],
      where,
    );
    const last = vals.at(-1)!.loss;
    assert.ok(last >= 3.27 && last <= 3.29, `${where}: final val ${last}`);
    // Each validation near the record's logs' (4.5 at step 250 of a 2026 record, not 3.8).
    vals.slice(1).forEach((v, i) => {
      const gap = Math.abs(v.loss - era.valLosses[i]);
      assert.ok(gap < 0.012, `${where}: step ${v.n} val ${v.loss} vs ${era.valLosses[i]}`);
    });
    const avg = steps.at(-1)!.avg;
    assert.ok(Math.abs(avg / era.stepAvgMs - 1) < 0.06, `${where}: step_avg ${avg}`);
    const peak = /^peak memory (?:consumption|allocated): (\d+) MiB(?: reserved: (\d+) MiB)?$/
      .exec(text.at(-1)!)!;
    const [allocated, reserved] = [Number(peak[1]), peak[2] && Number(peak[2])];
    assert.ok(allocated >= era.peakAllocatedMiB[0] && allocated <= era.peakAllocatedMiB[1], where);
    if (era.peakReservedMiB) {
      assert.match(text.at(-1)!, /^peak memory allocated: /, where);
      assert.ok(reserved && reserved >= era.peakReservedMiB[0] && reserved % 2 === 0, where);
      assert.ok(reserved <= era.peakReservedMiB[1] + 2, where);
    } else assert.match(text.at(-1)!, /^peak memory consumption: \d+ MiB$/, where);
    if (era.firstStepMs) {
      // The first timed step is slow, as in the record's logs (host's lead taken off).
      const t1 = steps.find((s) => s.n === 1)!.t;
      const [lo, hi] = era.firstStepMs;
      assert.ok(t1 > lo * 0.8 && t1 < hi * 1.2, `${where}: step 1 at ${t1} ms`);
    }
    const avg0 = /^step:0\/\d+ val_loss:[\d.]+ train_time:0ms step_avg:(nan|0\.0[2-5])ms$/;
    assert.match(text.find((l) => l.startsWith("step:0/"))!, avg0, where);
    const torch = era.legacyHeader ? "pytorch" : "PyTorch";
    assert.equal(text[2], `Running ${torch} ${era.torch} compiled for CUDA ${era.cuda}`, where);
    assert.equal(text.includes(`Running Triton version ${era.triton}`), era.triton !== undefined);
    assert.equal(text.some((l) => l.startsWith("Sampling steps [")), era.warmup !== undefined);
    assert.equal(text.includes("nvidia-smi:"), era.legacyHeader, where);
  }
});

Deno.test("warmupLines(): the steps sampled around each third of the schedule, as each script picks them", () => {
  const sampled = (date: string) => {
    const era = SPEEDRUN_ERAS.find((e) => e.date === date)!;
    return warmupLines(era.steps, era.extension!, era.warmup!)[1];
  };
  assert.equal(
    sampled("2026-01-19"),
    "Sampling steps [0, 1, 2, 519, 520, 521, 1039, 1040, 1041, 1559, 1560, 1561] for warmup",
  );
  assert.equal(
    sampled("2026-02-23"),
    "Sampling steps [0, 1, 481, 482, 483, 484, 965, 966, 967, 968, 1448, 1449, 1450, 1451] for warmup",
  );
  assert.equal(
    sampled("2026-04-22"),
    "Sampling steps [0, 1, 465, 466, 467, 468, 931, 932, 933, 934, 1398, 1399, 1400, 1401] for warmup",
  );
  assert.equal(
    sampled("2026-07-17"),
    "Sampling steps [0, 1, 458, 459, 460, 461, 918, 919, 920, 921, 1378, 1379, 1380, 1381] for warmup",
  );
});

Deno.test("speedrun, December 2024: lower-case versions, nvidia-smi announced, the loaders, consumption", () => {
  const startMs = Date.parse("2024-12-15T09:00:00Z");
  const text = textOf(
    styledDefaultRun(5, STYLES.speedrun, { gpu: findGpu("h100"), startMs }).events,
  );
  assert.match(text[1], /^Running python 3\.10\.12 \(main, /);
  assert.equal(text[2], "Running pytorch 2.6.0.dev20241203+cu124 compiled for CUDA 12.4");
  assert.equal(text[3], "nvidia-smi:");
  const step0 = text.findIndex((l) => l.startsWith("step:0/1480 val_loss:10.8258 "));
  assert.deepEqual(text.slice(step0 - 4, step0), [
    RULE,
    "Training DataLoader: total number of tokens: 1000000000 across 10 files",
    "Validation DataLoader: total number of tokens: 100000000 across 1 files",
    RULE,
  ]);
  assert.match(text.at(-1)!, /^peak memory consumption: \d+ MiB$/);
});

Deno.test("speedrun on slower GPUs: the same record, each step slower", () => {
  const { cfg, events } = styledDefaultRun(4, STYLES.speedrun, { gpu: findGpu("a100-80gb") });
  const era = speedrunEra(cfg);
  assert.equal(cfg.totalSteps, era.steps);
  const avg = parsed(textOf(events)).steps.at(-1)!.avg;
  assert.ok(avg > era.stepAvgMs * 2.5, `step_avg ${avg} vs ${era.stepAvgMs} on H100`);
});

Deno.test("speedrun: the header's nvidia-smi is taken from inside the ranks: memory held, processes listed outside containers", () => {
  const shown = new Set<boolean>();
  for (let seed = 1; seed <= 12; seed++) {
    // Every other run in November 2025, when the latest record was run in a container.
    const startMs = seed % 2 === 1 ? START_MS : Date.parse("2025-11-01T09:00:00Z");
    const more = { gpu: findGpu("h100"), startMs };
    const { cfg, events } = styledDefaultRun(seed, STYLES.speedrun, more);
    const lines = textOf(events);
    const rows = lines.filter((l) => /\| +\d+MiB \/ +\d+MiB \|/.test(l)).slice(0, 8);
    assert.equal(rows.length, 8);
    const held = rows.map((l) => Number(/(\d+)MiB \//.exec(l)![1]));
    assert.ok(held.every((m) => m > 1000), held.join(" "));
    // Most GPUs hold exactly the same: every rank built the same model.
    const mode = Math.max(...[...new Set(held)].map((m) => held.filter((x) => x === m).length));
    assert.ok(mode >= 6, held.join(" "));
    const first = lines.findIndex((l) => l.includes(" Processes:"));
    const procs = lines.slice(first, first + 24).filter((l) =>
      /^\| +\d +N\/A +N\/A +\d+ +C +\S*python\S* +\d+MiB \|$/.test(l)
    );
    shown.add(speedrunEra(cfg).smiProcesses);
    if (!speedrunEra(cfg).smiProcesses) {
      // A container hides the ranks: the table ends under its header, with no note.
      assert.deepEqual(procs, []);
      assert.ok(lines[first + 4].startsWith("+---"), lines.slice(first, first + 6).join("\n"));
      continue;
    }
    // Every GPU has its rank (and GPU 0 sometimes every rank's stray context too).
    const gpus = new Set(procs.map((l) => l.split(/ +/)[1]));
    assert.equal(gpus.size, 8, procs.join("\n"));
  }
  assert.equal(shown.size, 2, "some seeds replay a record run in a container");
});

Deno.test("speedrunEra(): a run replays only records set by its own date, the latest most", () => {
  const at = (seed: number, iso: string) =>
    speedrunEra({ seed, startMs: Date.parse(iso) } as RunConfig);
  for (let seed = 1; seed <= 60; seed++) {
    assert.equal(at(seed, "2024-11-01T00:00:00Z").date, "2024-12-10", "before any: the earliest");
    for (const iso of ["2025-03-01", "2025-12-01", "2026-03-01", "2026-06-01"]) {
      assert.ok(at(seed, `${iso}T00:00:00Z`).date <= iso, `seed ${seed}: ${iso}`);
    }
  }
  const dates = Array.from({ length: 200 }, (_, i) => at(i + 1, "2026-11-24T00:00:00Z").date);
  const count = (d: string) => dates.filter((x) => x === d).length;
  const newest = SPEEDRUN_ERAS.at(-1)!.date;
  assert.ok(SPEEDRUN_ERAS.every((e) => e.date === newest || count(e.date) < count(newest)));
  assert.ok(count(newest) < 120, "older records too");
  assert.ok(count("2026-04-22") > count("2025-01-16"), "the latest few more than old ones");
});

Deno.test("speedrun in 2026: over many seeds, at least four different step counts", () => {
  const counts = new Set(
    Array.from(
      { length: 40 },
      (_, i) =>
        speedrunEra({ seed: i + 1, startMs: Date.parse("2026-03-01T10:00:00Z") } as RunConfig)
          .steps,
    ),
  );
  assert.ok(counts.size >= 4, [...counts].join(", "));
});

Deno.test("speedrun, records with a batch schedule: each third of the schedule steps slower, as the logs show", () => {
  const era = SPEEDRUN_ERAS.find((e) => e.date === "2026-02-23")!;
  const { seed, startMs } = seedFor(era);
  const { events } = styledDefaultRun(seed, STYLES.speedrun, { gpu: findGpu("h100"), startMs });
  const t = new Map(parsed(textOf(events)).steps.map((s) => [s.n, s.t]));
  // The median step within each stage, away from validations (which restart the host's lead).
  const median = (from: number, to: number) => {
    const d = [];
    for (let n = from; n < to; n++) if (n % 250 > 2) d.push(t.get(n)! - t.get(n - 1)!);
    return d.sort((a, b) => a - b)[d.length >> 1];
  };
  // The schedule's 1450 steps change at 483 and 967.
  const [first, second, third] = [median(20, 480), median(490, 964), median(975, 1490)];
  assert.ok(first >= 28 && first <= 34, `first third ${first} ms`);
  assert.ok(second / first > 1.7 && second / first < 2, `${second} / ${first}`);
  assert.ok(third / first > 2.55 && third / first < 2.95, `${third} / ${first}`);
});

Deno.test("stageFactor(): 1 before the first stage, then each stage's factor from its start", () => {
  const stages: [number, number][] = [[0.3, 1.8], [0.6, 2.7]];
  assert.deepEqual([0, 0.29, 0.3, 0.59, 0.6, 1].map((f) => stageFactor(stages, f)), [
    1,
    1,
    1.8,
    1.8,
    2.7,
    2.7,
  ]);
  assert.equal(stageFactor(undefined, 0.5), 1);
});
