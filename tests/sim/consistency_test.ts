/** The run model's figures agree with each other and with published ranges, over many seeds. */
import assert from "node:assert/strict";
import { drawRunConfig, type RunConfig } from "../../src/sim/run_config.ts";
import { simulateRun } from "../../src/sim/simulate.ts";
import type { StepData, ValData } from "../../src/sim/events.ts";

const START = Date.UTC(2026, 10, 24, 9);
const NO_TICKS = { initMs: 1e15, trainMs: 1e15 };

function collect(cfg: RunConfig) {
  const steps: StepData[] = [];
  const vals: ValData[] = [];
  const lossScales = new Set<number>();
  for (const ev of simulateRun(cfg, NO_TICKS)) {
    if (ev.type === "step") {
      steps.push(ev.data);
      lossScales.add(ev.data.loss_scale);
    } else if (ev.type === "val") vals.push(ev.data);
  }
  return { steps, vals, lossScales };
}

const CASES = Array.from(
  { length: 36 },
  (_, i) => ({ seed: 1000 + i, nodes: [undefined, 1, 4, 32][i % 4] }),
);

Deno.test("runs drawn from 36 seeds fit memory, keep MFU realistic and never exceed the peak", () => {
  for (const { seed, nodes } of CASES) {
    const cfg = drawRunConfig({ seed, startMs: START, nodes, chaos: "off" });
    const memFraction = cfg.plan.memory.totalGiB / (cfg.gpu.memMiB / 1024);
    assert.ok(memFraction <= 0.93 && memFraction > 0.3, `seed ${seed}: memory ${memFraction}`);
    assert.ok(cfg.mfu > 0.15 && cfg.mfu < 0.56, `seed ${seed}: mfu ${cfg.mfu}`);
    assert.equal(cfg.plan.tp * cfg.plan.pp * cfg.plan.dp, cfg.worldSize);
    assert.equal(cfg.globalBatch, cfg.plan.microBatch * cfg.plan.dp * cfg.gradAccum);
  }
});

Deno.test("loss, grad norm, LR and step time follow their published shapes over 36 seeds", () => {
  for (const { seed, nodes } of CASES) {
    const cfg = drawRunConfig({ seed, startMs: START, nodes, chaos: "off" });
    const { steps, vals, lossScales } = collect(cfg);
    const first = steps[0], last = steps.at(-1)!;
    const tag = `seed ${seed} (${cfg.task} ${cfg.model.id})`;
    if (cfg.task === "pretrain") {
      assert.ok(
        Math.abs(first.loss - Math.log(cfg.model.vocab)) < 0.4,
        `${tag}: starts near ln(vocab)`,
      );
      assert.ok(first.grad_norm > 8, `${tag}: grad norm starts in the tens`);
      assert.ok(last.grad_norm < 0.6, `${tag}: grad norm settles`);
      assert.ok(last.loss > 1.7 && last.loss < 4, `${tag}: final loss ${last.loss}`);
    } else {
      assert.ok(
        first.loss > 1.15 && first.loss < 2.15,
        `${tag}: fine-tune starts at ${first.loss}`,
      );
      assert.ok(last.loss > 0.3 && last.loss < 1.15, `${tag}: fine-tune ends at ${last.loss}`);
    }
    // Noise is autocorrelated, and the curve never sits on a flat floor.
    const tail = steps.slice(-200).map((s) => s.loss);
    const moves = tail.slice(1).filter((l, i) => Math.abs(l - tail[i]) > 1e-4).length;
    assert.ok(moves > (tail.length - 1) * 0.9, `${tag}: loss moves from step to step`);
    assert.ok(
      first.step_time_s > 2 * steps[steps.length >> 1].step_time_s,
      `${tag}: slow first step`,
    );
    // Step times: a tight core, a slow wander, now and then a stall (never more than 3×).
    const steady = steps.slice(10).map((s) => s.step_time_s).sort((a, b) => a - b);
    const median = steady[steady.length >> 1];
    const at = (q: number) => steady[Math.floor(q * (steady.length - 1))];
    assert.ok(at(0.05) > median * 0.9 && at(0.95) < median * 1.12, `${tag}: step-time jitter`);
    assert.ok(steady[0] > median * 0.8 && steady.at(-1)! < median * 3.2, `${tag}: step-time tails`);
    for (const s of steps) assert.ok(s.lr <= cfg.lrMax * (1 + 1e-12) && s.lr >= 0);
    assert.ok(last.lr < cfg.lrMax * 0.5 || cfg.schedule === "wsd", `${tag}: LR decayed`);
    assert.deepEqual([...lossScales].length > 1, cfg.precision === "fp16", `${tag}: loss scale`);
    const trainAtVal = (v: ValData) => {
      const window = Math.min(100, Math.ceil(cfg.stepsPerEpoch / 4));
      const around = steps.filter((s) => s.step > v.step - window && s.step <= v.step);
      return around.reduce((a, s) => a + s.loss, 0) / around.length;
    };
    for (const v of vals) assert.ok(v.loss > trainAtVal(v) - 0.06, `${tag}: val above train`);
    if (cfg.dataset.domains.length > 1) {
      const d = last.domain_losses!;
      const mixed = cfg.dataset.domains.reduce((a, x) => a + x.weight * d[x.name], 0);
      assert.ok(Math.abs(mixed - last.loss) < 1e-9, `${tag}: domain losses mix to the loss`);
    }
  }
});

Deno.test("throughput per GPU of models ≥ 5B is within 25% of the rule of thumb MFU × peak / 6N", () => {
  // N is the parameters a token passes through: a mixture of experts counts its active ones.
  for (const { seed, nodes } of CASES) {
    const cfg = drawRunConfig({ seed, startMs: START, nodes, chaos: "off" });
    if (cfg.model.params < 5e9) continue;
    const perGpu = cfg.tokensPerSecond / cfg.worldSize;
    const active = cfg.model.moe?.active ?? cfg.model.params;
    const thumb = (cfg.mfu * cfg.peakTflops * 1e12) / (6 * active);
    assert.ok(
      perGpu <= thumb * 1.0000001 && perGpu > thumb * 0.75,
      `seed ${seed}: ${perGpu} vs ${thumb}`,
    );
  }
});

Deno.test("people's per-device batches: a few sequences a fine-tune, a drawn fine-tune on ≤ 32 nodes", () => {
  const start = Date.UTC(2026, 0, 1);
  let finetunes = 0;
  const micro = new Set<number>();
  for (let seed = 1; seed <= 300; seed++) {
    const c = drawRunConfig({ seed, startMs: start });
    const tokens = c.plan.microBatch * c.seqLen;
    if (c.task === "finetune") {
      finetunes++;
      micro.add(c.plan.microBatch);
      assert.ok(c.nodes <= 32, `seed ${seed}: a fine-tune on ${c.nodes} nodes`);
      assert.ok(tokens <= 32_768, `seed ${seed}: ${c.plan.microBatch} × ${c.seqLen} per device`);
    } else {
      assert.ok(tokens <= Math.max(c.seqLen, 131_072), `seed ${seed}: ${tokens} tokens a device`);
    }
  }
  assert.ok(finetunes > 60, `${finetunes} fine-tunes`);
  // Not one batch size for all: what fits is capped by what its author is used to.
  assert.ok(micro.size >= 4, `micro batches ${[...micro]}`);
});
