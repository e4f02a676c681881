/**
 * DeepSpeed's own formats and arithmetic: the config dump's padding and encoder, the world info,
 * the loss scaler's records, the ThroughputTimer's counters and rates against the clock, the
 * checkpoint's per-rank records and a relaunch after a lost GPU.
 */
import assert from "node:assert/strict";
import { findGpu } from "../../src/sim/catalog.ts";
import { drawRunConfig, type RunChoices } from "../../src/sim/run_config.ts";
import { STYLES } from "../../src/style/style.ts";
import { configEntries, dottedEntry, encodeJson } from "../../src/style/deepspeed_config.ts";
import { worldInfoBase64 } from "../../src/style/deepspeed_launch.ts";
import { dsRunner } from "../../src/style/deepspeed_launcher.ts";
import { signalLines } from "../../src/style/deepspeed_exit.ts";
import { shapeOf } from "./catalogue/deepspeed.ts";
import { initialState } from "../../src/style/deepspeed_state.ts";
import { findDsRelease } from "../../src/style/deepspeed_release.ts";
import { overflowLine } from "../../src/style/deepspeed_steps.ts";
import { dsScriptArgs } from "../../src/style/deepspeed_script.ts";
import { shownRanks } from "../../src/style/deepspeed_log.ts";
import { styledRun, textOf } from "./styled_run.ts";

const run = (choices: Omit<RunChoices, "startMs">) => {
  const r = styledRun(choices, STYLES.deepspeed);
  return { ...r, lines: textOf(r.events) };
};
/**
 * The first run from `seed` on whose plan is ZeRO stage 1 or 2 in `precision` (the runs `auto`
 * shows this way; stage 3 saves from every rank), launched by DeepSpeed's runner.
 */
const zero = (choices: Omit<RunChoices, "startMs">, precision: string) => {
  for (let seed = choices.seed;; seed++) {
    const cfg = drawRunConfig({ ...choices, seed, startMs: 0 });
    const fits = ["zero1", "zero2"].includes(cfg.plan.strategy) && cfg.precision === precision;
    if (fits && dsRunner(cfg)) {
      return run({ ...choices, seed });
    }
  }
};
const BF16 = zero({ seed: 7, nodes: 2, chaos: "off" }, "bf16");
const FP16 = zero({ seed: 4, nodes: 2, gpu: findGpu("v100"), chaos: "off" }, "fp16");
/** A seed whose plan loses a GPU (`high` plans every fault). */
const FAULTS = run({ seed: 15, chaos: "high" });

/** Python logging's asctime as epoch ms (the runs are UTC). */
function stamp(line: string): number {
  const m = /\[(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d),(\d{3})\]/.exec(line)!;
  return Date.parse(`${m[1]}T${m[2]}.${m[3]}Z`);
}

Deno.test("dottedEntry() pads keys with dots to 29 columns; longer keys get two spaces", () => {
  assert.equal(dottedEntry("amp_enabled", "False"), "  amp_enabled .................. False");
  assert.equal(
    dottedEntry("checkpoint_parallel_write_pipeline", "False"),
    "  checkpoint_parallel_write_pipeline  False",
  );
  assert.equal(
    dottedEntry("train_micro_batch_size_per_gpu", "4"),
    "  train_micro_batch_size_per_gpu  4",
  );
});

Deno.test("the config dump lists its release's attributes in sorted order", () => {
  const on = (version: string) => ({ ...initialState(BF16.cfg), release: findDsRelease(version) });
  const entries = configEntries(BF16.cfg, on("0.16.9"), 10).map(([k]) => k);
  assert.deepEqual(entries, [...entries].sort());
  assert.equal(entries.length, 77);
  const old = configEntries(BF16.cfg, on("0.9.5"), 10).map(([k]) => k);
  assert.equal(old.length, 69);
  assert.ok(!old.includes("graph_harvesting") && !old.includes("timers_config"));
  assert.ok(!old.includes("compile_config"));
  assert.ok(old.includes("zero_config"));
  const zero = configEntries(FP16.cfg, initialState(FP16.cfg), 10);
  assert.equal(new Map(zero).get("initial_dynamic_scale"), "65536");
  assert.equal(
    new Map(configEntries(BF16.cfg, initialState(BF16.cfg), 10)).get("loss_scale"),
    "1.0",
  );
});

Deno.test("encodeJson() writes DeepSpeed's encoder: %e above 1e3, ', ' ending each member", () => {
  const json = encodeJson([
    ["train_batch_size", { n: 1024 }],
    ["zero_optimization", [["stage", { n: 3 }], ["overlap_comm", true]]],
    ["gradient_clipping", { n: 1, float: true }],
  ]);
  assert.equal(
    json,
    '{\n    "train_batch_size": 1.024000e+03, \n    "zero_optimization": {\n        "stage": 3, \n' +
      '        "overlap_comm": true\n    }, \n    "gradient_clipping": 1.0\n}',
  );
});

Deno.test("--world_info is the URL-safe base64 of the json.dumps of the hosts' GPU lists", () => {
  const decoded = atob(worldInfoBase64(BF16.cfg).replaceAll("-", "+").replaceAll("_", "/"));
  const hosts =
    BF16.lines.find((l) => l.includes("WORLD INFO DICT: "))!.split("WORLD INFO DICT: ")[1];
  assert.equal(decoded, hosts.replaceAll("'", '"'));
  assert.match(decoded, /^\{"[\w-]+": \[0, 1, 2, 3, 4, 5, 6, 7\], /);
});

Deno.test("overflowLine() spends the hysteresis first, then halves, counting each skipped step", () => {
  const st = initialState(FP16.cfg);
  const kept = overflowLine(FP16.cfg, st, 0, 65536, 2, 65536);
  const halved = overflowLine(FP16.cfg, st, 0, 65536, 1, 32768);
  assert.ok(kept.endsWith(
    "[loss_scaler.py:190:update_scale] [deepspeed] OVERFLOW! Rank 0 Skipping step. Attempted loss scale: 65536, but hysteresis is 2. Reducing hysteresis to 1",
  ));
  assert.ok(halved.endsWith(
    "[loss_scaler.py:183:update_scale] [deepspeed] OVERFLOW! Rank 0 Skipping step. Attempted loss scale: 65536, reducing to 32768",
  ));
  assert.equal(st.skipped, 2);
});

Deno.test("fp16: the scale starts at 2^16 and `skipped` counts every overflow, never going down", () => {
  const overflows = FP16.lines.filter((l) => l.includes("OVERFLOW!"));
  assert.match(overflows[0], /Attempted loss scale: 65536, but hysteresis is 2\./);
  let seen = 0, last = 0;
  for (const line of FP16.lines) {
    if (line.includes("OVERFLOW!")) seen++;
    const m = /\] step=\d+, skipped=(\d+),/.exec(line);
    if (!m || line.includes("step=0,")) continue;
    assert.equal(Number(m[1]), seen);
    assert.ok(Number(m[1]) >= last);
    last = Number(m[1]);
  }
  assert.equal(BF16.lines.filter((l) => l.includes("OVERFLOW!")).length, 0, "bf16 never overflows");
});

Deno.test("the throughput timer: counters from the process, rates that match the clock", () => {
  const { cfg, lines } = BF16;
  const reports = lines.filter((l) => l.includes("RunningAvgSamplesPerSec="));
  const steps = lines.filter((l) => /\] step=[1-9]\d*,/.test(l));
  assert.equal(reports.length, steps.length);
  const mem = new Set<string>();
  const ratios: number[] = [];
  reports.forEach((line, i) => {
    const m =
      /epoch=(\d+)\/micro_step=(\d+)\/global_step=(\d+), RunningAvgSamplesPerSec=(\S+), CurrSamplesPerSec=\S+, MemAllocated=(\S+)GB, MaxMemAllocated=(\S+)GB/
        .exec(line)!;
    const step = Number(m[3]), epoch = Math.floor((step - 1) / cfg.stepsPerEpoch);
    assert.equal(Number(m[1]), epoch);
    assert.equal(Number(m[2]), (step - epoch * cfg.stepsPerEpoch) * cfg.gradAccum);
    mem.add(m[5]);
    assert.ok(Number(m[6]) >= Number(m[5]));
    if (i > 0) {
      const gapS = (stamp(line) - stamp(reports[i - 1])) / 1000;
      const steps = step - Number(/global_step=(\d+)/.exec(reports[i - 1])![1]);
      ratios.push(gapS / (steps * cfg.globalBatch / Number(m[4])));
    }
  });
  assert.equal(mem.size, 1, "memory held between steps does not move");
  ratios.sort((a, b) => a - b);
  const median = ratios[ratios.length >> 1];
  assert.ok(median > 1 && median < 1.03, `print gap / (steps × batch / RunningAvg) = ${median}`);
});

Deno.test("a save: one shard, one `zero checkpoint saved` and one commit per shown rank", () => {
  const { cfg, events } = BF16;
  const ckpt = events.find((e) => e.type === "ckpt")!;
  const start = events.find((e) => e.type === "log" && e.key === "ckpt.start")!;
  const lines = `${start.msg}\n${ckpt.msg}`.split("\n");
  const count = (re: RegExp) => lines.filter((l) => re.test(l)).length;
  const ranks = shownRanks(cfg).length;
  assert.equal(count(/is about to be saved!$/), 1);
  assert.equal(count(/\[Rank 0\] Saving model checkpoint: .*\/mp_rank_00_model_states\.pt$/), 1);
  assert.equal(count(/\[Torch\] Saved .*_optim_states\.pt\.$/), ranks);
  assert.equal(
    count(/zero checkpoint saved .*bf16_zero_pp_rank_\d+_mp_rank_00_optim_states\.pt$/),
    ranks,
  );
  assert.equal(count(/is ready now!$/), ranks);
  const times = lines.map(stamp);
  assert.deepEqual(times, [...times].sort((a, b) => a - b), "records in time order");
});

Deno.test("a lost GPU: traceback, the launchers kill their processes, the job relaunches", () => {
  const { lines } = FAULTS;
  const trace = lines.findIndex((l) => l.endsWith("Traceback (most recent call last):"));
  assert.ok(trace > 0);
  const after = lines.slice(trace);
  // The exits of this fault: up to the relaunch (a run may lose a second GPU later).
  // A relaunch starts with the runner's command line again (traced or not by the script).
  const runnerCmd = (l: string) => /^\[[^\]]+\] \[INFO\] \[runner\.py:\d+:main\] cmd = /.test(l);
  const relaunch = after.findIndex(runnerCmd);
  const codes = after.slice(0, relaunch).filter((l) => l.includes("exits with return code = "))
    .map((l) => l.split("= ")[1]);
  // A CUDA error aborts its process (SIGABRT from c10's watchdog), an out-of-memory exits 1.
  const fault = FAULTS.events.find((e) => e.type === "fault" && e.data.exit_code !== undefined);
  const code = fault?.type === "fault" ? fault.data.exit_code : undefined;
  assert.equal(codes[0], String(code), "the failed node's launcher reports its child's exit");
  assert.ok(codes.slice(1).every((c) => c === "-6"), "the hung ranks abort on the watchdog");
  assert.ok(after.some(runnerCmd), "the job runs deepspeed again");
  const relaunched = after.findIndex(runnerCmd);
  const timer = after.slice(relaunched).find((l) => l.includes("RunningAvgSamplesPerSec"))!;
  const report = after.slice(relaunched).find((l) => /\] step=[1-9]/.test(l))!;
  assert.equal(/global_step=(\d+)/.exec(timer)![1], "10", "a new process's timer counts from zero");
  assert.ok(
    Number(/step=(\d+)/.exec(report)![1]) > 10,
    "the engine's step goes on from the checkpoint",
  );
});

Deno.test("no narrator, progress summary or GPU telemetry line in DeepSpeed's text", () => {
  for (const { lines } of [BF16, FP16, FAULTS]) {
    for (const line of lines) {
      assert.doesNotMatch(
        line,
        /^epoch \d+\/\d+ \||^gpu \S+ \| \d|Saved checkpoint .* in |Training complete/,
      );
    }
  }
});

Deno.test("wall_clock_breakdown: per micro step and per step, bwd = bwd_inner + bwd_allreduce", () => {
  const { lines } = run({ seed: 273, nodes: 1, chaos: "off" });
  const global = lines.filter((l) => l.includes("time (ms) | fwd: "));
  assert.ok(global.length > 50);
  for (const line of global) {
    const v = (k: string) => Number(new RegExp(`\\| ${k}: (\\S+)`).exec(line)![1]);
    assert.ok(Math.abs(v("bwd") - v("bwd_inner") - v("bwd_allreduce")) < 0.2, line);
  }
});

Deno.test("wall_clock_breakdown: the step's timers sum its micro steps', which take their own time", () => {
  const { lines } = run({ seed: 273, nodes: 1, chaos: "off" });
  const v = (line: string, k: string) => Number(new RegExp(`\\| ${k}: (\\S+)`).exec(line)![1]);
  let micro: string[] = [], checked = 0;
  const gaps = new Set<number>();
  for (const line of lines) {
    if (line.includes("time (ms) | fwd_microstep: ")) micro.push(line);
    if (!line.includes("time (ms) | fwd: ")) continue;
    if (micro.length >= 2) {
      // DeepSpeed's global timers run through every micro step until they are logged.
      for (const k of ["fwd", "step"]) {
        const sum = micro.reduce((a, m) => a + v(m, `${k}_microstep`), 0);
        assert.ok(Math.abs(v(line, k) - sum) < 0.15, `${k}: ${v(line, k)} vs ${sum}`);
      }
      // A micro step's record comes at least its own forward and backward after the last one.
      for (let i = 1; i < micro.length; i++) {
        const gap = stamp(micro[i]) - stamp(micro[i - 1]);
        const work = v(micro[i], "fwd_microstep") + v(micro[i], "bwd_microstep");
        if (!micro[i - 1].includes("optimizer_")) assert.ok(gap >= work - 1, `${gap} < ${work}`);
        gaps.add(gap);
      }
      checked++;
    }
    micro = [];
  }
  assert.ok(checked > 20 && gaps.size > checked / 2, `${checked} steps, ${gaps.size} gaps`);
});

Deno.test("a signal: every launch.py kills its processes and names the signal", () => {
  const st = initialState(BF16.cfg);
  const lines = signalLines(BF16.cfg, st, Date.parse("2026-11-24T10:00:00Z"), "SIGTERM").split(
    "\n",
  );
  assert.ok(lines.every((l) => shapeOf(l) !== undefined), lines.join("\n"));
  assert.equal(lines.filter((l) => l.endsWith("Main process received SIGTERM, exiting")).length, 2);
});

Deno.test("DeepSpeed-Chat reads a data set its loader knows: the user's own as local/jsonfile", () => {
  for (const seed of [3, 8, 15, 21]) {
    const { cfg } = run({ seed, chaos: "off" });
    const args = dsScriptArgs(cfg);
    assert.equal(args[args.indexOf("--data_path") + 1], "local/jsonfile", `seed ${seed}`);
  }
});

Deno.test("deepspeed: zero.Init and the engine come after the process group is up", () => {
  let seen = 0;
  for (let seed = 1; seed <= 30; seed++) {
    const lines = textOf(styledRun({ seed }, STYLES.deepspeed).events);
    const stamp = (l: string) => l.match(/\[(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3})\]/)?.[1] ?? "";
    const init = lines.find((l) =>
      l.includes("finished initializing model") || l.includes("DeepSpeed info: version=")
    );
    if (!init) continue;
    seen++;
    // The first launch's joins (a relaunch after a fault joins again, later).
    const ms = (t: string) => Date.parse(t.replace(" ", "T").replace(",", ".") + "Z");
    const joins = lines.filter((l) => l.includes(":init_distributed] ")).map(stamp).sort();
    const lastJoin = joins.filter((t) => ms(t) - ms(joins[0]) < 60_000).at(-1) ?? "";
    assert.ok(stamp(init) >= lastJoin, `seed ${seed}: ${stamp(init)} before ${lastJoin}`);
  }
  assert.ok(seen > 0, "no ZeRO-3 run");
});
