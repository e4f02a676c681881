/**
 * DeepSpeed-Chat's step-1 script by DeepSpeedExamples commit: the evaluation before the first
 * epoch, `print_throughput`'s line after every micro batch (its Megatron-formula TFLOPs over the
 * whole world, the decoder's parameters), `ppl: x, loss: y`, and `main.py` saving no DeepSpeed
 * checkpoint before its final HF save.
 */
import assert from "node:assert/strict";
import { findModel } from "../../src/sim/catalog.ts";
import { drawRunConfig, type RunConfig } from "../../src/sim/run_config.ts";
import { STYLES } from "../../src/style/style.ts";
import {
  decoderParams,
  DSCHAT_COMMITS,
  dsChatCommit,
  evalLine,
  microBatchFlops,
  throughputLine,
} from "../../src/style/deepspeed_dschat.ts";
import { dsScriptName } from "../../src/style/deepspeed_script.ts";
import { START_MS, styledRun, textOf } from "./styled_run.ts";

const byCommit = (hash: string) => DSCHAT_COMMITS.find((c) => c.commit === hash)!;

/** A run's configuration with the model, batch and world `print_throughput` reads. */
function shaped(model: string, micro: number, seqLen: number, world: number, gc: boolean) {
  const cfg = drawRunConfig({ seed: 1, startMs: START_MS });
  return {
    ...cfg,
    model: findModel(model)!,
    seqLen,
    worldSize: world,
    plan: { ...cfg.plan, microBatch: micro, recompute: gc ? "full" : "none" },
  } as RunConfig;
}

/** The first seed (from 1) whose run, drawn as the program draws it, matches `want`. */
function seedWhere(want: (cfg: RunConfig) => boolean): number {
  for (let seed = 1;; seed++) if (want(drawRunConfig({ seed, startMs: START_MS }))) return seed;
}

Deno.test("throughputLine() is print_throughput's line with its own arithmetic", () => {
  // Llama-2-7B, 4 sequences of 2048 per GPU, 8 GPUs, no activation checkpointing: Python gives
  // 347879466074112.0 FLOPs a micro batch and this line for 2.345678 s.
  const cfg = shaped("llama-2-7b", 4, 2048, 8, false);
  assert.equal(microBatchFlops(cfg), 347879466074112.0);
  assert.equal(
    throughputLine(cfg, 2.345678),
    "Model Parameters: 6.607 B, Latency: 2.35s, TFLOPs: 18.54, Samples/sec: 1.71, " +
      "Time/seq 0.59s, Batch Size: 4, Sequence Length: 2048",
  );
  // Past 2^53 Python multiplies exact integers before the float: Llama-3.1-405B with
  // checkpointing, 2 × 8192 per GPU, 512 GPUs, 7.5 s reads 15.06 TFLOPs.
  const big = shaped("llama-3-405b", 2, 8192, 512, true);
  assert.equal(microBatchFlops(big), 5.7838572228575224e+16);
  assert.match(throughputLine(big, 7.5), /, TFLOPs: 15\.06, /);
});

Deno.test("decoderParams(): model.model holds no untied output head", () => {
  assert.equal(decoderParams(findModel("llama-3-8b")!), 8030261248 - 128256 * 4096);
  assert.equal(decoderParams(findModel("qwen2.5-0.5b")!), 494032768);
  assert.equal(decoderParams(findModel("llama-3.2-1b")!), 1235814400);
});

Deno.test("evalLine(): float32 perplexity, and the loss beside it from 2023-10-18", () => {
  assert.equal(evalLine(byCommit("e468799f"), 1.234567), "ppl: 3.436890125274658");
  assert.equal(evalLine(byCommit("81a8521f"), 1.234567), "ppl: 3.436890125274658");
  assert.equal(
    evalLine(byCommit("f7ff9dd9"), 1.234567),
    "ppl: 3.436890125274658, loss: 1.2345670461654663",
  );
});

Deno.test("dsChatCommit(): by date, and never a throughput commit where model.model is missing", () => {
  const early = drawRunConfig({ seed: 3, startMs: Date.parse("2023-06-01T00:00:00Z") });
  assert.equal(dsChatCommit(early).commit, "e468799f");
  const seen = new Set<string>();
  for (let seed = 1; seed <= 200; seed++) {
    const cfg = drawRunConfig({ seed, startMs: START_MS });
    const c = dsChatCommit(cfg);
    seen.add(c.commit);
    if (["gpt2", "gpt-neox", "falcon", "bloom"].includes(cfg.model.family)) {
      assert.ok(!c.throughput, `seed ${seed}: ${cfg.model.id} under ${c.commit}`);
    }
  }
  assert.deepEqual([...seen].sort(), ["81a8521f", "e468799f", "f7ff9dd9"]);
});

Deno.test("a fine-tune evaluates before its first epoch, then announces it", () => {
  const text = textOf(
    styledRun({ seed: 14, chaos: "off", task: "finetune" }, STYLES.deepspeed).events,
  )
    .map((l) => l.replace(/^[\w.-]+: /, ""));
  const at = text.indexOf("***** Running training *****");
  assert.ok(at >= 0);
  assert.match(text[at + 1], /^\*\*\*\*\* Evaluating perplexity, Epoch 0\/\d+ \*\*\*\*\*$/);
  assert.match(text[at + 2], /^ppl: \d+\.\d+(?:, loss: \d+\.\d+)?$/);
  assert.match(text[at + 3], /^Beginning of Epoch 1\/\d+, Total Micro Batches \d+$/);
});

Deno.test("print_throughput: one line per micro batch, the last after the engine's report", () => {
  const seed = seedWhere((c) => dsChatCommit(c).throughput && c.gradAccum >= 2);
  const run = styledRun({ seed, chaos: "off" }, STYLES.deepspeed);
  const lines = textOf(run.events).map((l) => l.replace(/^[\w.-]+: /, ""));
  const cfg = run.cfg, gas = cfg.gradAccum;
  const tput = lines.filter((l) => l.startsWith("Model Parameters: "));
  const steps = run.events.filter((e) => e.type === "step").length;
  assert.equal(tput.length, steps * gas, `seed ${seed}`);
  for (const line of tput) {
    const v = (k: string) => Number(new RegExp(`${k}:? (\\d+\\.\\d+)`).exec(line)![1]);
    // Samples/sec and Time/seq come from the same latency as the line's TFLOPs.
    assert.ok(Math.abs(v("Samples/sec") * v("Latency") - cfg.plan.microBatch) < 0.02 * gas + 0.1);
    assert.ok(line.endsWith(`Batch Size: ${cfg.plan.microBatch}, Sequence Length: ${cfg.seqLen}`));
  }
  // At a reported step the engine's records come between its micro batches and the last one.
  const report = lines.findIndex((l) => /\] step=[1-9]\d*, skipped=/.test(l));
  assert.ok(lines[report - 1].startsWith("Model Parameters: "));
  assert.match(lines[report + 1], /\[timer\.py:\d+:stop\] epoch=/);
  assert.ok(lines[report + 2].startsWith("Model Parameters: "));
});

Deno.test("DeepSpeed-Chat's main.py saves no DeepSpeed checkpoint: only the final HF model", () => {
  let checked = 0;
  for (let seed = 1; checked < 3; seed++) {
    const cfg = drawRunConfig({ seed, startMs: START_MS });
    if (dsScriptName(cfg) !== "main.py") continue;
    const lines = textOf(styledRun({ seed, chaos: "off" }, STYLES.deepspeed).events);
    assert.ok(!lines.some((l) => /is about to be saved|Processing zero checkpoint/.test(l)));
    assert.ok(!lines.some((l) => l.includes("time (ms) | ")), "wall_clock_breakdown is off");
    assert.ok(lines.some((l) => l.endsWith("saving the final model ...")), `seed ${seed}`);
    checked++;
  }
});
