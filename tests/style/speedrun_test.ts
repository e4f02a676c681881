import assert from "node:assert/strict";
import type { RunConfig } from "../../src/sim/run_config.ts";
import { findDataset, findGpu, findModel } from "../../src/sim/catalog.ts";
import { afterStep, atValidation, startClock } from "../../src/style/speedrun_clock.ts";
import { RULE } from "../../src/style/speedrun_lines.ts";
import { STYLES } from "../../src/style/style.ts";
import { START_MS, styledDefaultRun, styledRun, textOf } from "./styled_run.ts";
import { SPEEDRUN_ERAS, speedrunEra } from "../../src/style/speedrun_eras.ts";

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
  // A seed replaying a record of January 2025, whose clock restarts at step 10.
  const seed = [21, 22, 23, 24, 25, 26, 27, 28].find((s) =>
    speedrunEra({ seed: s, startMs: START_MS } as RunConfig).clockReset
  )!;
  const text = textOf(styledRun({ ...RUN, seed }, STYLES.speedrun).events);
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

Deno.test("speedrun without sizing flags: a real record whole, its cadence, ending just under 3.28", () => {
  const eras = new Set<string>();
  for (let seed = 1; seed <= 16; seed++) {
    const { cfg, events } = styledDefaultRun(seed, STYLES.speedrun, { gpu: findGpu("h100") });
    const era = speedrunEra(cfg);
    eras.add(era.date);
    const where = `seed ${seed} (${era.date})`;
    assert.equal(cfg.totalSteps, era.steps, where);
    assert.equal(cfg.worldSize, 8, where);
    const { steps, vals } = parsed(textOf(events));
    assert.equal(steps.length, era.steps, where);
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
    assert.ok(last >= 3.27 && last <= 3.285, `${where}: final val ${last}`);
    const avg = steps.at(-1)!.avg;
    assert.ok(Math.abs(avg / era.stepAvgMs - 1) < 0.06, `${where}: step_avg ${avg}`);
  }
  assert.equal(eras.size, SPEEDRUN_ERAS.length, [...eras].join(", "));
});

Deno.test("speedrun on slower GPUs: the same record, each step slower", () => {
  const { cfg, events } = styledDefaultRun(4, STYLES.speedrun, { gpu: findGpu("a100-80gb") });
  const era = speedrunEra(cfg);
  assert.equal(cfg.totalSteps, era.steps);
  const avg = parsed(textOf(events)).steps.at(-1)!.avg;
  assert.ok(avg > era.stepAvgMs * 2.5, `step_avg ${avg} vs ${era.stepAvgMs} on H100`);
});

Deno.test("speedrun: the header's nvidia-smi is taken from inside the ranks: memory held, processes listed", () => {
  for (const seed of [1, 2, 3]) {
    const lines = textOf(styledDefaultRun(seed, STYLES.speedrun, { gpu: findGpu("h100") }).events);
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
    // Every GPU has its rank (and GPU 0 sometimes every rank's stray context too).
    const gpus = new Set(procs.map((l) => l.split(/ +/)[1]));
    assert.equal(gpus.size, 8, procs.join("\n"));
  }
});

Deno.test("speedrunEra(): a run replays only records set by its own date", () => {
  for (let seed = 1; seed <= 60; seed++) {
    const early = speedrunEra({ seed, startMs: Date.parse("2025-03-01T00:00:00Z") } as RunConfig);
    assert.equal(early.date, "2025-01-16", `seed ${seed}`);
    const mid = speedrunEra({ seed, startMs: Date.parse("2025-12-01T00:00:00Z") } as RunConfig);
    assert.ok(mid.date <= "2025-12-01", `seed ${seed}: ${mid.date}`);
  }
  const late = new Set(
    Array.from(
      { length: 60 },
      (_, i) =>
        speedrunEra({ seed: i + 1, startMs: Date.parse("2026-11-24T00:00:00Z") } as RunConfig).date,
    ),
  );
  assert.equal(late.size, SPEEDRUN_ERAS.length, "later, any record");
});
