/**
 * Long log lines wrap at the terminal's width as the terminal wraps any output: whole, so the
 * scrollback and a copy hold every character, while the live region below never wraps and
 * leaves the log enough rows for its latest lines as they wrap.
 */
import assert from "node:assert/strict";
import { clockTime, createTtyRenderer } from "../../src/render/tty.ts";
import { Sink } from "../../src/render/sink.ts";
import { drawRunConfig } from "../../src/sim/run_config.ts";
import { simulateRun } from "../../src/sim/simulate.ts";
import { applyStyle, openStyle } from "../../src/style/apply.ts";
import { loadStyle } from "../../src/style/load.ts";
import type { OutputEvent } from "../../src/sim/events.ts";
import type { Frame } from "../../src/cluster/pool.ts";
import { VirtualTerminal } from "./vt.ts";

const LEVEL = { info: "INFO ", warn: "WARN ", error: "ERROR" } as const;

/** The lines an event scrolls, as a terminal without colour shows them unwrapped (no trailing spaces). */
function expectedLines(ev: OutputEvent): string[] {
  if (ev.msg === "" || (ev.type === "step" && !ev.logged)) return [];
  if (ev.type === "log" && ev.bar && ev.bar.done < ev.bar.total) return [];
  const line = (part: string) => `${clockTime(ev.simMs)} ${LEVEL[ev.level]} ${part}`.trimEnd();
  return ev.msg.split("\n").map(line);
}

/** A Megatron-styled run drawn on a `columns` × `rows` terminal, and the lines it logged. */
async function megatronOn(columns: number, rows: number) {
  const cfg = drawRunConfig({ seed: 9, startMs: Date.parse("2026-11-24T09:00:00Z"), nodes: 16 });
  const writer = openStyle(await loadStyle("megatron"), cfg);
  const vt = new VirtualTerminal(columns, rows);
  const dec = new TextDecoder();
  const sink = new Sink({ writeSync: (p) => (vt.write(dec.decode(p)), p.length) });
  const renderer = createTtyRenderer(sink, cfg, {
    color: false,
    size: () => ({ columns: vt.columns, rows: vt.rows }),
    frameMs: null,
  });
  const n = cfg.worldSize;
  const frame = (simMs: number): Frame => ({
    seq: 0,
    simMs,
    utilPct: new Float32Array(n).fill(97),
    tempC: new Float32Array(n).fill(66),
    memGiB: new Float32Array(n).fill(61.5),
    powerW: new Float32Array(n).fill(640),
    allreduceMs: null,
  });
  const logged: string[] = [];
  let i = 0;
  for (const ev of simulateRun(cfg, { initMs: 5_000, trainMs: 60_000 })) {
    if (i++ === 4_000) break;
    renderer.clock(ev.simMs);
    if (ev.type === "tick") renderer.telemetry(frame(ev.simMs));
    else if (ev.type === "phase") renderer.phase(ev);
    else {
      const styled = applyStyle(writer, ev);
      renderer.event(styled);
      logged.push(...expectedLines(styled));
    }
    if (i % 25 === 0) renderer.flush();
  }
  renderer.flush();
  return { vt, renderer, logged };
}

for (const [columns, rows] of [[80, 24], [120, 40], [43, 12]]) {
  Deno.test(`tty log lines wrap whole at ${columns} columns and stay whole in the scrollback`, async () => {
    const { vt, renderer, logged } = await megatronOn(columns, rows);
    const iterations = logged.filter((l) => /iteration .*\| lm loss: /.test(l));
    assert.ok(iterations.length > 3, "the run logged Megatron iteration lines");
    assert.ok(iterations.every((l) => l.length > columns), "longer than the terminal is wide");
    assert.ok(vt.wraps > 0, "the terminal wrapped them");
    // Joined again, the rows above the live region are every logged line, whole and in order.
    const history = vt.history();
    while (history.at(-1) === "") history.pop();
    assert.deepEqual(history.slice(0, logged.length), logged);
    // Below them, the live region on the screen's rows above the cursor: none of them wraps.
    const live = history.length - logged.length;
    assert.ok(live >= 4 && live <= vt.row, `${live} live lines above the cursor`);
    assert.deepEqual(vt.continued.slice(vt.row - live, vt.row + 1), Array(live + 1).fill(false));
    assert.ok(vt.lines().every((l) => l.length <= columns));
    // The log keeps a third of the screen, and up to half so that three of its latest lines,
    // wrapped as the iteration lines are, stay in view.
    assert.equal(vt.row, rows - 1, "the screen is full");
    const rowsOf = (l: string) => Math.ceil(l.length / columns);
    const wanted = 3 * Math.max(...logged.slice(-32).map(rowsOf));
    const share = Math.max(Math.ceil(rows / 3), Math.min(Math.floor(rows / 2), wanted));
    assert.ok(vt.row - live >= share, `${vt.row - live} log rows, ${share} wanted`);
    renderer.close();
  });
}
