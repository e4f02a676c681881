import assert from "node:assert/strict";
import type { OutputEvent, StepData } from "../../src/sim/events.ts";
import type { RunConfig } from "../../src/sim/run_config.ts";
import { applyStyle, openStyle, type Style } from "../../src/style/style.ts";

function step(logged: boolean): OutputEvent {
  return { type: "step", simMs: 0, level: "info", msg: "", data: {} as StepData, logged };
}

function counting(unloggedSteps: boolean): [Style, () => number] {
  let seen = 0;
  const style: Style = {
    name: "probe",
    open: () => ({
      unloggedSteps,
      message: () => (seen++, "printed"),
    }),
  };
  return [style, () => seen];
}

Deno.test("applyStyle() hands unlogged steps only to a writer that reads them, and prints none", () => {
  const cfg = {} as RunConfig;
  for (const reads of [false, true]) {
    const [style, seen] = counting(reads);
    const w = openStyle(style, cfg);
    const quiet = applyStyle(w, step(false));
    assert.equal(quiet.msg, "");
    assert.equal(seen(), reads ? 1 : 0);
    assert.equal(applyStyle(w, step(true)).msg, "printed");
  }
});
