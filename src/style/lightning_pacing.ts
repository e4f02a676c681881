/**
 * The rhythm a Lightning script gives its run: validation at each epoch's end and every
 * `val_check_interval` inside it, on as many samples as the held-out split (cut by
 * `limit_val_batches`) holds, and a save at each epoch's end by the Trainer's checkpoint callback
 * or every N steps by the script's own.
 */
import type { PacingRequest } from "../sim/pacing.ts";
import type { RunConfig } from "../sim/run_config.ts";
import { drawRecipe } from "./lightning_recipe.ts";

/** The pacing request of a Lightning run. */
export function lightningPacing(cfg: RunConfig): PacingRequest {
  const r = drawRecipe(cfg);
  return {
    evalInterval: r.valEvery,
    evalTokens: r.valSamples * cfg.seqLen,
    ckptInterval: r.everySteps > 0 ? r.everySteps : cfg.stepsPerEpoch,
  };
}
