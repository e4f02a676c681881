/**
 * Every text line the Megatron style prints matches one of the real line shapes in its
 * catalogue, over seeds × chaos × fresh or resumed × cluster sizes, and through a SIGTERM,
 * the fault chain torch, torchrun and Slurm print included.
 */
import assert from "node:assert/strict";
import type { OutputEvent, SimEvent } from "../../src/sim/events.ts";
import { findGpu } from "../../src/sim/catalog.ts";
import { drawRunConfig, type RunChoices } from "../../src/sim/run_config.ts";
import { startRun } from "../../src/sim/simulate.ts";
import { applyStyle, openStyle, STYLES } from "../../src/style/style.ts";
import { megatronTees } from "../../src/style/megatron_ranks.ts";
import { LAUNCHER_SHAPES, WORKER_SHAPES } from "./catalogue/megatron.ts";
import { START_MS, styledRun } from "./styled_run.ts";

/** The lines of an event. */
function ownLines(ev: OutputEvent): string[] {
  return ev.msg === "" ? [] : ev.msg.split("\n");
}

/**
 * The first line no shape matches, with its event, or null. Under `--tee 3` a worker's lines
 * carry `[defaultN]:` and the launcher's none; without it neither does.
 */
function stranger(events: OutputEvent[], tees = true): string | null {
  for (const ev of events) {
    for (const line of ownLines(ev)) {
      const m = /^\[default\d+\]:(.*)$/s.exec(line);
      const shapes = m ? WORKER_SHAPES : tees ? LAUNCHER_SHAPES : [
        ...LAUNCHER_SHAPES,
        ...WORKER_SHAPES,
      ];
      if (!shapes.some((re) => re.test(m ? m[1] : line))) {
        return `${ev.type}${ev.type === "log" ? ` ${ev.key}` : ""}: ${JSON.stringify(line)}`;
      }
    }
  }
  return null;
}

const SEEDS = [1, 4, 6, 9];
const CLUSTERS: Array<Partial<RunChoices>> = [{ nodes: 1 }, { nodes: 4 }, { gpu: findGpu("v100") }];

for (const seed of SEEDS) {
  Deno.test(`seed ${seed}: every Megatron line matches a real line shape`, () => {
    for (const chaos of ["off", "high"] as const) {
      for (const resume of [false, true]) {
        for (const cluster of CLUSTERS) {
          const run = styledRun({ seed, chaos, resume, ...cluster }, STYLES.megatron);
          const bad = stranger(run.events, megatronTees(run.cfg));
          if (!megatronTees(run.cfg)) {
            assert.ok(!run.events.some((e) => /^\[default\d+\]:/m.test(e.msg)), "no tags");
          }
          assert.equal(bad, null, `chaos ${chaos}, resume ${resume}, ${JSON.stringify(cluster)}`);
        }
      }
    }
  });
}

Deno.test("a SIGTERM mid-training ends in Megatron's save and exit lines, all of known shapes", () => {
  const cfg = drawRunConfig({ seed: 5, startMs: START_MS, nodes: 2 });
  const sim = startRun(cfg, { initMs: 1e15, trainMs: 1e15 });
  const writer = openStyle(STYLES.megatron, cfg);
  const out: OutputEvent[] = [];
  const keep = (e: SimEvent) => {
    if (e.type !== "tick" && e.type !== "phase") out.push(applyStyle(writer, e));
  };
  for (const ev of sim.events) {
    keep(ev);
    if (ev.type === "step" && ev.data.step === Math.floor(cfg.totalSteps / 3)) break;
  }
  for (const ev of sim.interrupt("SIGTERM")) keep(ev);
  assert.equal(stranger(out, megatronTees(cfg)), null);
  const text = out.map((e) => e.msg).join("\n");
  assert.match(text, /\[exiting program after receiving SIGTERM\.\] datetime: /);
  assert.match(text, /successfully saved checkpoint from iteration/);
});
