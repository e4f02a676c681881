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
  const paced = ["nanogpt", "llmc", "speedrun"];
  for (const name of Object.keys(STYLES).filter((n) => !paced.includes(n))) {
    assert.deepEqual(shape(name), native, name);
  }
});

Deno.test("start-up lines come from many ranks, out of order, then one rank logs metrics", () => {
  const { events } = styledRun({ seed: 7 }, STYLES.torchrun);
  const firstStep = events.findIndex((e) => e.type === "step" && e.msg !== "");
  const prefixes = (from: number, to: number) =>
    events.slice(from, to).flatMap((e) => e.msg.split("\n"))
      .map((l) => /^\[default(\d)\]:/.exec(l)?.[1]).filter((x) => x !== undefined);
  const startup = prefixes(0, firstStep);
  assert.equal(new Set(startup).size, 8, "every local rank prints during start-up");
  const sorted = [...startup].sort();
  assert.notDeepEqual(startup, sorted, "ranks interleave");
  const training = events.slice(firstStep).filter((e) => e.type === "step" && e.msg !== "");
  assert.ok(training.every((e) => e.msg.startsWith("[default0]:")), "rank 0 logs the metrics");
});
