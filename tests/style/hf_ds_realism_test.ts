/**
 * What a reader compares across many HF and DeepSpeed excerpts: GPU tool output only where the
 * job script runs it, per-process timestamps that never go back, the eval loop's batch count,
 * DeepSpeed's counters and rank→host mapping, and recipes that differ from run to run.
 */
import assert from "node:assert/strict";
import { drawRun } from "../../src/sim/scenario.ts";
import type { RunChoices, RunConfig } from "../../src/sim/run_config.ts";
import { cadenceFor, paceFor } from "../../src/driver/driver.ts";
import { stylePacing } from "../../src/style/pacing.ts";
import { STYLES } from "../../src/style/style.ts";
import { START_MS, styledConfig, styledRun, textOf } from "./styled_run.ts";

type Name = "hf" | "deepspeed";

/** A default run (no sizing flags) of `seed` in `name`'s style, with its GPU readings. */
function fitted(name: Name, seed: number, extra: Partial<RunChoices> = {}) {
  const cfg: RunConfig = drawRun({
    seed,
    startMs: START_MS,
    pacing: (c) => stylePacing(name, c),
    ...extra,
  });
  return styledConfig(cfg, STYLES[name], cadenceFor(cfg, paceFor(true, null), false));
}

const GPU_TOOL =
  /^(?:[\w.-]+: )?(?:\+ (?:nvidia-smi|pdsh .*nvidia-smi|srun .*nvidia-smi)|\| NVIDIA-SMI |#(?:Time| gpu))/;

for (const name of ["hf", "deepspeed"] as const) {
  Deno.test(`${name}: GPU tool output in a minority of runs, traced only with the script's set -x`, () => {
    let withGpu = 0, traced = 0;
    const seeds = 40;
    for (let seed = 1; seed <= seeds; seed++) {
      const lines = textOf(fitted(name, seed).events);
      const gpu = lines.filter((l) => GPU_TOOL.test(l));
      if (gpu.length > 0) withGpu++;
      const plus = lines.filter((l) => /^(?:[\w.-]+: )?\+ /.test(l));
      if (plus.length > 0) {
        traced++;
        // Under set -x every command of the script is traced, the launch among them.
        assert.ok(
          plus.some((l) => /^\+ (?:cd|srun|torchrun|accelerate|deepspeed) /.test(l)),
          `seed ${seed}: a traced monitor without the script's other commands`,
        );
      }
    }
    assert.ok(withGpu > 0 && withGpu <= seeds * 0.35, `${withGpu}/${seeds} runs show GPU tools`);
    assert.ok(traced > 0 && traced <= seeds * 0.45, `${traced}/${seeds} runs are traced`);
  });
}
