import assert from "node:assert/strict";
import { findModel } from "../../src/sim/catalog.ts";
import { drawRunConfig, type RunConfig } from "../../src/sim/run_config.ts";
import { CapturedLog } from "../../src/style/hf_capture.ts";
import {
  LF_RELEASES,
  lfInfo,
  type LfJob,
  processRankLine,
} from "../../src/style/hf_llamafactory.ts";
import { loraParams, trainableLine as paramStats } from "../../src/style/peft.ts";
import { hfProfile } from "../../src/style/hf_profile.ts";
import { HF_RELEASES } from "../../src/style/hf_release.ts";
import { hfRun } from "../../src/style/hf_run.ts";
import { finalEvalBar } from "../../src/style/hf_train.ts";
import { hfFrames } from "../../src/style/hf_frames.ts";
import { HF_STYLE } from "../../src/style/hf.ts";
import { autoStyleName } from "../../src/style/names.ts";
import { stylePacing } from "../../src/style/pacing.ts";
import { START_MS, styledConfig, textOf } from "./styled_run.ts";

function hfConfig(seed: number): RunConfig {
  return drawRunConfig({ seed, startMs: START_MS, pacing: (c) => stylePacing("hf", c) });
}

/** The first seed from 1 up whose run is a LLaMA-Factory job that `test` accepts. */
function lfRunOf(test: (cfg: RunConfig, job: LfJob) => boolean): RunConfig {
  for (let seed = 1; seed < 3000; seed++) {
    const cfg = hfConfig(seed);
    const job = hfProfile(cfg).lf;
    if (job && test(cfg, job)) return cfg;
  }
  throw new Error("no seed draws such a LLaMA-Factory job");
}

Deno.test("loraParams() adds r × (in + out) for every linear layer, as PEFT counts it", () => {
  // Llama-3-8B at rank 8 on all seven projections: 20,971,520 (as LLaMA-Factory prints it).
  assert.equal(loraParams(findModel("llama-3-8b")!, 8), 20_971_520);
  // Qwen2.5-7B: hidden 3584, 28 heads of 128, 4 KV heads, MLP 18944, 28 layers.
  assert.equal(loraParams(findModel("qwen2.5-7b")!, 8), 20_185_088);
  // Phi-3-mini's fused qkv_proj and gate_up_proj.
  assert.equal(loraParams(findModel("phi-3-mini")!, 8), 12_582_912);
  // Gemma 2 9B's heads are 256 wide, not hidden / heads: 80,384 × r per layer, 42 layers.
  assert.equal(loraParams(findModel("gemma-2-9b")!, 16), 54_018_048);
});

Deno.test("paramStats() prints thousands separators and the share to 4 places", () => {
  assert.equal(
    paramStats(5_046_272, 601_096_192),
    "trainable params: 5,046,272 || all params: 601,096,192 || trainable%: 0.8395",
  );
  assert.equal(
    paramStats(1_543_714_304, 1_543_714_304),
    "trainable params: 1,543,714,304 || all params: 1,543,714,304 || trainable%: 100.0000",
  );
});

Deno.test("each LLaMA-Factory release carries its tag's call sites and a transformers we draw", () => {
  const sites = LF_RELEASES.map((r) =>
    `${r.version} ${r.transformers} ${r.launcherModule} ${r.infoLine}/${r.warningLine} ` +
    `parser:${r.parserLine} ${r.rankFields}`
  );
  assert.deepEqual(sites, [
    "0.9.1 4.44.2 llamafactory.cli 157/162 parser:355 local",
    "0.9.3 4.51.3 llamafactory.cli 143/148 parser:406 world",
    "0.9.5 4.57.6 llamafactory.launcher 143/148 parser:523 world",
  ]);
  for (const r of LF_RELEASES) {
    assert.ok(HF_RELEASES.some((h) => h.version === r.transformers), r.version);
  }
});

Deno.test("LLaMA-Factory's logger: level and second, module and the wrapper's line", () => {
  const cfg = lfRunOf((_, j) => j.release.version === "0.9.5");
  const job = hfProfile(cfg).lf!;
  assert.equal(
    lfInfo(job, START_MS + 17_048, "llamafactory.model.loader", "x"),
    "[INFO|2026-11-24 09:00:17] llamafactory.model.loader:143 >> x\n",
  );
  const world = `world size: ${cfg.worldSize}, device: cuda:3, distributed training: True`;
  assert.equal(
    processRankLine(cfg, job, 3, START_MS),
    `[INFO|2026-11-24 09:00:00] llamafactory.hparams.parser:523 >> Process rank: 3, ${world}, ` +
      `compute dtype: ${cfg.precision === "fp16" ? "torch.float16" : "torch.bfloat16"}\n`,
  );
});

Deno.test("0.9.1 logs each process's local rank and n_gpu, without the world size", () => {
  const cfg = lfRunOf((c, j) => j.release.version === "0.9.1" && c.nodes > 1);
  const job = hfProfile(cfg).lf!;
  const line = processRankLine(cfg, job, cfg.gpusPerNode + 2, START_MS);
  assert.match(
    line,
    /^\[INFO\|2026-11-24 09:00:00\] llamafactory\.hparams\.parser:355 >> Process rank: 2, device: cuda:2, n_gpu: 1, distributed training: True, compute dtype: torch\.(bfloat16|float16)\n$/,
  );
});

Deno.test("about a third of the HF Trainer's fine-tunes are LLaMA-Factory jobs, no pre-training run", () => {
  let fineTunes = 0, lf = 0, pretrainLf = 0;
  for (let seed = 1; seed <= 1200; seed++) {
    const cfg = drawRunConfig({ seed, startMs: START_MS });
    if (autoStyleName(cfg) !== "hf") continue;
    const job = hfProfile(cfg).lf;
    if (cfg.task === "pretrain") {
      if (job) pretrainLf++;
      continue;
    }
    fineTunes++;
    if (job) lf++;
  }
  assert.equal(pretrainLf, 0);
  // llama-recipes (the torchrun style) takes some Llama fine-tunes LLaMA-Factory could have had.
  assert.ok(lf / fineTunes > 0.25 && lf / fineTunes < 0.55, `${lf}/${fineTunes}`);
});

Deno.test("a LoRA job's log: launch, every rank, the count in its banner, LLaMA-Factory's end", () => {
  const cfg = lfRunOf((c, j) => j.method === "lora" && c.nodes === 1 && c.gpusPerNode > 1);
  const job = hfProfile(cfg).lf!;
  const text = textOf(styledConfig(cfg, HF_STYLE).events).join("\n") + "\n";
  const tasks = job.release.launchCountsTasks ? `${cfg.gpusPerNode} ` : "";
  const where = `${job.release.launcherModule}:${job.release.infoLine}`;
  const launch = `${where} >> Initializing ${tasks}distributed tasks at: 127.0.0.1:${job.port}\n`;
  assert.ok(text.includes(launch), launch);
  assert.equal(text.match(/>> Process rank: /g)?.length, cfg.worldSize);
  const stats = paramStats(job.trainable, job.all);
  assert.ok(text.includes(`llamafactory.model.loader:${job.release.infoLine} >> ${stats}\n`));
  assert.equal(job.all, cfg.model.params + loraParams(cfg.model, job.loraRank));
  const banner = text.match(/Number of trainable parameters = ([\d,]+)\n/)![1];
  assert.equal(banner.replaceAll(",", ""), String(job.trainable));
  assert.ok(text.includes("***** train metrics *****\n"));
  assert.ok(!text.includes("train_samples "), "LLaMA-Factory logs no train_samples");
  assert.ok(text.includes(`Figure saved at: ${cfg.outputDir}/training_loss.png\n`));
  assert.ok(!text.includes("run_clm.py"));
  assert.ok(!text.includes("Training/evaluation parameters"));
});

Deno.test("finalEvalBar(): its clock starts after the first batch, shorter than eval_runtime", () => {
  const cfg = hfConfig(1);
  const loop = hfRun(cfg, new CapturedLog(false)).loop;
  const frames = finalEvalBar(loop, 5, 1.08).split("\r").filter((f) => f !== "");
  assert.match(frames[0], /0\/5 \[00:00<\?, \?it\/s\]$/);
  const last = frames[frames.length - 1];
  const m = last.match(/ 5\/5 \[00:00<00:00, +([\d.]+)it\/s\]\n$/)!;
  // close() shows n / elapsed: the elapsed it implies misses the first batch and the set-up.
  const elapsed = 5 / Number(m[1]);
  assert.ok(elapsed < 1.08 * (4 / 5) && elapsed > 1.08 * 0.6, String(elapsed));
  // One batch: the bar closes within a millisecond of its creation.
  const one = finalEvalBar(loop, 1, 0.41).split("\r").filter((f) => f !== "");
  const rate = Number(one[one.length - 1].match(/ 1\/1 \[00:00<00:00, +([\d.]+)it\/s\]/)![1]);
  assert.ok(rate > 500, String(rate));
});

Deno.test("the final evaluation's bar covers less time than its eval_runtime, and replays", () => {
  const cfg = lfRunOf((c) => c.nodes === 1);
  const lines = textOf(styledConfig(cfg, HF_STYLE).events).join("\n").split("\n");
  const at = lines.indexOf("***** eval metrics *****");
  assert.ok(at > 0);
  const close = lines[at - 1].match(/ (\d+)\/\1 \[(\d\d):(\d\d)<00:00, +([\d.]+)(s\/it|it\/s)\]$/)!;
  const n = Number(close[1]), rate = Number(close[4]);
  const barS = close[5] === "it/s" ? n / rate : n * rate;
  const runtime = lines.slice(at).find((l) => l.startsWith("  eval_runtime"))!;
  const [, m, s] = runtime.match(/= 0:(\d\d):(\d\d\.\d\d)$/)!;
  const runtimeS = Number(m) * 60 + Number(s);
  assert.ok(barS < runtimeS - 0.01, `${barS} vs ${runtimeS}`);
  assert.equal(Number(close[2]) * 60 + Number(close[3]), Math.floor(barS + 1e-9));
  const again = textOf(styledConfig(cfg, HF_STYLE).events).join("\n").split("\n");
  assert.deepEqual(again, lines);
});

Deno.test("a LLaMA-Factory worker's traceback runs through its launcher and workflow, by release", () => {
  const want: Record<string, string[]> = {
    "0.9.1": [
      "launcher.py:23 <module> | launch()",
      "launcher.py:19 launch | run_exp()",
      "train/tuner.py:50 run_exp | run_sft(model_args, data_args, training_args, finetuning_args, generating_args, callbacks)",
      "train/sft/workflow.py:101 run_sft | train_result = trainer.train(resume_from_checkpoint=training_args.resume_from_checkpoint)",
    ],
    "0.9.5": [
      "launcher.py:185 <module> | run_exp()",
      'train/tuner.py:149 run_exp | _training_function(config={"args": args, "callbacks": callbacks})',
      "train/tuner.py:117 _training_function | run_sft(model_args, data_args, training_args, finetuning_args, generating_args, callbacks)",
      "train/sft/workflow.py:121 run_sft | train_result = trainer.train(resume_from_checkpoint=training_args.resume_from_checkpoint)",
    ],
  };
  for (const [version, lines] of Object.entries(want)) {
    const cfg = version === "0.9.1"
      ? drawLfAt(Date.parse("2025-02-01T09:00:00Z"), version)
      : lfRunOf((_, j) => j.release.version === version);
    const frames = hfFrames(cfg, "forward");
    const src = `${cfg.cluster.home}/LLaMA-Factory/src/llamafactory/`;
    const ours = frames.filter((f) => f.file.startsWith(src))
      .map((f) => `${f.file.slice(src.length)}:${f.line} ${f.fn} | ${f.code}`);
    assert.deepEqual(ours, lines, version);
    assert.ok(frames[lines.length].file.endsWith("/transformers/trainer.py"));
    assert.ok(!frames.some((f) => f.file.endsWith("run_clm.py")));
  }
});

/** The first seed whose run, starting at `startMs`, is a LLaMA-Factory `version` job. */
function drawLfAt(startMs: number, version: string): RunConfig {
  for (let seed = 1; seed < 3000; seed++) {
    const cfg = drawRunConfig({ seed, startMs, pacing: (c) => stylePacing("hf", c) });
    if (hfProfile(cfg).lf?.release.version === version) return cfg;
  }
  throw new Error(`no seed draws LLaMA-Factory ${version}`);
}
