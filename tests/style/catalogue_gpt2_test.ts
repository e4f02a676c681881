/**
 * Every text line of the nanoGPT, llm.c and speedrun styles matches a line shape of its real
 * tool (tests/style/catalogue/), over seeds, chaos off and high, fresh and resumed runs, one and
 * two nodes, and runs cut short by a signal.
 */
import assert from "node:assert/strict";
import { findDataset, findGpu, findModel } from "../../src/sim/catalog.ts";
import type { OutputEvent } from "../../src/sim/events.ts";
import { drawRunConfig, type RunChoices } from "../../src/sim/run_config.ts";
import { startRun } from "../../src/sim/simulate.ts";
import { applyStyle, openStyle, STYLES } from "../../src/style/style.ts";
import type { StyleName } from "../../src/style/names.ts";
import { stylePacing } from "../../src/style/pacing.ts";
import { START_MS, styledDefaultRun, styledRun, textOf } from "./styled_run.ts";
import { NANOGPT_CATALOGUE } from "./catalogue/nanogpt.ts";
import { LLMC_CATALOGUE } from "./catalogue/llmc.ts";
import { SPEEDRUN_CATALOGUE } from "./catalogue/speedrun.ts";

const CATALOGUES: Record<string, Record<string, RegExp>> = {
  nanogpt: NANOGPT_CATALOGUE,
  llmc: LLMC_CATALOGUE,
  speedrun: SPEEDRUN_CATALOGUE,
};

const GPT2 = { model: findModel("gpt2-124m"), dataset: findDataset("fineweb-10b"), epochs: 1 };

/** The runs each style is tried on: GPT-2 small and XL, one and two nodes, several GPUs. */
const RUNS: Array<Omit<RunChoices, "startMs">> = [
  { seed: 11, nodes: 1, gpu: findGpu("h100"), ...GPT2 },
  { seed: 12, nodes: 2, gpu: findGpu("a100-80gb"), ...GPT2 },
  { seed: 13, nodes: 1, gpusPerNode: 1, gpu: findGpu("a100-40gb"), ...GPT2 },
  { seed: 14, nodes: 1, gpu: findGpu("h100"), ...GPT2, model: findModel("gpt2-1.5b") },
];

/** Shapes each style's runs must have shown at least once (the checks cannot pass vacuously). */
const MUST_SEE: Record<string, string[]> = {
  nanogpt: [
    "omp banner",
    "config override",
    "init",
    "eval",
    "checkpoint",
    "iter",
    "watchdog record",
    "worker traceback",
    "torchrun record (glog)",
    "ChildFailedError",
    "srun exit",
  ],
  llmc: [
    "table row",
    "allocating",
    "val loss",
    "step",
    "HellaSwag",
    "state file",
    "average",
    "CUDA error",
    "mpirun abort",
    "slurm cancel",
    "single-GPU build",
  ],
  speedrun: [
    "rule",
    "python",
    "smi rule",
    "val",
    "step",
    "peak memory",
    "watchdog record",
    "worker traceback",
    "ChildFailedError",
  ],
};

/**
 * The first line of `lines` no shape of `catalogue` matches, with its neighbours; `seen`
 * collects the names of the shapes that matched.
 */
function unmatched(
  lines: string[],
  catalogue: Record<string, RegExp>,
  seen = new Set<string>(),
): string | null {
  const shapes = Object.entries(catalogue);
  const i = lines.findIndex((line) => {
    const hit = shapes.find(([, re]) => re.test(line));
    if (hit) seen.add(hit[0]);
    return !hit;
  });
  return i < 0
    ? null
    : `line ${i}: ${JSON.stringify(lines[i])}\n…${lines.slice(i - 3, i + 2).join("\n")}`;
}

/** A run's text lines when a signal stops it after `stopStep`. */
function interruptedText(choices: Omit<RunChoices, "startMs">, name: StyleName, stopStep: number) {
  const cfg = drawRunConfig({ startMs: START_MS, pacing: (c) => stylePacing(name, c), ...choices });
  const writer = openStyle(STYLES[name], cfg);
  const sim = startRun(cfg, { initMs: 1e15, trainMs: 1e15 });
  const out: OutputEvent[] = [];
  for (const ev of sim.events) {
    if (ev.type === "phase" || ev.type === "tick") continue;
    out.push(applyStyle(writer, ev));
    if (ev.type === "step" && ev.data.step >= stopStep) break;
  }
  for (const ev of sim.interrupt(choices.seed % 2 ? "SIGINT" : "SIGTERM")) {
    if (ev.type !== "phase" && ev.type !== "tick") out.push(applyStyle(writer, ev));
  }
  return textOf(out);
}

for (const name of Object.keys(CATALOGUES) as StyleName[]) {
  Deno.test(`${name}: every text line matches one of its tool's real line shapes`, () => {
    let lines = 0;
    const seen = new Set<string>();
    for (const run of RUNS) {
      for (const chaos of ["off", "high"] as const) {
        for (const resume of [false, true]) {
          const text = textOf(styledRun({ ...run, chaos, resume }, STYLES[name]).events);
          const bad = unmatched(text, CATALOGUES[name], seen);
          assert.equal(
            bad,
            null,
            `${name} seed ${run.seed} chaos ${chaos} resume ${resume}: ${bad}`,
          );
          lines += text.length;
        }
      }
      // The run the program draws without sizing flags (the framework's real recipe).
      const fitted = textOf(
        styledDefaultRun(run.seed, STYLES[name], { chaos: run.seed % 2 ? "high" : "off" }).events,
      );
      const badFitted = unmatched(fitted, CATALOGUES[name], seen);
      assert.equal(badFitted, null, `${name} default run, seed ${run.seed}: ${badFitted}`);
      const cut = interruptedText(run, name, 40);
      const bad = unmatched(cut, CATALOGUES[name], seen);
      assert.equal(bad, null, `${name} interrupted, seed ${run.seed}: ${bad}`);
    }
    assert.ok(lines > 10000, `${lines} lines checked`);
    for (const shape of MUST_SEE[name]) {
      assert.ok(seen.has(shape), `${name} never printed: ${shape}`);
    }
  });
}
