import assert from "node:assert/strict";
import { drawRunConfig } from "../../src/sim/run_config.ts";
import { HF_STYLE } from "../../src/style/hf.ts";
import { hfProfile } from "../../src/style/hf_profile.ts";
import { HF_RELEASES, type HfRelease, releaseChoices } from "../../src/style/hf_release.ts";
import { START_MS, styledConfig, textOf } from "./styled_run.ts";

function release(version: string): HfRelease {
  const r = HF_RELEASES.find((x) => x.version === version);
  assert.ok(r, version);
  return r;
}

// Read off each release's tagged source: the line where the logger call starts.
const PINNED: Array<[string, Array<[keyof HfRelease["site"], string]>]> = [
  ["4.40.2", [
    ["halfPrecision", "trainer.py:626"],
    ["evalBanner", "trainer.py:3614"],
    ["completed", "trainer.py:2316"],
    ["wandb", "integration_utils.py:723"],
    ["configLoad", "configuration_utils.py:726"],
    ["tokenizerFile", "tokenization_utils_base.py:2087"],
    ["weightsLoad", "modeling_utils.py:3429"],
  ]],
  ["4.44.2", [
    ["saving", "trainer.py:3503"],
    ["evalBanner", "trainer.py:3819"],
    ["rotate", "trainer.py:3595"],
    ["configShow", "configuration_utils.py:800"],
    ["generationSaved", "configuration_utils.py:807"],
    ["weightsSaved", "modeling_utils.py:2799"],
  ]],
  ["4.46.3", [
    ["halfPrecision", "trainer.py:699"],
    ["completed", "trainer.py:2591"],
    ["evalBatch", "trainer.py:4133"],
    ["wandb", "integration_utils.py:812"],
    ["tokenizerFile", "tokenization_utils_base.py:2211"],
    ["specialSaved", "tokenization_utils_base.py:2655"],
  ]],
  ["4.51.3", [
    ["saving", "trainer.py:3984"],
    ["evalBanner", "trainer.py:4307"],
    ["configLoad", "configuration_utils.py:693"],
    ["weightsLoad", "modeling_utils.py:1124"],
    ["weightsSharded", "modeling_utils.py:3580"],
    ["tokenizerSaved", "tokenization_utils_base.py:2510"],
  ]],
  ["4.57.6", [
    ["completed", "trainer.py:2810"],
    ["evalBanner", "trainer.py:4643"],
    ["wandb", "integration_utils.py:867"],
    ["configLoad", "configuration_utils.py:765"],
    ["tokenizerFile", "tokenization_utils_base.py:2111"],
  ]],
];

Deno.test("hf release: each release logs at the call sites of its own source", () => {
  for (const [version, sites] of PINNED) {
    for (const [key, where] of sites) assert.equal(release(version).site[key], where, version);
  }
  assert.deepEqual(release("4.40.2").site.banner, [
    "trainer.py:2048",
    "trainer.py:2049",
    "trainer.py:2050",
    "trainer.py:2051",
    "trainer.py:2054",
    "trainer.py:2055",
    "trainer.py:2056",
    "trainer.py:2057",
  ]);
  assert.deepEqual(release("4.51.3").site.resume, [
    "trainer.py:2445",
    "trainer.py:2446",
    "trainer.py:2447",
    "trainer.py:2449",
  ]);
});

Deno.test("hf release: the wording changes as the releases did", () => {
  assert.deepEqual(
    HF_RELEASES.map((r) => [r.version, r.date, r.evalBannerNewline, r.chatTemplateFile]),
    [
      ["4.40.2", "2024-05-06", false, false],
      ["4.44.2", "2024-08-22", true, false],
      ["4.46.3", "2024-11-18", true, false],
      ["4.51.3", "2025-04-14", true, true],
      ["4.57.6", "2026-01-16", true, true],
    ],
  );
});

Deno.test("hf release: a run draws among the releases out by its start, newer ones likelier", () => {
  const at = (day: string) => Date.parse(`${day}T12:00:00Z`);
  const versions = (day: string, torch = "2.5.1+cu124") =>
    releaseChoices(at(day), torch).map((c) => `${c.release.version}:${c.weight}`);
  assert.deepEqual(versions("2023-01-01"), ["4.40.2:1"]);
  assert.deepEqual(versions("2024-09-01"), ["4.40.2:4", "4.44.2:4"]);
  assert.deepEqual(versions("2025-06-01"), ["4.40.2:1", "4.44.2:4", "4.46.3:4", "4.51.3:4"]);
  assert.deepEqual(versions("2026-11-24"), [
    "4.40.2:1",
    "4.44.2:1",
    "4.46.3:1",
    "4.51.3:1",
    "4.57.6:4",
  ]);
  // torch 2.7 (April 2025) still takes 4.40.2, under a year older than it.
  assert.deepEqual(versions("2025-06-01", "2.7.1+cu128"), versions("2025-06-01"));
});

Deno.test("hf release: runs over many seeds use at least three releases", () => {
  const seen = new Set<string>();
  for (let seed = 1; seed <= 60; seed++) {
    seen.add(hfProfile(drawRunConfig({ seed, startMs: START_MS })).release.version);
  }
  assert.ok(seen.size >= 3, [...seen].join(" "));
});

Deno.test("hf release: a run's lines carry its release's sites, version and wording", () => {
  const versions = new Set<string>();
  for (const seed of [3, 7, 12, 21, 33, 48]) {
    const cfg = drawRunConfig({ seed, startMs: START_MS, resume: seed % 2 === 0 });
    const rel = hfProfile(cfg).release;
    versions.add(rel.version);
    const lines = textOf(styledConfig(cfg, HF_STYLE).events);
    const sites = new Set(Object.values(rel.site).flat());
    const heads = lines.flatMap((l) => [...l.matchAll(/\[(?:INFO|WARNING)\|([a-z_]+\.py:\d+)\]/g)])
      .map((m) => m[1]);
    assert.ok(heads.length > 10, `seed ${seed}`);
    for (const h of heads) assert.ok(sites.has(h), `seed ${seed} ${rel.version}: ${h}`);
    const stamped = lines.filter((l) => l.includes('"transformers_version"'));
    assert.ok(stamped.length > 0);
    for (const l of stamped) assert.ok(l.includes(`"${rel.version}"`), `seed ${seed}: ${l}`);
    assert.equal(lines.some((l) => l.includes("chat_template.jinja")), rel.chatTemplateFile);
    const evalHead = lines.filter((l) => l.includes(`|${rel.site.evalBanner}]`));
    assert.ok(evalHead.length > 0);
    for (const l of evalHead) {
      assert.equal(l.endsWith(">> "), rel.evalBannerNewline, `seed ${seed}: ${l}`);
    }
  }
  assert.ok(versions.size >= 2, [...versions].join(" "));
});

Deno.test("run_clm from scratch: the config's records, then the script's 'Training new model' line", () => {
  let seen = 0;
  for (let seed = 1; seed <= 40 && seen < 3; seed++) {
    const cfg = drawRunConfig({ seed, task: "pretrain", startMs: START_MS });
    if (cfg.model.params > 2e10) continue;
    const lines = textOf(styledConfig(cfg, HF_STYLE).events);
    const fresh = lines.findIndex((l) => l.includes("Training new model from scratch"));
    if (fresh < 0) continue;
    seen++;
    const config = lines.findIndex((l) => / >> Model config \w+Config \{$/.test(l));
    assert.ok(
      config >= 0 && config < fresh,
      `seed ${seed}: config at ${config}, model at ${fresh}`,
    );
  }
  assert.ok(seen > 0);
});

Deno.test("hf: after a skipped fp16 update the logged rate is the schedule's at the optimizer's count", () => {
  let skippedRuns = 0;
  for (let seed = 1; seed <= 40 && skippedRuns < 2; seed++) {
    const cfg = drawRunConfig({ seed, task: "finetune", startMs: START_MS, chaos: "high" });
    if (cfg.precision !== "fp16") continue;
    const { events } = styledConfig(cfg, HF_STYLE);
    let skipped = 0;
    for (const ev of events) {
      if (ev.type !== "step") continue;
      if (ev.data.skipped) skipped++;
      if (skipped > 0 && ev.data.step > cfg.warmupSteps + skipped) {
        const m = ev.msg.match(/'learning_rate': ([^,]+),/);
        if (m) assert.notEqual(Number(m[1]), 0, `seed ${seed} step ${ev.data.step}: ${ev.msg}`);
      }
    }
    if (skipped > 0) skippedRuns++;
  }
  assert.ok(skippedRuns > 0, "no fp16 run skipped an update");
});
