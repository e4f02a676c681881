import assert from "node:assert/strict";
import { findDataset, findGpu } from "../../src/sim/catalog.ts";
import { HF_STYLE } from "../../src/style/hf.ts";
import { startRun } from "../../src/sim/simulate.ts";
import { drawRunConfig } from "../../src/sim/run_config.ts";
import { applyStyle, openStyle } from "../../src/style/apply.ts";
import { HF_SHAPES } from "./catalogue/hf.ts";
import { START_MS, styledRun, textOf } from "./styled_run.ts";

function assertShapes(lines: string[], what: string): void {
  for (const line of lines) {
    assert.ok(
      HF_SHAPES.some((re) => re.test(line)),
      `${what}: no shape for ${JSON.stringify(line)}`,
    );
  }
}

const RUNS = [
  { seed: 7 },
  { seed: 12, nodes: 2 },
  { seed: 31, nodes: 1, gpu: findGpu("a100-80gb") },
  { seed: 5, nodes: 4, chaos: "high" as const },
  { seed: 44, nodes: 2, resume: true },
  { seed: 9, nodes: 1, chaos: "high" as const, resume: true },
  // LLaMA-Factory jobs: LoRA on one node (0.9.1), a full fine-tune on two (0.9.5), faults.
  { seed: 20, nodes: 1, dataset: findDataset("ultrachat-200k") },
  { seed: 7, nodes: 2, chaos: "high" as const, dataset: findDataset("ultrachat-200k") },
  {
    seed: 20,
    nodes: 1,
    chaos: "high" as const,
    resume: true,
    dataset: findDataset("ultrachat-200k"),
  },
];

for (const choices of RUNS) {
  Deno.test(`hf: every line matches a real shape (${JSON.stringify(choices)})`, () => {
    const { events } = styledRun(choices, HF_STYLE);
    assertShapes(textOf(events), JSON.stringify(choices));
  });
}

Deno.test("hf: Ctrl-C ends in the KeyboardInterrupt traceback, with no train metrics", () => {
  const cfg = drawRunConfig({ seed: 12, nodes: 2, startMs: START_MS });
  const w = openStyle(HF_STYLE, cfg);
  const sim = startRun(cfg, { initMs: 1e15, trainMs: 1e15 });
  const lines: string[] = [];
  let steps = 0;
  for (const ev of sim.events) {
    if (ev.type === "phase" || ev.type === "tick") continue;
    lines.push(...textOf([applyStyle(w, ev)]));
    if (ev.type === "step" && ++steps === 40) break;
  }
  for (const ev of sim.interrupt("SIGINT")) {
    if (ev.type === "phase" || ev.type === "tick") continue;
    lines.push(...textOf([applyStyle(w, ev)]));
  }
  assertShapes(lines, "SIGINT");
  assert.equal(lines.filter((l) => l === "KeyboardInterrupt").length, 1);
  assert.ok(!lines.some((l) => l.includes("train metrics") || l.includes("'epoch': 3.0")));
});

Deno.test("hf: train_runtime spans banner to 'Training completed', and the rates follow from it", () => {
  const { events } = styledRun({ seed: 12, nodes: 2 }, HF_STYLE);
  const lines = textOf(events);
  const ts = (l: string) =>
    Date.parse(
      l.match(/>> |(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d),(\d{3})/)![0].replace(",", ".").replace(
        " ",
        "T",
      ) + "Z",
    );
  const banner = lines.find((l) => l.includes("***** Running training *****"))!;
  // The record's message opens with two newlines: its head is two lines above the words.
  const done = lines[lines.findIndex((l) => l.startsWith("Training completed.")) - 2];
  const dict = lines.find((l) => l.includes("'train_runtime'"))!;
  const runtime = Number(/'train_runtime': ([\d.]+)/.exec(dict)![1]);
  assert.ok(Math.abs(runtime - (ts(done) - ts(banner)) / 1000) < 0.002, `${runtime}`);
  const steps = Number(
    /Total optimization steps = ([\d,]+)/.exec(lines.join("\n"))![1].replaceAll(",", ""),
  );
  assert.equal(
    Number(/'train_steps_per_second': ([\d.]+)/.exec(dict)![1]),
    Number((steps / runtime).toFixed(3)),
  );
});

Deno.test("hf: metrics blocks sort keys, pad them, and right-align values to the longest", () => {
  const { events } = styledRun({ seed: 12, nodes: 2 }, HF_STYLE);
  const lines = textOf(events);
  for (const title of ["***** train metrics *****", "***** eval metrics *****"]) {
    const at = lines.indexOf(title);
    assert.ok(at >= 0, title);
    const rows: string[] = [];
    for (let i = at + 1; i < lines.length && /^ {2}\S/.test(lines[i]); i++) rows.push(lines[i]);
    const keys = rows.map((r) => r.trim().split(" ")[0]);
    assert.deepEqual(keys, [...keys].sort());
    assert.equal(new Set(rows.map((r) => r.length)).size, 1, rows.join("\n"));
    assert.equal(new Set(rows.map((r) => r.indexOf(" = "))).size, 1);
  }
});
