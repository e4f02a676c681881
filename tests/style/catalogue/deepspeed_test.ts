/**
 * Every text line the DeepSpeed style prints has one of the shapes the real tools print, over
 * seeds × chaos off/high × fresh/--resume × cluster sizes (fp16 and bf16, ZeRO 1 to 3).
 */
import assert from "node:assert/strict";
import { STYLES } from "../../../src/style/style.ts";
import { findGpu } from "../../../src/sim/catalog.ts";
import type { RunChoices } from "../../../src/sim/run_config.ts";
import { styledRun, textOf } from "../styled_run.ts";
import { shapeOf } from "./deepspeed.ts";

const RUNS: Array<Omit<RunChoices, "startMs">> = [];
for (const seed of [3, 8, 15, 21]) {
  for (const chaos of ["off", "high"] as const) {
    for (const resume of [false, true]) {
      RUNS.push({ seed, chaos, resume, nodes: [1, 2, 4, 16][seed % 4] });
    }
  }
}
RUNS.push({ seed: 4, nodes: 2, gpu: findGpu("v100"), chaos: "high" });
RUNS.push({ seed: 9, nodes: 1, gpusPerNode: 4, chaos: "high", resume: true });
// mpirun launches: MPI discovery on two nodes, and OpenMPI aborting the job after a rank dies.
RUNS.push({ seed: 2, nodes: 2, chaos: "high" });
RUNS.push({ seed: 28, chaos: "high" });
// torchrun launches whose workers die: their agents' summaries, srun's reports.
RUNS.push({ seed: 38, chaos: "high" });
RUNS.push({ seed: 174, chaos: "high" });

Deno.test("deepspeed: every text line has a real tool's shape", () => {
  const stages = new Set<string>();
  for (const choices of RUNS) {
    const { cfg, events } = styledRun(choices, STYLES.deepspeed);
    stages.add(`${cfg.plan.strategy}/${cfg.precision}`);
    for (const line of textOf(events)) {
      assert.ok(
        shapeOf(line) !== undefined,
        `${JSON.stringify(choices)}: no real shape for\n${line}`,
      );
    }
  }
  assert.ok(stages.size >= 3, [...stages].join(" "));
});
