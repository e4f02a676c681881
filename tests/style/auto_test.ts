import assert from "node:assert/strict";
import { findGpu, findModel } from "../../src/sim/catalog.ts";
import type { Strategy } from "../../src/sim/model/memory.ts";
import { drawRunConfig, type RunConfig } from "../../src/sim/run_config.ts";
import { parseArgs, UsageError } from "../../src/cli/args.ts";
import { autoStyle, STYLES } from "../../src/style/style.ts";
import {
  autoStyleName,
  HF_MAX_PARAMS,
  TITAN_MIN_TORCH_MINOR,
  TITAN_MODELS,
} from "../../src/style/names.ts";
import { drawRun } from "../../src/sim/scenario.ts";
import { START_MS } from "./styled_run.ts";

const BASE = drawRunConfig({
  seed: 1,
  startMs: START_MS,
  nodes: 8,
  gpu: findGpu("h100"),
  model: findModel("llama-3-8b"),
});

function run(
  strategy: Strategy,
  task: "pretrain" | "finetune",
  params = 8e9,
  torchVersion = "2.7.1+cu126",
): RunConfig {
  return {
    ...BASE,
    task,
    plan: { ...BASE.plan, strategy },
    model: { ...BASE.model, params },
    cluster: { ...BASE.cluster, torchVersion },
  };
}

Deno.test("autoStyle() picks the framework that fits the run's strategy", () => {
  const cases: Array<[RunConfig, string]> = [
    [run("megatron", "pretrain"), "megatron"],
    [run("megatron", "finetune"), "megatron"],
    [run("zero1", "pretrain"), "hf"],
    [run("zero3", "pretrain", 7e10), "megatron"],
    [run("zero2", "finetune"), "hf"],
    [run("zero3", "finetune", 7e10), "deepspeed"],
    [run("ddp", "pretrain", 1.2e8), "nanogpt"],
    [run("ddp", "finetune", 1.2e8), "hf"],
    [run("fsdp", "pretrain"), "torchrun"],
    // torchtitan's trainer needs a recent torch: on 2.4 the Llama pre-trains through the Trainer.
    [run("fsdp", "pretrain", 8e9, "2.4.1+cu124"), "hf"],
    [run("fsdp", "finetune"), "hf"],
    [run("fsdp", "finetune", 7e10), "lightning"],
  ];
  for (const [cfg, want] of cases) {
    assert.equal(autoStyle(cfg).name, want, `${cfg.plan.strategy} ${cfg.task} ${cfg.model.params}`);
  }
});

Deno.test("--style accepts every style by name and names them all when it rejects one", () => {
  for (const name of ["auto", ...Object.keys(STYLES)]) {
    assert.equal(parseArgs(["--style", name]).style, name);
  }
  assert.throws(() => parseArgs(["--style", "keras"]), (e: Error) => {
    assert.ok(e instanceof UsageError);
    assert.match(e.message, /^--style must be one of auto, /);
    for (const name of ["torchrun", "megatron", "deepspeed", "hf", "lightning", "nanogpt"]) {
      assert.ok(e.message.includes(name), name);
    }
    return true;
  });
});

Deno.test("auto: torchtitan only pre-trains the Llamas it ships; other FSDP pre-training is HF or Megatron", () => {
  let titan = 0, other = 0;
  for (let seed = 1; seed <= 400; seed++) {
    const cfg = drawRun({ seed, startMs: 0 });
    if (cfg.plan.strategy !== "fsdp" || cfg.task !== "pretrain") continue;
    const style = autoStyleName(cfg);
    const recentTorch = Number(cfg.cluster.torchVersion.split(".")[1]) >= TITAN_MIN_TORCH_MINOR;
    if (style === "torchrun") {
      titan++;
      assert.ok(TITAN_MODELS.has(cfg.model.id) && recentTorch, cfg.model.id);
    } else {
      other++;
      assert.ok(!TITAN_MODELS.has(cfg.model.id) || !recentTorch);
      assert.equal(style, cfg.model.params <= HF_MAX_PARAMS ? "hf" : "megatron");
    }
  }
  assert.ok(titan > 0 && other > 0, `${titan} torchtitan, ${other} other FSDP pre-training runs`);
});

Deno.test("auto: plain data-parallel pre-training is nanoGPT's train.py or a Lightning script", () => {
  const seen = new Map<string, number>();
  for (let seed = 1; seed <= 400; seed++) {
    const cfg = drawRun({ seed, startMs: 0 });
    if (cfg.plan.strategy !== "ddp" || cfg.task !== "pretrain") continue;
    const style = autoStyleName(cfg);
    if (style === "speedrun" || style === "llmc") continue;
    seen.set(style, (seen.get(style) ?? 0) + 1);
  }
  assert.deepEqual([...seen.keys()].sort(), ["lightning", "nanogpt"]);
  assert.ok(seen.get("nanogpt")! > seen.get("lightning")!, JSON.stringify([...seen]));
});
