import assert from "node:assert/strict";
import { findDataset, findGpu, findModel } from "../../src/sim/catalog.ts";
import { drawRunConfig, type RunConfig } from "../../src/sim/run_config.ts";
import { autoStyleName, SPEEDRUN_MAX_STEPS } from "../../src/style/names.ts";
import { parseArgs } from "../../src/cli/args.ts";
import { START_MS } from "./styled_run.ts";

const GPT2 = drawRunConfig({
  seed: 1,
  startMs: START_MS,
  nodes: 1,
  gpu: findGpu("h100"),
  model: findModel("gpt2-124m"),
  dataset: findDataset("fineweb-10b"),
});

function variant(over: Partial<RunConfig>): RunConfig {
  return { ...GPT2, task: "pretrain", totalSteps: 1800, ...over };
}

Deno.test("autoStyleName() picks the speedrun for short GPT-2 runs on one 8 × H100 node", () => {
  assert.equal(autoStyleName(variant({})), "speedrun");
  assert.equal(autoStyleName(variant({ model: findModel("gpt2-355m")! })), "speedrun");
  assert.equal(autoStyleName(variant({ dataset: findDataset("fineweb-edu")! })), "speedrun");
});

Deno.test("autoStyleName() picks llm.c for other GPT-2 pre-training on one A100 or H100 node", () => {
  assert.equal(autoStyleName(variant({ totalSteps: SPEEDRUN_MAX_STEPS + 1 })), "llmc");
  assert.equal(autoStyleName(variant({ model: findModel("gpt2-1.5b")! })), "llmc");
  assert.equal(autoStyleName(variant({ gpu: findGpu("a100-80gb")! })), "llmc");
  assert.equal(autoStyleName(variant({ gpusPerNode: 4, worldSize: 4 })), "llmc");
});

Deno.test("autoStyleName() leaves other runs to the other styles", () => {
  const ddp = { ...GPT2.plan, strategy: "ddp" as const };
  assert.equal(autoStyleName(variant({ nodes: 2, plan: ddp })), "nanogpt");
  assert.equal(
    autoStyleName(variant({ dataset: findDataset("openwebtext")!, plan: ddp })),
    "nanogpt",
  );
  assert.equal(autoStyleName(variant({ gpu: findGpu("h200")!, plan: ddp })), "nanogpt");
  assert.equal(autoStyleName(variant({ model: findModel("pythia-1.4b")!, plan: ddp })), "nanogpt");
  assert.equal(autoStyleName(variant({ task: "finetune" })), "hf");
});

Deno.test("--style accepts llmc and speedrun", () => {
  assert.equal(parseArgs(["--style", "llmc"]).style, "llmc");
  assert.equal(parseArgs(["--style", "speedrun"]).style, "speedrun");
});
