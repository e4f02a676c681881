import assert from "node:assert/strict";
import { STYLES } from "../../src/style/style.ts";
import { megatronLogInterval } from "../../src/style/megatron_setup.ts";
import { dsStepsPerPrint } from "../../src/style/deepspeed_steps.ts";
import type { RunConfig } from "../../src/sim/run_config.ts";
import { styledRun } from "./styled_run.ts";

const INTERVALS: Record<string, (cfg: RunConfig) => number> = {
  megatron: megatronLogInterval,
  deepspeed: dsStepsPerPrint,
  hf: (cfg) => cfg.logInterval,
};

for (const [name, interval] of Object.entries(INTERVALS)) {
  Deno.test(`${name} prints step lines only on its own log interval`, () => {
    const { cfg, events } = styledRun({ seed: 7 }, STYLES[name]);
    const every = interval(cfg);
    assert.ok(every >= cfg.logInterval && every % cfg.logInterval === 0);
    // DeepSpeed's engine reports on `steps_per_print` alone, never at the last step as such.
    const printed = events.filter((e) =>
      e.type === "step" && e.logged && e.msg !== "" &&
      (name !== "deepspeed" || e.msg.includes("[Rank 0] step="))
    );
    const steps = printed.map((e) => (e.type === "step" ? e.data.step : 0));
    // Megatron logs on multiples of its interval only, the last iteration included.
    const expected = Array.from({ length: cfg.totalSteps }, (_, i) => i + 1).filter((s) =>
      s % every === 0 || (s === cfg.totalSteps && name !== "megatron" && name !== "deepspeed") ||
      (name !== "megatron" && name !== "deepspeed" && s === 1)
    );
    assert.deepEqual(steps, expected);
  });
}

Deno.test("styles never change the simulation: the same events come out under every style", () => {
  const shape = (name: string) =>
    styledRun({ seed: 3, nodes: 2 }, STYLES[name]).events.map((e) =>
      `${e.type}:${e.simMs}:${e.type === "log" ? e.key : JSON.stringify(e.data)}`
    );
  const native = shape("native");
  // Styles whose script paces the run (src/style/pacing.ts) change the run only through that.
  // (The Trainer's and DeepSpeed-Chat's cosine schedules decay to zero.)
  const paced = ["nanogpt", "llmc", "speedrun", "lightning", "hf", "deepspeed"];
  for (const name of Object.keys(STYLES).filter((n) => !paced.includes(n))) {
    assert.deepEqual(shape(name), native, name);
  }
});

Deno.test("torchrun: one node's rank 0 through the filter; on many, every rank, its agent the banner", () => {
  const one = styledRun({ seed: 7, nodes: 1, gpusPerNode: 8 }, STYLES.torchrun);
  const oneLines = one.events.flatMap((e) => e.msg === "" ? [] : e.msg.split("\n"));
  const filtered = oneLines.filter((l) => l.startsWith("[rank0]:[titan] "));
  assert.ok(filtered.length > 20, "torchtitan's logger, through --tee with role rank");
  assert.ok(oneLines.every((l) => !/^\[rank[1-9]\d*\]:/.test(l)), "only local rank 0 passes");
  // Seed 8's multi-node script lets every rank through (seed 7's filters to local rank 0).
  const { cfg, events } = styledRun({ seed: 8, nodes: 2 }, STYLES.torchrun);
  const lines = events.flatMap((e) => e.msg === "" ? [] : e.msg.split("\n"));
  const titan = lines.filter((l) => l.startsWith("[titan] "));
  assert.ok(titan.length > 100, "every rank's logger, no prefix");
  assert.ok(lines.every((l) => !/^\[rank\d+\]:/.test(l)), "no tee on the multi-node script");
  const starts = titan.filter((l) => l.includes("Starting job: "));
  assert.equal(starts.length, cfg.worldSize, "one copy per rank of the two nodes");
  const steps = events.filter((e) => e.type === "step" && e.msg !== "");
  assert.ok(steps.length > 10);
  for (const e of steps) {
    assert.equal(e.msg.split("\n").filter((l) => l.includes(" - step: ")).length, cfg.worldSize);
  }
  const banners = lines.filter((l) =>
    /^W\d{4} \S+ \d+ (site-packages\/)?torch\/distributed\/run\.py:\d+\] \*+$/.test(l)
  );
  assert.equal(banners.length, 2 * cfg.nodes, "each agent's banner between two rules of stars");
});
