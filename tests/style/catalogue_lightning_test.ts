import assert from "node:assert/strict";
import { isLightningLine } from "./catalogue/lightning.ts";
import { lightningRun } from "./lightning_run.ts";
import type { RunChoices } from "../../src/sim/run_config.ts";

type Choices = Omit<RunChoices, "startMs">;

function assertCatalogued(choices: Choices, lines: string[]): void {
  const strays = lines.filter((l) => !isLightningLine(l));
  assert.deepEqual(strays.slice(0, 5), [], `${JSON.stringify(choices)}: lines of no known shape`);
  assert.ok(lines.length > 50, `${JSON.stringify(choices)} printed ${lines.length} lines`);
}

const CLUSTERS: Array<Omit<Choices, "seed">> = [{ nodes: 1 }, { nodes: 2 }, { nodes: 16 }, {
  nodes: 1,
  gpusPerNode: 1,
}];

for (const chaos of ["off", "high"] as const) {
  for (const resume of [false, true]) {
    Deno.test(`lightning: every line has a real shape (chaos ${chaos}, resume ${resume})`, () => {
      let faults = 0;
      for (const seed of [1, 2]) {
        for (const cluster of CLUSTERS) {
          const choices = { seed, chaos, resume, ...cluster };
          const { lines } = lightningRun(choices);
          assertCatalogued(choices, lines);
          faults += lines.filter((l) => l.includes("Watchdog caught")).length;
        }
      }
      // Chaos shows GPU faults through the watchdog's own lines, and only then.
      assert.equal(faults > 0, chaos === "high");
    });
  }
}

Deno.test("lightning: every line has a real shape when a signal stops the run", () => {
  for (const [seed, signal, stopAfter] of [[3, "SIGINT", 900], [4, "SIGTERM", 1500]] as const) {
    for (const cluster of CLUSTERS.slice(0, 2)) {
      const choices = { seed, ...cluster };
      assertCatalogued(choices, lightningRun(choices, { signal, stopAfter }).lines);
    }
  }
});

Deno.test("the catalogue refuses lines no real Lightning job prints", () => {
  const { lines } = lightningRun({ seed: 1, nodes: 2 });
  assert.ok(lines.every(isLightningLine));
  for (
    const line of [
      "Epoch 0:  12%|█▎        | 5/40 [00:05<00:37,  0.94it/s, loss=2.35, v_num=3]",
      "gpu gpu-a001 | 0:98% 63C 45.1G 312W",
      "Saved checkpoint to /ckpt in 3.08 s",
      "Using bf16 Automatic Mixed Precision (AMP)",
      // A job id is no logger version.
      "Epoch 0:   3%|▎         | 1/31 [00:08<04:07,  0.12it/s, v_num=7059736, train_loss=1.390]",
      "Training complete in 2:00:18: 3,814 steps",
    ]
  ) assert.equal(isLightningLine(line), false, line);
});
