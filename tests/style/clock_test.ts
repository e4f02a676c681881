/**
 * No line from the future: a line printed at simulated instant T never carries a timestamp
 * after T (a real log's lines are written when they happen; a watcher at real time would see a
 * clock ahead of the wall). Lines may carry earlier times (a rank's line arriving late).
 */
import assert from "node:assert/strict";
import { STYLES } from "../../src/style/style.ts";
import { styledRun } from "./styled_run.ts";
import { lineTimes } from "./line_times.ts";

/** Slack for a line's own milliseconds against the event's (rounding, a frame's span). */
const SLACK_MS = 1000;

Deno.test("lineTimes() reads the timestamps of Python logging, glog, US dates, ctime, nvidia-smi", () => {
  const at = Date.UTC(2026, 11, 7, 16, 52, 24, 115);
  assert.deepEqual(lineTimes("[2026-12-07 16:52:24,115] [INFO] x", 2026), [at]);
  assert.deepEqual(lineTimes("W1207 16:52:24.115000 9540 torch/run.py:793] x", 2026), [at]);
  assert.deepEqual(lineTimes("12/07/2026 16:52:24 - INFO - x", 2026), [at - 115]);
  assert.deepEqual(lineTimes("Mon Dec  7 16:52:24 2026", 2026), [at - 115]);
  assert.deepEqual(lineTimes("2026/12/07 16:52:24.115, 0, 98 %", 2026), [at]);
  assert.deepEqual(lineTimes("iteration 10/ 100 | loss 2.1", 2026), []);
});

/**
 * Styles whose launch and relaunch lines still run ahead of the facts they belong to: the
 * simulation does not yet state the steps of a (re)launch one by one.
 */
const KNOWN_AHEAD = new Set<string>([]);

for (const name of Object.keys(STYLES)) {
  Deno.test({
    name: `${name}: no line carries a time after the instant it is printed`,
    ignore: KNOWN_AHEAD.has(name),
  }, () => {
    for (const choices of [{ seed: 4, nodes: 2 }, { seed: 15, chaos: "high" as const }]) {
      const { events } = styledRun(choices, STYLES[name]);
      for (const ev of events) {
        if (ev.msg === "") continue;
        const year = new Date(ev.simMs).getUTCFullYear();
        for (const line of ev.msg.split("\n")) {
          for (const t of lineTimes(line, year)) {
            assert.ok(
              t <= ev.simMs + SLACK_MS,
              `${name} seed ${choices.seed}: ${t - ev.simMs} ms ahead (${ev.type}` +
                `${ev.type === "log" ? ` ${ev.key}` : ""}): ${line.slice(0, 160)}`,
            );
          }
        }
      }
    }
  });
}
