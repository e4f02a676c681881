import assert from "node:assert/strict";
import { findDataset, findGpu, findModel } from "../../src/sim/catalog.ts";
import type { ValData } from "../../src/sim/events.ts";
import { drawRunConfig } from "../../src/sim/run_config.ts";
import { pyFixed } from "../../src/format/py_format.ts";
import { lightningNum } from "../../src/format/tqdm.ts";
import { drawProfile } from "../../src/style/lightning_profile.ts";
import { humanCount, summaryLines } from "../../src/style/lightning_summary.ts";
import { lightningRun } from "./lightning_run.ts";
import { START_MS } from "./styled_run.ts";

/** The fields of a Lightning epoch/validation meter line. */
interface Meter {
  desc: string;
  n: number;
  total: number;
  elapsedS: number;
  remainingS: number;
  rate: number;
  postfix: string;
}

// A meter at the start of a line (a log line may be glued after it).
const METER_LINE =
  /^(Epoch \d+|Validation DataLoader 0|Sanity Checking DataLoader 0): +\d+%\|[^|]*\| (\d+)\/(\d+) \[([\d:]+)<([\d:]+), +([\d.]+)it\/s(?:, ([^\]]*))?\]/;

function clockSeconds(s: string): number {
  return s.split(":").map(Number).reduce((a, b) => a * 60 + b, 0);
}

function meters(lines: string[]): Meter[] {
  return lines.flatMap((l) => {
    const m = METER_LINE.exec(l);
    if (!m) return [];
    return [{
      desc: m[1],
      n: Number(m[2]),
      total: Number(m[3]),
      elapsedS: clockSeconds(m[4]),
      remainingS: clockSeconds(m[5]),
      rate: Number(m[6]),
      postfix: m[7] ?? "",
    }];
  });
}

Deno.test("humanCount() abbreviates as Lightning's get_human_readable_count", () => {
  const cases: Array<[number, string]> = [
    [0, "0  "],
    [123, "123  "],
    [1234, "1.2 K"],
    [2_000_000, "2.0 M"],
    [7_241_732_096, "7.2 B"],
    [126_000_000, "126 M"],
    [5e15, "5,000 T"],
    [999_950, "999 K"],
  ];
  for (const [n, want] of cases) assert.equal(humanCount(n), want);
});

Deno.test("the model summary counts what rank 0 holds once FSDP has sharded the blocks", () => {
  const cfg = drawRunConfig({
    seed: 1,
    startMs: START_MS,
    nodes: 8,
    gpu: findGpu("h100"),
    model: findModel("llama-3-8b"),
  });
  const fsdp = {
    ...cfg,
    plan: { ...cfg.plan, strategy: "fsdp" as const, recompute: "full" as const },
  };
  assert.deepEqual(summaryLines(fsdp, { ...drawProfile(cfg), modelEval: true }), [
    "  | Name  | Type             | Params | Mode",
    "--------------------------------------------------",
    "0 | model | LlamaForCausalLM | 125 M  | eval",
    "--------------------------------------------------",
    "125 M     Trainable params",
    "0         Non-trainable params",
    "125 M     Total params",
    "501.891   Total estimated model params size (MB)",
    "64        Modules in train mode",
    "423       Modules in eval mode",
  ]);
  const zero3 = { ...cfg, plan: { ...cfg.plan, strategy: "zero3" as const } };
  const lines = summaryLines(zero3, { ...drawProfile(cfg), modelEval: false });
  assert.equal(lines[0], "  | Name  | Type             | Params | Params per Device | Mode ");
  assert.equal(lines[2], "0 | model | LlamaForCausalLM | 8.0 B  | 125 M             | train");
  assert.equal(lines[7], "32,121.045Total estimated model params size (MB)");
});

const RUNS = [
  { seed: 7 },
  { seed: 12, nodes: 2, dataset: findDataset("alpaca") },
  { seed: 11, nodes: 1, dataset: findDataset("alpaca"), chaos: "high" as const, resume: true },
];

/** Runs whose recipe monitors the validation loss. */
const CKPT_RUNS = [7, 8, 9, 10, 12, 13].map((seed) => ({ seed, dataset: findDataset("alpaca") }));

Deno.test("every refresh prints twice: once with the last metrics, once with the new", () => {
  for (const choices of RUNS) {
    const epochs = meters(lightningRun(choices).lines).filter((m) => m.desc.startsWith("Epoch"));
    let pairs = 0;
    for (let i = 1; i + 1 < epochs.length; i++) {
      const [a, b] = [epochs[i], epochs[i + 1]];
      // A new batch mid-epoch (the last batch is printed again when validation and the epoch
      // end, and a validation inside the epoch re-renders its batch with the new metrics).
      const fresh = epochs[i - 1].n < a.n && epochs[i - 1].desc === a.desc;
      if (!fresh || a.n === a.total || a.n !== b.n || a.desc !== b.desc) continue;
      pairs++;
      // Setting n refreshes with the postfix the bar already had (none in a new process).
      if (a.postfix !== "") assert.equal(a.postfix, epochs[i - 1].postfix, JSON.stringify(a));
      assert.ok(b.postfix.startsWith("v_num="));
    }
    assert.ok(pairs >= 4, `${pairs} refresh pairs`);
  }
});

Deno.test("bar rates are n / elapsed and the remaining time follows from the rate", () => {
  for (const choices of RUNS) {
    for (const m of meters(lightningRun(choices).lines)) {
      if (m.n === 0 || m.rate === 0) continue;
      const what = JSON.stringify(m);
      // Elapsed is shown truncated to the second, the rate rounded to two decimals.
      assert.ok(m.n / (m.elapsedS + 1) <= m.rate + 0.005, what);
      if (m.elapsedS > 0 && m.desc.startsWith("Epoch")) {
        assert.ok(m.rate - 0.005 <= m.n / m.elapsedS, what);
      }
      const left = m.total - m.n;
      assert.ok(m.remainingS >= left / (m.rate + 0.005) - 1, what);
      if (m.rate > 0.005) assert.ok(m.remainingS <= left / (m.rate - 0.005) + 1, what);
    }
  }
});

Deno.test("the bar's train loss is the step's loss as Lightning's format_num shows it", () => {
  for (const choices of RUNS) {
    const { cfg, events, lines } = lightningRun(choices);
    const accum = cfg.gradAccum;
    const { r } = drawProfile(cfg);
    const key = r.epochLoss ? `${r.trainKey}_step` : r.trainKey;
    const loss = new Map<string, number>();
    for (const ev of events) {
      if (ev.type === "step") {
        loss.set(`${ev.data.epoch - 1}:${ev.data.epoch_step * accum}`, ev.data.loss);
      }
    }
    let checked = 0;
    for (const m of meters(lines)) {
      const shown = m.postfix.split(", ").find((p) => p.startsWith(`${key}=`))?.slice(
        key.length + 1,
      );
      const epoch = /^Epoch (\d+)/.exec(m.desc)?.[1];
      const value = loss.get(`${epoch}:${m.n}`);
      if (!shown || value === undefined) continue;
      // The "after" print of a refresh shows this step; the "before" one the last refresh's.
      if (shown === lightningNum(Math.fround(value))) checked++;
    }
    assert.ok(checked >= 4, `${checked} losses matched`);
  }
});

Deno.test("ModelCheckpoint reports the validation's loss at that validation's global step", () => {
  let seen = 0;
  for (const choices of CKPT_RUNS) {
    const { cfg, events, lines } = lightningRun(choices);
    const monitor = drawProfile(cfg).r.monitor;
    const vals = events.flatMap((e) => (e.type === "val" ? [e.data as ValData] : []));
    for (const line of lines) {
      const m = /Epoch (\d+), global step (\d+): '([\w/]+)' (?:reached ([\d.]+)|was not)/.exec(
        line,
      );
      if (!m) continue;
      seen++;
      const epoch = Number(m[1]), step = Number(m[2]);
      assert.equal(m[3], monitor);
      // The epoch the step belongs to (a validation may run inside an epoch).
      assert.equal(epoch, Math.floor((step - 1) / cfg.stepsPerEpoch));
      const val = vals.find((v) => v.step === step)!;
      if (m[4]) assert.equal(m[4], pyFixed(Math.fround(val.loss), 5));
    }
  }
  assert.ok(seen >= 3);
});

Deno.test("a finished run ends with fit's stop message and the epoch bar printed once more", () => {
  const limits = new Set<string>();
  for (const seed of [7, 21, 22, 23, 24, 25]) {
    const { cfg, lines } = lightningRun({ seed });
    const stops = lines.filter((l) => l.includes("`Trainer.fit` stopped"));
    assert.equal(stops.length, 1);
    // The limit the script set: max_steps when it counts steps, else max_epochs.
    const limit = drawProfile(cfg).r.stopBy === "max_steps"
      ? `max_steps=${cfg.totalSteps}`
      : `max_epochs=${cfg.epochs}`;
    assert.ok(stops[0].endsWith(`\`Trainer.fit\` stopped: \`${limit}\` reached.`), stops[0]);
    limits.add(limit.split("=")[0]);
    assert.match(lines.at(-1)!, new RegExp(`^Epoch ${cfg.epochs - 1}: 100%`));
  }
  assert.equal(limits.size, 2);
});

Deno.test("Ctrl-C ends the log with Lightning's shutdown notice, never with fit's end", () => {
  for (const seed of [3, 5, 8]) {
    const { lines } = lightningRun({ seed, nodes: 2 }, { signal: "SIGINT", stopAfter: 1200 });
    assert.match(lines.at(-1)!, /Detected KeyboardInterrupt, attempting graceful shutdown/);
    assert.ok(!lines.some((l) => l.includes("Trainer.fit")));
  }
  const { cfg, lines } = lightningRun({ seed: 4, nodes: 2 }, {
    signal: "SIGTERM",
    stopAfter: 1500,
  });
  const got = lines.filter((l) => l.endsWith("Received SIGTERM: 15"));
  assert.equal(got.length, cfg.gpusPerNode);
  assert.ok(!lines.some((l) => l.includes("Trainer.fit")));
});

Deno.test("start-up: each local rank joins once, out of order, then rank zero's banner", () => {
  let shuffled = 0;
  for (const seed of [1, 2, 3, 4]) {
    const { cfg, lines } = lightningRun({ seed, nodes: 4 });
    const joins = lines.flatMap((l) => {
      const m = /^Initializing distributed: GLOBAL_RANK: (\d+), MEMBER: (\d+)\/(\d+)$/.exec(l);
      return m ? [m.slice(1).map(Number)] : [];
    });
    assert.deepEqual(joins.map((j) => j[0]).sort((a, b) => a - b), [0, 1, 2, 3, 4, 5, 6, 7]);
    assert.ok(joins.every(([g, member, world]) => member === g + 1 && world === cfg.worldSize));
    if (joins.some(([g], i) => g !== i)) shuffled++;
    const banner = lines.indexOf("distributed_backend=nccl");
    assert.equal(
      lines[banner + 1],
      `All distributed processes registered. Starting with ${cfg.worldSize} processes`,
    );
    assert.ok(banner > lines.findLastIndex((l) => l.startsWith("Initializing distributed")));
  }
  assert.ok(shuffled >= 3);
});

Deno.test("the sanity check and the training bar come before the first epoch's bar", () => {
  const { lines } = lightningRun({ seed: 7 });
  const at = (re: RegExp) => lines.findIndex((l) => re.test(l));
  const sanity = at(/^Sanity Checking DataLoader 0: 100%/);
  const training = lines.indexOf("Training: |          | 0/? [00:00<?, ?it/s]");
  const epoch = at(/^Epoch 0: +\d+%/);
  assert.ok(sanity > 0 && sanity < training && training < epoch);
  assert.ok(lines.some((l) => l.startsWith("Validation DataLoader 0: 100%")));
});

Deno.test("every local rank's weight loading draws its own bar in the same log", () => {
  const { cfg, lines } = lightningRun({ seed: 12, nodes: 2, dataset: findDataset("alpaca") });
  const done = lines.filter((l) => /^Loading checkpoint shards: 100%/.test(l));
  // Each rank's last update, then its close at the average rate.
  assert.ok(done.length >= cfg.gpusPerNode && done.length <= 2 * cfg.gpusPerNode);
});

Deno.test("GPU telemetry prints nothing in Lightning's text", () => {
  const { events } = lightningRun({ seed: 7 });
  const gpu = events.filter((e) => e.type === "gpu");
  assert.ok(gpu.length > 0);
  assert.ok(gpu.every((e) => e.msg === ""));
});

Deno.test("the same seed replays the same log; another seed writes another", () => {
  const a = lightningRun({ seed: 21, nodes: 2 }).lines;
  assert.deepEqual(lightningRun({ seed: 21, nodes: 2 }).lines, a);
  assert.notDeepEqual(lightningRun({ seed: 22, nodes: 2 }).lines, a);
});

Deno.test("an epoch's mean loss shows only once its epoch has ended, and then at once", () => {
  let epochEnds = 0;
  for (let seed = 1; seed <= 40; seed++) {
    const { cfg, lines } = lightningRun({ seed });
    const bars = meters(lines).filter((m) => m.desc.startsWith("Epoch "));
    let ended = -1;
    for (const [i, m] of bars.entries()) {
      const epoch = Number(m.desc.split(" ")[1]);
      const shown = /(^|, )\S+_epoch=/.test(m.postfix);
      // Validation inside an epoch (val_check_interval) ends no epoch; a later epoch's bar
      // shows the last one's mean until its own end.
      if (shown && epoch === 0 && ended < 0) {
        assert.equal(
          m.n,
          m.total,
          `seed ${seed}: Epoch ${epoch} at ${m.n}/${m.total}: ${m.postfix}`,
        );
        ended = epoch;
        epochEnds++;
      }
      // The bar after an epoch's end already carries its mean, when the script logs one.
      const next = bars[i + 1];
      if (
        drawProfile(cfg).r.epochLoss && next && m.n === m.total &&
        next.desc === m.desc && next.n === m.total && i + 2 === bars.length
      ) {
        assert.match(next.postfix, /_epoch=/, `seed ${seed}: the last bar lacks the epoch's mean`);
      }
    }
  }
  assert.ok(epochEnds > 5, `${epochEnds} epoch ends seen`);
});
