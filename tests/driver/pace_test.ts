/** The default pace fits one whole run, launch to summary, into 2 to 5 minutes of wall time. */
import assert from "node:assert/strict";
import { paceFor } from "../../src/driver/driver.ts";
import { Pacer } from "../../src/driver/pacer.ts";
import { drawRunConfig } from "../../src/sim/run_config.ts";
import { simulateRun } from "../../src/sim/simulate.ts";

Deno.test("default pace plays every run of 40 seeds in 120–300 wall seconds", () => {
  for (let seed = 1; seed <= 40; seed++) {
    const cfg = drawRunConfig({
      seed,
      startMs: Date.UTC(2026, 10, 24),
      nodes: seed % 5 === 0 ? 1 : undefined,
    });
    const pace = paceFor(cfg, false, null);
    let wallS = 0, lastMs = cfg.startMs, speed = pace.init;
    for (const ev of simulateRun(cfg, { initMs: 1e15, trainMs: 1e15 })) {
      wallS += (ev.simMs - lastMs) / 1000 / speed;
      lastMs = ev.simMs;
      if (ev.type === "phase") speed = ev.phase === "init" ? pace.init : pace.train;
    }
    assert.ok(
      wallS >= 120 && wallS <= 300,
      `seed ${seed} (${cfg.model.id}, ${cfg.totalSteps} steps): ${wallS.toFixed(0)} s`,
    );
  }
});

Deno.test("--speed fixes the pace everywhere and --instant never waits", () => {
  const cfg = drawRunConfig({ seed: 3, startMs: 0 });
  assert.deepEqual(paceFor(cfg, false, 50), { init: 50, train: 50 });
  assert.deepEqual(paceFor(cfg, true, null), { init: Infinity, train: Infinity });
});

Deno.test("an instant pacer stops reading the clock once nothing can be due later", () => {
  let reads = 0;
  const pacer = new Pacer(Infinity, 0, () => (reads++, 1000));
  for (let simMs = 0; simMs < 10_000; simMs += 10) assert.equal(pacer.delayUntil(simMs), 0);
  assert.ok(reads <= 2, `${reads} clock reads`);
  const paced = new Pacer(2, 0, () => (reads++, 0));
  reads = 0;
  assert.equal(paced.delayUntil(100), 50);
  assert.equal(paced.delayUntil(200), 100);
  assert.equal(reads, 2, "a finite speed reads the clock every time");
});
