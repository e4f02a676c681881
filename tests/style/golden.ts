/**
 * Golden excerpts: for one fixed run, each style's start-up up to its third step line, its
 * first validation, its first checkpoint and everything from the export on.
 */
import { findDataset, findGpu, findModel } from "../../src/sim/catalog.ts";
import type { OutputEvent } from "../../src/sim/events.ts";
import type { Style } from "../../src/style/style.ts";
import { styledRun } from "./styled_run.ts";

/** Where the golden files live. */
export const GOLDEN_DIR = new URL("./golden/", import.meta.url);

/** The fixed run every golden file shows. */
export const GOLDEN_RUN = { seed: 20261124, nodes: 2, gpu: findGpu("h100") };

/** The run of the GPT-2 trainers' goldens: GPT-2 small on FineWeb's 10B sample, one 8 × H100 node. */
const GPT2_RUN = {
  ...GOLDEN_RUN,
  nodes: 1,
  model: findModel("gpt2-124m"),
  dataset: findDataset("fineweb-10b"),
};

/** Styles whose framework would never train the shared golden run show their own. */
const GOLDEN_RUNS: Record<string, typeof GPT2_RUN> = {
  nanogpt: GPT2_RUN,
  llmc: GPT2_RUN,
  speedrun: GPT2_RUN,
};

/** Golden files of a style's second script: the file's name, the style and the run it shows. */
export const GOLDEN_EXTRAS: Record<string, { style: string; run: typeof GPT2_RUN }> = {
  // A Llama fine-tune under torchrun runs llama-recipes' FSDP script.
  "torchrun-recipes": {
    style: "torchrun",
    run: { ...GOLDEN_RUN, model: findModel("llama-3-8b"), dataset: findDataset("alpaca") },
  },
};

function shown(ev: OutputEvent): boolean {
  return ev.msg !== "" && !(ev.type === "step" && !ev.logged);
}

/** The excerpt of a style's text output (without timestamps) for the golden run. */
export function goldenExcerpt(
  style: Style,
  run: typeof GPT2_RUN | typeof GOLDEN_RUN = GOLDEN_RUNS[style.name] ?? GOLDEN_RUN,
): string {
  const all = styledRun(run, style).events;
  const at = (test: (e: OutputEvent) => boolean) => all.findIndex(test);
  const steps = all.flatMap((e, i) => (e.type === "step" && shown(e) ? [i] : []));
  const firstVal = at((e) => e.type === "val");
  const firstSave = at((e) => e.type === "log" && e.key === "ckpt.start");
  const saved = at((e) => e.type === "ckpt");
  // A job that exports nothing after training goes straight to its summary.
  const exported = Math.max(
    0,
    [at((e) => e.type === "log" && e.key === "export.start"), at((e) => e.type === "summary")]
      .find((i) => i >= 0) ?? all.length,
  );
  const section = (title: string, from: number, to: number) => [
    `#### ${title}`,
    ...all.slice(from, to).filter(shown).map((e) => e.msg),
  ];
  return [
    ...section("start-up to the third step line", 0, steps[2] + 1),
    ...section("first validation", firstVal, firstVal + 1),
    ...section("first checkpoint", firstSave, saved + 1),
    ...section("export and summary", exported, all.length),
  ].join("\n") + "\n";
}
