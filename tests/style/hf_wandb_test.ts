import assert from "node:assert/strict";
import { wandbVersion } from "../../src/style/hf_wandb.ts";
import { HF_RELEASES, hfRelease } from "../../src/style/hf_release.ts";
import { STYLES } from "../../src/style/style.ts";
import { styledRun, textOf } from "./styled_run.ts";

Deno.test("wandb's release is the tracker of the environment's season, never a later one", () => {
  assert.equal(wandbVersion(Date.parse("2024-05-06")), "0.17.0");
  assert.equal(wandbVersion(Date.parse("2024-11-18")), "0.18.7");
  assert.equal(wandbVersion(Date.parse("2026-01-16")), "0.22.2");
  // Before the oldest listed, the oldest.
  assert.equal(wandbVersion(Date.parse("2023-01-01")), "0.17.0");
});

Deno.test("hf: the wandb header names the tracker installed with the run's transformers", () => {
  const seen = new Set<string>();
  for (let seed = 1; seed <= 40; seed++) {
    const { cfg, events } = styledRun({ seed, chaos: "off" }, STYLES.hf);
    const line = textOf(events).find((l) => l.startsWith("wandb: Tracking run with wandb version"));
    if (!line) continue;
    const release = hfRelease(cfg);
    assert.ok(HF_RELEASES.includes(release));
    assert.equal(line.split(" ").at(-1), wandbVersion(Date.parse(release.date)), `seed ${seed}`);
    seen.add(line);
  }
  assert.ok(seen.size >= 2, `${seen.size} versions`);
});
