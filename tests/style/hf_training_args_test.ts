import assert from "node:assert/strict";
import { drawRunConfig, type RunConfig } from "../../src/sim/run_config.ts";
import { HF_STYLE } from "../../src/style/hf.ts";
import { hfProfile } from "../../src/style/hf_profile.ts";
import { HF_RELEASES } from "../../src/style/hf_release.ts";
import { releaseArgs, trainingArguments } from "../../src/style/hf_training_args.ts";
import { START_MS, styledConfig, textOf } from "./styled_run.ts";

/** The dump of run 7 as if it ran `version` on torch `torch` under Python `python`. */
function dumpOf(version: string, torch = "2.5.1+cu124", python = "3.11.9"): string[] {
  const drawn = drawRunConfig({ seed: 7, startMs: START_MS });
  const cluster = { ...drawn.cluster, torchVersion: torch, pythonVersion: python };
  const cfg: RunConfig = { ...drawn, cluster };
  const release = HF_RELEASES.find((r) => r.version === version);
  assert.ok(release, version);
  return trainingArguments(cfg, { ...hfProfile(cfg), release }, START_MS);
}

// Read off each tag's training_args.py (and AcceleratorConfig in trainer_pt_utils.py).
const PINNED: Array<[string, number, string[], string[]]> = [
  ["4.40.2", 121, [
    "evaluation_strategy=IntervalStrategy.EPOCH,",
    "save_strategy=IntervalStrategy.STEPS,",
    "accelerator_config={'split_batches': False, 'dispatch_batches': None, 'even_batches': True, 'use_seedable_sampler': True, 'gradient_accumulation_kwargs': None},",
    "split_batches=None,",
    "use_ipex=False,",
    "hub_private_repo=False,",
    "lr_scheduler_kwargs={},",
    "include_num_input_tokens_seen=False,",
  ], ["eval_strategy", "batch_eval_metrics", "eval_on_start", "torch_empty_cache_steps"]],
  ["4.44.2", 127, [
    "eval_strategy=IntervalStrategy.EPOCH,",
    "evaluation_strategy=None,",
    "eval_on_start=False,",
    "accelerator_config={'split_batches': False, 'dispatch_batches': None, 'even_batches': True, 'use_seedable_sampler': True, 'non_blocking': False, 'gradient_accumulation_kwargs': None, 'use_configured_state': False},",
  ], ["include_for_metrics", "average_tokens_across_devices", "use_liger_kernel"]],
  ["4.46.3", 130, [
    "average_tokens_across_devices=False,",
    "include_for_metrics=[],",
    "save_strategy=IntervalStrategy.STEPS,",
    "dispatch_batches=None,",
  ], ["tp_size", "hub_revision"]],
  ["4.51.3", 128, [
    "save_strategy=SaveStrategy.STEPS,",
    "tp_size=0,",
    "hub_private_repo=None,",
    "use_ipex=False,",
  ], ["evaluation_strategy", "split_batches", "dispatch_batches", "project"]],
  ["4.57.6", 131, [
    "include_num_input_tokens_seen=no,",
    "average_tokens_across_devices=True,",
    "project=huggingface,",
    "trackio_space_id=trackio,",
    "lr_scheduler_kwargs=None,",
    "optim=OptimizerNames.ADAMW_TORCH,",
  ], ["use_ipex", "tp_size", "evaluation_strategy"]],
];

Deno.test("trainingArguments() prints each release's own fields and default reprs", () => {
  for (const [version, count, lines, absent] of PINNED) {
    const dump = dumpOf(version);
    assert.equal(dump.length, count + 2, version);
    for (const line of lines) assert.ok(dump.includes(line), `${version}: ${line}`);
    for (const key of absent) {
      assert.ok(!dump.some((l) => l.startsWith(`${key}=`)), `${version} has no ${key}`);
    }
    for (const line of ["push_to_hub_token=<PUSH_TO_HUB_TOKEN>,", "hub_token=<HUB_TOKEN>,"]) {
      assert.ok(dump.includes(line), `${version}: ${line}`);
    }
    assert.ok(!dump.some((l) => l.startsWith("per_gpu_")), version);
  }
});

Deno.test("trainingArguments() picks fused AdamW only where 4.57 runs on torch 2.8 or later", () => {
  assert.ok(dumpOf("4.57.6", "2.8.0+cu128").includes("optim=OptimizerNames.ADAMW_TORCH_FUSED,"));
  assert.ok(dumpOf("4.57.6", "2.7.1+cu128").includes("optim=OptimizerNames.ADAMW_TORCH,"));
  assert.ok(dumpOf("4.51.3", "2.8.0+cu128").includes("optim=OptimizerNames.ADAMW_TORCH,"));
});

Deno.test("trainingArguments() prints enums by value under Python 3.10, by name from 3.11", () => {
  const has = (dump: string[], lines: string[]) => {
    for (const line of lines) assert.ok(dump.includes(line), line);
  };
  has(dumpOf("4.40.2", "2.4.1+cu124", "3.10.14"), [
    "evaluation_strategy=epoch,",
    "save_strategy=steps,",
    "logging_strategy=steps,",
    "hub_strategy=every_save,",
    "lr_scheduler_type=cosine,",
    "optim=adamw_torch,",
  ]);
  has(dumpOf("4.51.3", "2.6.0+cu124", "3.12.7"), [
    "eval_strategy=IntervalStrategy.EPOCH,",
    "save_strategy=SaveStrategy.STEPS,",
    "hub_strategy=HubStrategy.EVERY_SAVE,",
    "lr_scheduler_type=SchedulerType.COSINE,",
  ]);
  // A list shows its members' reprs under every Python.
  assert.ok(dumpOf("4.46.3", "2.4.1+cu124", "3.10.14").includes("debug=[],"));
});

Deno.test("hf: a run's TrainingArguments dump has exactly its drawn release's fields, sorted", () => {
  const versions = new Set<string>();
  let traced = 0;
  const pythons = new Set<boolean>();
  for (let seed = 1; seed <= 24; seed++) {
    const cfg = drawRunConfig({ seed, startMs: START_MS });
    // A LLaMA-Factory job prints no TrainingArguments.
    if (hfProfile(cfg).lf) continue;
    const version = hfProfile(cfg).release.version;
    versions.add(version);
    const lines = textOf(styledConfig(cfg, HF_STYLE).events);
    const from = lines.findIndex((l) =>
      l.endsWith("Training/evaluation parameters TrainingArguments(")
    );
    assert.ok(from >= 0, `seed ${seed}`);
    const to = lines.indexOf(")", from);
    const keys = lines.slice(from + 1, to).map((l) => l.slice(0, l.indexOf("=")));
    const want = releaseArgs(version).fields.map(([k]) => k);
    assert.deepEqual(keys, want, `seed ${seed} ${version}`);
    assert.deepEqual(keys, [...keys].sort(), `seed ${seed}`);
    const scheduler = lines.slice(from, to).find((l) => l.startsWith("lr_scheduler_type="));
    const byName = Number(cfg.cluster.pythonVersion.split(".")[1]) >= 11;
    assert.equal(
      scheduler,
      byName ? "lr_scheduler_type=SchedulerType.COSINE," : "lr_scheduler_type=cosine,",
    );
    pythons.add(byName);
    // The job script's `set -x` trace, where it has one, passes the flag the release parses.
    const command = lines.find((l) => l.includes("run_clm.py --"));
    if (command === undefined) continue;
    traced++;
    const flag = version === "4.40.2" ? "--evaluation_strategy epoch" : "--eval_strategy epoch";
    assert.ok(command.includes(` ${flag} `), `seed ${seed} ${version}: ${flag}`);
  }
  assert.ok(versions.size >= 3, [...versions].join(" "));
  assert.ok(traced > 0);
  assert.equal(pythons.size, 2);
});
