/** Runs are named as people name them: many habits, their cluster's storage, their own values. */
import assert from "node:assert/strict";
import { drawRunConfig, type RunConfig } from "../../src/sim/run_config.ts";
import { findDataset, findModel } from "../../src/sim/catalog.ts";

const START = Date.UTC(2026, 5, 15, 9, 30);
const cfgs: RunConfig[] = Array.from(
  { length: 200 },
  (_, i) => drawRunConfig({ seed: i + 1, startMs: START }),
);

/** A name with its digits masked and its model taken out: the habit it was written in. */
const habit = (c: RunConfig) =>
  c.runId.replace(c.model.id, "M").replace(/\d+/g, "#").replace(/[a-z]+/gi, "w");

Deno.test("run names follow many habits, none of them one generator's template", () => {
  const habits = new Set(cfgs.map(habit));
  assert.ok(habits.size >= 25, `${habits.size} habits`);
  for (const c of cfgs) {
    assert.doesNotMatch(c.runId, /-(pt|sft)-\d{8}-[0-9a-f]{4}$/, c.runId);
    assert.match(c.runId, /^[A-Za-z0-9][\w.-]*$/, c.runId);
  }
  const ids = new Set(cfgs.map((c) => c.runId));
  assert.ok(ids.size >= 180, `${ids.size} distinct names in 200 runs`);
});

Deno.test("output directories sit under the cluster's storage or beside the script", () => {
  const roots = new Set(cfgs.map((c) => c.outputDir.split("/").slice(0, 3).join("/")));
  assert.ok(roots.size >= 30, `${roots.size} roots`);
  const relative = cfgs.filter((c) => !c.outputDir.startsWith("/")).length;
  assert.ok(relative > 10 && relative < 100, `${relative} relative directories`);
  for (const c of cfgs) {
    const dir = c.outputDir;
    assert.ok(dir.endsWith(`/${c.runId}`) || !dir.includes("/") || dir === c.cluster.ckptRoot, dir);
    if (dir.startsWith("/")) assert.ok(dir.startsWith(c.cluster.ckptRoot), dir);
  }
});

Deno.test("a container's user is root; a person's home carries their login", () => {
  for (const c of cfgs) {
    const { user, home, scheme } = c.cluster;
    if (scheme.kind === "k8s") assert.equal(user, "root");
    if (user === "root") assert.equal(home, "/root");
    else assert.ok(home.endsWith(`/${user}`), `${user} ${home}`);
  }
  assert.ok(new Set(cfgs.map((c) => c.cluster.user)).size >= 60);
});

Deno.test("a setting in a run's name is the run's own value", () => {
  for (const c of cfgs) {
    const lr = c.runId.match(/lr(\d)e(-\d+)/);
    if (lr) assert.equal(Number(`${lr[1]}e${lr[2]}`), Number(c.lrMax.toExponential(0)), c.runId);
    const bs = c.runId.match(/bs(\d+)/);
    if (bs) assert.equal(Number(bs[1]), c.globalBatch, c.runId);
  }
});

Deno.test("a data set lives where its cluster keeps data, and counts the model's tokens", () => {
  const roots = new Set(cfgs.map((c) => c.dataset.path.split("/").slice(0, 3).join("/")));
  assert.ok(roots.size >= 15, `${roots.size} data roots`);
  for (const c of cfgs) {
    const cloud = /^(s3|gs):\/\//.test(c.dataset.path);
    if (cloud) assert.ok(["ec2", "pcluster", "k8s", "gcp"].includes(c.cluster.scheme.kind));
  }
  const fineweb = findDataset("fineweb")!;
  const gpt2 = drawRunConfig({
    seed: 1,
    startMs: START,
    dataset: fineweb,
    model: findModel("gpt2-124m"),
  });
  const gemma = drawRunConfig({
    seed: 1,
    startMs: START,
    dataset: fineweb,
    model: findModel("gemma-2-9b"),
  });
  assert.equal(gpt2.dataset.tokens, fineweb.tokens, "the catalogue counts GPT-2 tokens");
  assert.ok(gemma.dataset.tokens < fineweb.tokens * 0.92, "a 256k vocabulary reads fewer tokens");
});
