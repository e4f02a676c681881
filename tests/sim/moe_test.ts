/** Mixture-of-experts runs: how often they are drawn and what their throughput follows. */
import assert from "node:assert/strict";
import { findModel } from "../../src/sim/catalog.ts";
import { drawRunConfig } from "../../src/sim/run_config.ts";
import { flopsPerToken } from "../../src/sim/model/throughput.ts";

const START = Date.parse("2026-11-24T09:00:00Z");

Deno.test("about one run in eight without a fixed model trains a mixture of experts", () => {
  const runs = Array.from(
    { length: 200 },
    (_, i) => drawRunConfig({ seed: i + 1, startMs: START }),
  );
  const moe = runs.filter((c) => c.model.moe).length;
  assert.ok(moe >= 10 && moe <= 40, `${moe} of 200`);
});

Deno.test("a mixture of experts' FLOPs per token follow its active parameters", () => {
  const cfg = drawRunConfig({
    seed: 1,
    startMs: START,
    model: findModel("mixtral-8x7b"),
    nodes: 8,
  });
  const m = cfg.model;
  assert.ok(m.moe);
  assert.equal(cfg.flopsPerToken, flopsPerToken(m.moe.active, m.layers, m.hidden, cfg.seqLen));
  assert.ok(cfg.flopsPerToken < 6 * m.params / 2);
});
