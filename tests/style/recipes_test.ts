import assert from "node:assert/strict";
import { findDataset, findGpu, findModel } from "../../src/sim/catalog.ts";
import type { RunConfig } from "../../src/sim/run_config.ts";
import { drawRun } from "../../src/sim/scenario.ts";
import { autoStyleName, runsLlamaRecipes } from "../../src/style/names.ts";
import { STYLES } from "../../src/style/style.ts";
import {
  bestLine,
  epochLine,
  evalLine,
  memoryReport,
  modelSizeLines,
  recipesRelease,
  resultLines,
  tensorRepr,
  trainDesc,
} from "../../src/style/recipes_lines.ts";
import { closeBars, merged, openBars, redescribe, step } from "../../src/style/recipes_bars.ts";
import { loraParams, trainableLine } from "../../src/style/peft.ts";
import { initRecipes } from "../../src/style/recipes_state.ts";
import { loaderSizes } from "../../src/style/recipes_setup.ts";
import { recipesFrames } from "../../src/style/recipes_frames.ts";
import { titanJob } from "../../src/style/titan_lines.ts";
import { styledRun, textOf } from "./styled_run.ts";

const RUN = {
  seed: 20261124,
  nodes: 2,
  gpu: findGpu("h100"),
  model: findModel("llama-3-8b"),
  dataset: findDataset("alpaca"),
};

Deno.test("loraParams() counts r=8 adapters on q_proj and v_proj as PEFT does", () => {
  const cases: Array<[string, string]> = [
    [
      "llama-3-8b",
      "trainable params: 3,407,872 || all params: 8,033,669,120 || trainable%: 0.0424",
    ],
    [
      "llama-2-7b",
      "trainable params: 4,194,304 || all params: 6,742,609,920 || trainable%: 0.0622",
    ],
    [
      "llama-3.2-3b",
      "trainable params: 2,293,760 || all params: 3,215,043,584 || trainable%: 0.0713",
    ],
  ];
  for (const [id, want] of cases) {
    const m = findModel(id)!, lora = loraParams(m, 8, ["q", "v"]);
    assert.equal(trainableLine(lora, m.params + lora), want);
  }
});

Deno.test("the script's own lines read as its prints format them", () => {
  assert.deepEqual(modelSizeLines("meta-llama/Meta-Llama-3-8B", 8030261248), [
    "--> Model meta-llama/Meta-Llama-3-8B",
    "",
    "--> meta-llama/Meta-Llama-3-8B has 8030.261248 Million params",
    "",
  ]);
  // The loss is a float32 tensor formatted by its Python float: the float32's shortest repr.
  assert.equal(
    trainDesc(2, 3, 17, 64, 0.7),
    "Training Epoch: 2/3, step 17/64 completed (loss: 0.699999988079071)",
  );
  assert.equal(tensorRepr(1.97246, "cuda:0"), "tensor(1.9725, device='cuda:0')");
  assert.equal(tensorRepr(3, "cuda:0"), "tensor(3., device='cuda:0')");
  assert.equal(
    evalLine(Math.exp(0.5), 0.5),
    " eval_ppl=tensor(1.6487, device='cuda:0') eval_epoch_loss=tensor(0.5000, device='cuda:0')",
  );
  assert.equal(bestLine(1, 0.7), "best eval loss on epoch 1 is 0.699999988079071");
  assert.equal(
    epochLine(2, Math.exp(0.5), 0.5, 383.5),
    "Epoch 2: train_perplexity=1.6487, train_epoch_loss=0.5000, epoch time 383.5s",
  );
  assert.deepEqual(
    memoryReport({ peakGiB: 45.9, reservedGiB: 49.99, activeGiB: 46.1, retries: 0, cpuGiB: 3.7 }),
    [
      "Max CUDA memory allocated was 45 GB",
      "Max CUDA memory reserved was 49 GB",
      "Peak active CUDA memory was 46 GB",
      "CUDA Malloc retries : 0",
      "CPU Total Peak Memory consumed during the train (max): 3 GB",
    ],
  );
});

Deno.test("resultLines() prints Python's averages of the epochs' floats", () => {
  assert.deepEqual(
    resultLines({
      trainPpl: [1.5, 2.5],
      trainLoss: [0.1, 0.2],
      evalPpl: [2, 2],
      evalLoss: [0.7, 0.6],
      epochS: [300, 301],
      checkpointS: [10, 2e-6],
    }),
    [
      "Key: avg_train_prep, Value: 2.0",
      "Key: avg_train_loss, Value: 0.15000000000000002",
      "Key: avg_eval_prep, Value: 2.0",
      "Key: avg_eval_loss, Value: 0.6499999999999999",
      "Key: avg_epoch_time, Value: 300.5",
      "Key: avg_checkpoint_time, Value: 5.000001",
    ],
  );
});

Deno.test("each rank's bar: update() with the old description, then the refresh; close() at the mean rate", () => {
  const [bars, opened] = openBars([0], "Training Epoch: 1", 2, () => 0);
  const bar = bars.get(0)!;
  const lines = [
    ...opened,
    ...step(bar, 10),
    ...redescribe(bar, trainDesc(1, 1, 0, 2, 1.5), 10),
    ...step(bar, 30),
    ...redescribe(bar, trainDesc(1, 1, 1, 2, 1.25), 30),
    ...closeBars(bars, () => 30.5),
  ];
  assert.deepEqual(merged(lines), [
    "Training Epoch: 1:   0%|          | 0/2 [00:00<?, ?it/s]",
    "Training Epoch: 1:  50%|█████     | 1/2 [00:10<00:10, 10.00s/it]",
    "Training Epoch: 1/1, step 0/2 completed (loss: 1.5):  50%|█████     | 1/2 [00:10<00:10, 10.00s/it]",
    // The EMA of 10 s and 20 s with tqdm's bias correction (smoothing 0.3): 15.88 s.
    "Training Epoch: 1/1, step 0/2 completed (loss: 1.5): 100%|██████████| 2/2 [00:30<00:00, 15.88s/it]",
    "Training Epoch: 1/1, step 1/2 completed (loss: 1.25): 100%|██████████| 2/2 [00:30<00:00, 15.88s/it]",
    "Training Epoch: 1/1, step 1/2 completed (loss: 1.25): 100%|██████████| 2/2 [00:30<00:00, 15.25s/it]",
  ]);
});

Deno.test("recipesRelease() follows the cluster's torch: v0.0.3, v0.0.4.post1, then llama-cookbook", () => {
  const base = drawRun({ seed: 1265, startMs: 0 });
  const at = (torchVersion: string): RunConfig => ({
    ...base,
    cluster: { ...base.cluster, torchVersion },
  });
  assert.equal(recipesRelease(at("2.4.1+cu124")).tag, "v0.0.3");
  assert.equal(recipesRelease(at("2.5.1+cu124")).tag, "v0.0.4.post1");
  assert.equal(recipesRelease(at("2.6.0+cu126")).tag, "v0.0.5");
  assert.equal(recipesRelease(at("2.9.0+cu129")).package, "llama_cookbook");
});

Deno.test("loaderSizes() packs chunks that a DistributedSampler and drop_last turn into the run's batches", () => {
  for (const seed of [3, 18, 55, 1265, 2520]) {
    const cfg = drawRun({
      seed,
      startMs: 0,
      model: findModel("llama-3-8b"),
      dataset: findDataset("alpaca"),
    });
    const s = loaderSizes(initRecipes(cfg));
    const perRank = Math.ceil(s.trainChunks / cfg.worldSize);
    assert.equal(Math.floor(perRank / cfg.plan.microBatch), cfg.stepsPerEpoch * cfg.gradAccum);
    assert.equal(s.trainBatches, cfg.stepsPerEpoch * cfg.gradAccum);
    // The evaluation loader's batches hold one chunk (val_batch_size 1).
    assert.equal(Math.ceil(s.valChunks / cfg.worldSize), s.valBatches);
    assert.ok(s.valChunks > (3 * cfg.worldSize * s.valBatches) / 4);
    assert.ok(s.trainSamples > s.trainChunks / 20 && s.valSamples > 0);
  }
});

Deno.test("--style auto runs llama-recipes for a share of Llama FSDP fine-tunes, fixed per seed", () => {
  let recipes = 0, llamaFsdp = 0;
  for (let seed = 1; seed <= 400; seed++) {
    const cfg = drawRun({
      seed,
      startMs: 0,
      model: findModel("llama-3-8b"),
      dataset: findDataset("alpaca"),
    });
    if (cfg.plan.strategy !== "fsdp") continue;
    llamaFsdp++;
    const name = autoStyleName(cfg);
    assert.equal(name === "torchrun", runsLlamaRecipes(cfg), `seed ${seed}`);
    if (name === "torchrun") recipes++;
  }
  assert.ok(recipes > 0.2 * llamaFsdp && recipes < 0.6 * llamaFsdp, `${recipes}/${llamaFsdp}`);
  // Seed 1265 draws a Llama 3 8B FSDP fine-tune that runs it; pre-training and other models
  // keep their frameworks.
  const ft = drawRun({ seed: 1265, startMs: 0 });
  assert.equal(autoStyleName(ft), "torchrun");
  assert.equal(runsLlamaRecipes({ ...ft, task: "pretrain" }), false);
  assert.equal(runsLlamaRecipes({ ...ft, model: findModel("mistral-7b")! }), false);
});

Deno.test("a Llama fine-tune under torchrun prints llama-recipes' run, its numbers from the events", () => {
  const { cfg, events } = styledRun(RUN, STYLES.torchrun);
  const text = textOf(events);
  assert.ok(!text.some((l) => l.includes("[titan]")));
  const steps = events.flatMap((e) => e.type === "step" ? [e.data] : []);
  const vals = events.flatMap((e) => e.type === "val" ? [e.data] : []);
  const g = cfg.gpusPerNode, shownRanks = cfg.nodes === 1 ? g : 2 * g;
  // Every shown rank's bar closes each epoch; rank 0 alone reports memory and the epoch.
  const epoch1 = steps.filter((d) => d.epoch === 1);
  const closing = text.filter((l) =>
    l.startsWith(`Training Epoch: 1/${cfg.epochs}, step ${epoch1.length * cfg.gradAccum - 1}/`) &&
    l.includes(`| ${epoch1.length}/${epoch1.length} [`)
  );
  assert.equal(closing.length, 2 * shownRanks, "an update frame and a close frame per rank");
  assert.equal(
    text.filter((l) => l.startsWith("Max CUDA memory allocated was")).length,
    cfg.epochs,
  );
  // train_epoch_loss: the summed float32 losses over the loader's batches (grad accumulation
  // stays in the divisor); perplexity is its exp.
  let sum = 0;
  for (const d of epoch1) sum = Math.fround(sum + Math.fround(d.loss));
  const loss = Math.fround(sum / (epoch1.length * cfg.gradAccum));
  const line = text.find((l) => l.startsWith("Epoch 1: "))!;
  assert.match(
    line,
    new RegExp(
      `^Epoch 1: train_perplexity=${Math.fround(Math.exp(loss)).toFixed(4)}, ` +
        `train_epoch_loss=${loss.toFixed(4)}, epoch time \\d+\\.\\d+s$`,
    ),
  );
  // The evaluation: one print per node's local rank 0, exp of the event's loss.
  const v = Math.fround(vals[0].loss);
  const evals = text.filter((l) => l === evalLine(Math.exp(v), v));
  assert.equal(evals.length, cfg.nodes === 1 ? 1 : 2);
  assert.ok(text.includes(bestLine(1, v)));
  // The results close the run on rank 0, before each rank's exit warning.
  const keys = text.flatMap((l, i) => l.startsWith("Key: ") ? [i] : []);
  assert.equal(keys.length, 6);
  assert.ok(text.slice(keys[5] + 1).every((l) => l.includes("ProcessGroupNCCL.cpp")));
});

Deno.test("the same seed gives the same llama-recipes bytes", () => {
  const a = textOf(styledRun(RUN, STYLES.torchrun).events).join("\n");
  const b = textOf(styledRun(RUN, STYLES.torchrun).events).join("\n");
  assert.equal(a, b);
  const c = textOf(styledRun({ ...RUN, seed: RUN.seed + 1 }, STYLES.torchrun).events).join("\n");
  assert.notEqual(a, c);
});

Deno.test("recipesFrames() walks fire.Fire(main) down to the batch loop's failing call", () => {
  const base = drawRun({ seed: 1265, startMs: 0 });
  const cfg = { ...base, cluster: { ...base.cluster, torchVersion: "2.5.1+cu124" } };
  const frames = recipesFrames(cfg, "optimizer");
  assert.deepEqual(
    frames.slice(0, 6).map((f) => [f.file.split("/").slice(-2).join("/"), f.line, f.fn, f.code]),
    [
      ["finetuning/finetuning.py", 8, "<module>", "fire.Fire(main)"],
      [
        "fire/core.py",
        135,
        "Fire",
        "component_trace = _Fire(component, args, parsed_flag_args, context, name)",
      ],
      ["fire/core.py", 468, "_Fire", "component, remaining_args = _CallAndUpdateTrace("],
      ["fire/core.py", 684, "_CallAndUpdateTrace", "component = fn(*varargs, **kwargs)"],
      ["llama_recipes/finetuning.py", 311, "main", "results = train("],
      ["utils/train_utils.py", 182, "train", "optimizer.step()"],
    ],
  );
  // v0.0.3 (torch 2.4) ran on python-fire 0.6.0 and called train() from line 267.
  const old = recipesFrames({ ...cfg, cluster: { ...cfg.cluster, torchVersion: "2.4.1" } }, "data");
  assert.deepEqual(old.slice(1, 5).map((f) => f.line), [143, 477, 693, 267]);
  assert.equal(old[5].code, "for step, batch in enumerate(train_dataloader):");
});

Deno.test("NCCL's set-up shows at FSDP's first all-gather, after every rank's first bar", () => {
  let checked = 0;
  for (let seed = RUN.seed; seed < RUN.seed + 40 && checked < 2; seed++) {
    const { cfg, events } = styledRun({ ...RUN, seed }, STYLES.torchrun);
    if (titanJob(cfg).ncclDebug !== "INFO") continue;
    const text = textOf(events);
    const firstNccl = text.findIndex((l) => l.includes(" NCCL INFO "));
    const bars = text.flatMap((l, i) => l.startsWith("Training Epoch: 1:   0%|") ? [i] : []);
    assert.equal(bars.length, cfg.nodes === 1 ? cfg.gpusPerNode : 2 * cfg.gpusPerNode);
    assert.ok(firstNccl > bars[bars.length - 1], `seed ${seed}: NCCL at ${firstNccl}`);
    checked++;
  }
  assert.equal(checked, 2);
});

Deno.test("llama-recipes: the shard bars reach the log as the weights' read ends, not before", () => {
  const { events } = styledRun(RUN, STYLES.torchrun);
  const done = events.find((e) =>
    e.type === "log" && e.key === "load.progress" && e.bar && e.bar.done === e.bar.total
  );
  const bars = events.find((e) => e.msg.includes("Loading checkpoint shards"));
  assert.ok(done && bars, "a load and its bars");
  assert.ok(bars.simMs >= done.simMs, `bars at ${bars.simMs}, read done at ${done.simMs}`);
});
