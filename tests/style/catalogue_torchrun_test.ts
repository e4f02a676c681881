/**
 * Every text line the torchrun style prints matches one of the real line shapes of its
 * catalogue, over seeds × chaos × fresh or resumed × cluster sizes, and over the endings a
 * signal or Slurm's time limit gives a run.
 */
import assert from "node:assert/strict";
import { drawRunConfig, type RunChoices } from "../../src/sim/run_config.ts";
import { startRun } from "../../src/sim/simulate.ts";
import type { InterruptCause, OutputEvent } from "../../src/sim/events.ts";
import { applyStyle, openStyle, STYLES } from "../../src/style/style.ts";
import { START_MS, styledRun, textOf } from "./styled_run.ts";
import { TORCHRUN_SHAPES } from "./catalogue/torchrun.ts";

/** The lines no shape matches, with a few examples. */
function unmatched(lines: readonly string[]): string[] {
  return lines.filter((l) => !TORCHRUN_SHAPES.some((re) => re.test(l)));
}

const RUNS: Array<Omit<RunChoices, "startMs">> = [];
for (const seed of [3, 7, 15]) {
  for (const nodes of [1, 2, 8]) {
    for (const chaos of ["off", "high"] as const) {
      RUNS.push({ seed, nodes, chaos, resume: seed === 7 });
    }
  }
}

Deno.test("torchrun: every line of many runs is one of torchtitan's, torchrun's, NCCL's or Slurm's", () => {
  let total = 0;
  for (const choices of RUNS) {
    let run;
    try {
      run = styledRun(choices, STYLES.torchrun);
    } catch {
      continue; // a fixed cluster too small for any model
    }
    const lines = textOf(run.events);
    total += lines.length;
    const bad = unmatched(lines);
    assert.deepEqual(bad.slice(0, 5), [], `${JSON.stringify(choices)}: ${bad.length} lines`);
  }
  assert.ok(total > 20000, `${total} lines checked`);
});

/** The styled lines of a run cut at step `at` by `signal`. */
function ending(
  signal: "SIGINT" | "SIGTERM",
  cause: InterruptCause,
  at: number,
  seed = 8,
): string[] {
  const cfg = drawRunConfig({ seed, nodes: 2, startMs: START_MS });
  const w = openStyle(STYLES.torchrun, cfg);
  const sim = startRun(cfg, { initMs: 1e15, trainMs: 1e15 });
  const out: OutputEvent[] = [];
  for (;;) {
    const ev = sim.events.next().value;
    if (ev.type !== "tick" && ev.type !== "phase") out.push(applyStyle(w, ev));
    if (ev.type === "step" && ev.data.step === at) break;
  }
  for (const ev of sim.interrupt(signal, cause)) {
    if (ev.type !== "tick" && ev.type !== "phase") out.push(applyStyle(w, ev));
  }
  return textOf(out);
}

Deno.test("torchrun: the endings of Ctrl-C, a kill and the time limit are real lines only", () => {
  for (
    const [signal, cause] of [["SIGINT", "signal"], ["SIGTERM", "signal"], [
      "SIGTERM",
      "time_limit",
    ]] as const
  ) {
    const lines = ending(signal, cause, 57);
    assert.deepEqual(unmatched(lines).slice(0, 5), [], `${signal} ${cause}`);
    const tail = lines.slice(lines.findIndex((l) => l.includes("death signal")));
    assert.ok(tail.length > 0, "the launcher passes the signal on");
    assert.ok(
      !tail.some((l) => /Training completed|Saving the checkpoint/.test(l)),
      "no false ending",
    );
  }
  const limit = ending("SIGTERM", "time_limit", 57);
  const step = limit.findIndex((l) => / STEP \d+\.0 ON .* DUE TO TIME LIMIT/.test(l));
  const job = limit.findIndex((l) => / JOB \d+ ON .* DUE TO TIME LIMIT/.test(l));
  assert.ok(step >= 0 && job > step, "slurmstepd cancels the step, then the job");
  // Where slurmstepd's lines land among the launchers' differs from job to job.
  const places = new Set<string>();
  for (let seed = 1; seed <= 12; seed++) {
    const l = ending("SIGTERM", "time_limit", 57, seed);
    const aborted = l.findIndex((x) => x.startsWith("srun: Job step aborted"));
    if (aborted < 0) continue;
    const s = l.findIndex((x) => / STEP \d+\.0 ON .* TIME LIMIT/.test(x));
    const j = l.findIndex((x) => / JOB \d+ ON .* TIME LIMIT/.test(x));
    assert.ok(aborted < s && s < j, `seed ${seed}: srun, then the step, then the job`);
    places.add(`${s - aborted},${j - s},${l.length - j}`);
  }
  assert.ok(places.size >= 7, `slurmstepd's lines in ${places.size} places`);
});
