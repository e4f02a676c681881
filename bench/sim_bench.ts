/** Step generation: the loss curve, one optimizer step, and a whole run's event stream. */
import { expectedLoss } from "../src/sim/model/loss.ts";
import { initialTrainState, nextStep } from "../src/sim/phases/train_state.ts";
import { simulateRun } from "../src/sim/simulate.ts";
import { fixtureConfig, START_MS } from "./fixtures.ts";

const cfg = fixtureConfig(8);
const state = initialTrainState(cfg, START_MS);

Deno.bench("expectedLoss", () => {
  expectedLoss(state.curve, 1234);
});
Deno.bench("nextStep", () => {
  if (state.step >= cfg.totalSteps) state.step = 0;
  nextStep(cfg, state);
});
Deno.bench(`simulateRun, whole run (${cfg.totalSteps} steps)`, { n: 20 }, () => {
  let events = 0;
  for (const _ of simulateRun(cfg, { initMs: 1e15, trainMs: 60_000 })) events++;
  if (events === 0) throw new Error("no events");
});
