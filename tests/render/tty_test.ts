/**
 * The live renderer replayed on a virtual terminal: at every size from 40 to 300 columns and
 * from 10 rows, no line of the live region wraps and the region fits, while long log lines wrap
 * whole; a resize redraws cleanly at the new size.
 */
import assert from "node:assert/strict";
import {
  changedRows,
  clockTime,
  createTtyRenderer,
  CURVE_PICTURE_TICKS,
  eraseShown,
  type TermSize,
} from "../../src/render/tty.ts";
import { Sink } from "../../src/render/sink.ts";
import { drawRunConfig, type RunChoices, type RunConfig } from "../../src/sim/run_config.ts";
import { simulateRun } from "../../src/sim/simulate.ts";
import { applyStyle, NATIVE_STYLE, openStyle } from "../../src/style/style.ts";
import type { Frame } from "../../src/cluster/pool.ts";
import { findGpu, findModel } from "../../src/sim/catalog.ts";
import { VirtualTerminal } from "./vt.ts";

const START_MS = Date.parse("2026-11-24T09:00:00Z");

/** A sink that writes into the virtual terminal. */
function terminalSink(vt: VirtualTerminal): Sink {
  const dec = new TextDecoder();
  return new Sink({
    writeSync(p: Uint8Array) {
      vt.write(dec.decode(p));
      return p.length;
    },
  });
}

/** Telemetry with every digit count the grid can meet (util 100%, power in the hundreds). */
function fakeFrame(cfg: RunConfig, simMs: number): Frame {
  const n = cfg.worldSize;
  const fill = (f: (r: number) => number) => Float32Array.from({ length: n }, (_, r) => f(r));
  return {
    seq: 0,
    simMs,
    utilPct: fill((r) => 88 + (r % 13)),
    tempC: fill((r) => 52 + (r % 37)),
    memGiB: fill(() => 71.3),
    powerW: fill((r) => 380 + (r % 9) * 40),
    allreduceMs: null,
  };
}

/** A renderer on a terminal whose size the test controls, plus the events of a run. */
function setup(choices: Partial<RunChoices>, size: TermSize) {
  const cfg = drawRunConfig({ seed: 11, startMs: START_MS, ...choices });
  const vt = new VirtualTerminal(size.columns, size.rows);
  const renderer = createTtyRenderer(terminalSink(vt), cfg, {
    color: true,
    size: () => ({ columns: vt.columns, rows: vt.rows }),
    frameMs: 1e9,
  });
  const events = simulateRun(cfg, { initMs: 5_000, trainMs: 120_000 });
  const frame = fakeFrame(cfg, 0);
  /** Feeds `count` events, drawing a frame every `every` events. */
  const feed = (count: number, every = 40) => {
    for (let i = 0; i < count; i++) {
      const { value: ev, done } = events.next();
      if (done) break;
      renderer.clock(ev.simMs);
      if (ev.type === "tick") renderer.telemetry({ ...frame, simMs: ev.simMs });
      else if (ev.type === "phase") renderer.phase(ev);
      else renderer.event(applyStyle(openStyle(NATIVE_STYLE, cfg), ev));
      if (i % every === 0) renderer.frame();
    }
    renderer.frame();
  };
  return { cfg, vt, renderer, feed };
}

/** Whether a screen line is the live region's title, the job monitor's header. */
const isTitle = (line: string) => /^job \d+ /.test(line);

/** Row of the live region's title line on screen, or -1. */
function titleRow(vt: VirtualTerminal): number {
  return vt.lines().findIndex(isTitle);
}

/** Rows from `top` + 1 down to the cursor that an automatic wrap began (0: none of them wrapped). */
function wrapsBelow(vt: VirtualTerminal, top: number): number {
  return vt.continued.slice(Math.max(0, top) + 1, vt.row + 1).filter(Boolean).length;
}

const CLUSTERS: Array<Partial<RunChoices>> = [
  { nodes: 1, gpusPerNode: 1 },
  { nodes: 4 },
  { nodes: 64, gpu: findGpu("h100") },
  { nodes: 16384, gpu: findGpu("h100"), model: findModel("llama-3-8b") },
];
const WIDTHS = [40, 41, 57, 80, 99, 120, 133, 200, 241, 300];
const HEIGHTS = [10, 11, 13, 24, 37, 61];
/** Every width at a short and a tall height, every height at the narrowest and widest width. */
const SIZES: TermSize[] = [
  ...WIDTHS.flatMap((columns) => [10, 37].map((rows) => ({ columns, rows }))),
  ...HEIGHTS.flatMap((rows) => [40, 300].map((columns) => ({ columns, rows }))),
];

for (const cluster of CLUSTERS) {
  const name = `${cluster.nodes} node(s) × ${cluster.gpusPerNode ?? 8} GPUs`;
  Deno.test(`tty frames of ${name} never wrap and fit 40-300 columns × 10+ rows`, () => {
    for (const { columns, rows } of SIZES) {
      const { vt, renderer, feed } = setup(cluster, { columns, rows });
      feed(cluster.nodes! > 1000 ? 600 : 1500, cluster.nodes! > 1000 ? 150 : 40);
      renderer.close();
      const at = `${columns}×${rows}`;
      const top = titleRow(vt);
      assert.ok(top >= 0, `the whole live region is on screen at ${at}`);
      assert.equal(wrapsBelow(vt, top), 0, `no line of the live region wraps at ${at}`);
      assert.ok(vt.row - top <= rows - 1, `live region fits ${rows} rows at ${at}`);
      assert.equal(vt.col, 0, "the cursor ends at the start of a line");
      assert.ok(vt.cursorVisible, `the cursor is shown again at ${at}`);
    }
  });
}

Deno.test("tty frames on tiny terminals (1-39 columns, 2-9 rows) neither crash nor wrap", () => {
  for (const columns of [1, 2, 5, 13, 20, 39]) {
    for (const rows of [2, 3, 5, 9]) {
      const { vt, renderer, feed } = setup({ nodes: 16 }, { columns, rows });
      feed(800, 100);
      renderer.close();
      // The last frame: title, bars and metrics, as many as the rows allow.
      const top = vt.row - Math.min(rows - 1, 4);
      assert.equal(wrapsBelow(vt, top), 0, `no live line wraps at ${columns}×${rows}`);
    }
  }
});

Deno.test("tty narrowing the terminal redraws one clean live region at the new width", () => {
  const { vt, renderer, feed } = setup({ nodes: 8 }, { columns: 160, rows: 40 });
  feed(3000);
  assert.equal(titleRow(vt) >= 0, true);
  vt.resize(50, 14);
  renderer.resize();
  const lines = vt.lines();
  assert.equal(lines.filter(isTitle).length, 1, "one title");
  assert.ok(lines.every((l) => [...l].length <= 50));
  assert.equal(wrapsBelow(vt, titleRow(vt)), 0);
  assert.ok(vt.row - titleRow(vt) <= 13, "the region fits 14 rows");
  feed(500);
  assert.equal(wrapsBelow(vt, titleRow(vt)), 0, "later frames use the new width");
  renderer.close();
});

Deno.test("tty widening or heightening the terminal grows the next frame", () => {
  const { vt, renderer, feed } = setup({ nodes: 8 }, { columns: 60, rows: 12 });
  feed(3000);
  const before = vt.row - titleRow(vt);
  vt.resize(200, 50);
  renderer.resize();
  assert.ok(vt.row - titleRow(vt) > before, "more grid rows once there is room");
  assert.ok(vt.lines().some((l) => l.length > 60), "lines use the new width");
  assert.equal(vt.lines().filter(isTitle).length, 1);
  assert.equal(wrapsBelow(vt, titleRow(vt)), 0);
  renderer.close();
});

Deno.test("tty frames hide the cursor while live and close() shows it again", () => {
  const { vt, renderer, feed } = setup({ nodes: 2 }, { columns: 80, rows: 24 });
  feed(200);
  assert.equal(vt.cursorVisible, false);
  renderer.close();
  assert.equal(vt.cursorVisible, true);
});

Deno.test("tty draws nothing after close(), even on a late resize", () => {
  const { vt, renderer, feed } = setup({ nodes: 2 }, { columns: 80, rows: 24 });
  feed(300);
  renderer.close();
  const fed = vt.fed;
  vt.resize(60, 20);
  renderer.resize();
  renderer.frame();
  assert.equal(vt.fed, fed, "not a byte after the ending");
});

Deno.test("changedRows() rewrites only what changed and leaves the cursor below the region", () => {
  const columns = 12;
  const row = (i: number, v: number) => `r${i}v${v}`.padEnd(i % 3 === 0 ? columns : 8, "=");
  let cases = 0;
  for (const n of [1, 2, 5, 9]) {
    for (let first = 0; first < n; first++) {
      for (let last = first; last < n; last++) {
        const vt = new VirtualTerminal(columns, n + 3);
        vt.write("log line\n");
        const before = Array.from({ length: n }, (_, i) => row(i, 0));
        vt.write(before.join("\n") + "\n");
        const after = before.map((l, i) => (i >= first && i <= last ? row(i, 1).slice(0, 6) : l));
        const bytes = changedRows(before, after);
        vt.write(bytes);
        assert.deepEqual(vt.lines().slice(0, n + 2), ["log line", ...after, ""]);
        assert.deepEqual([vt.row, vt.col, vt.wraps], [n + 1, 0, 0], "cursor below the region");
        assert.equal(bytes.split("\x1b[2K").length - 1, last - first + 1, "changed rows only");
        cases++;
      }
    }
  }
  assert.equal(cases, 1 + 3 + 15 + 45);
  assert.equal(changedRows(["a", "b"], ["a", "b"]), "", "nothing changed, nothing written");
});

for (const [columns, rows] of [[120, 40], [80, 12], [50, 24]]) {
  Deno.test(`tty frames that rewrite changed rows leave the screen a full redraw leaves (${columns}×${rows})`, () => {
    const cfg = drawRunConfig({ seed: 5, startMs: START_MS, nodes: 4 });
    const all = [...simulateRun(cfg, { initMs: 5_000, trainMs: 60_000 })].slice(0, 700);
    const frame = fakeFrame(cfg, 0);
    // A renderer fed `events`, drawing a frame after every `every`-th and at the end.
    const replay = (events: typeof all, every: number) => {
      const vt = new VirtualTerminal(columns, rows);
      const renderer = createTtyRenderer(terminalSink(vt), cfg, {
        color: true,
        size: () => ({ columns: vt.columns, rows: vt.rows }),
        frameMs: null,
      });
      const drawn = (n: number) => {
        for (let i = 0; i < n; i++) {
          const ev = events[i];
          renderer.clock(ev.simMs);
          if (ev.type === "tick") renderer.telemetry({ ...frame, simMs: ev.simMs });
          else if (ev.type === "phase") renderer.phase(ev);
          else renderer.event(applyStyle(openStyle(NATIVE_STYLE, cfg), ev));
          if ((i + 1) % every === 0) renderer.flush();
        }
        renderer.flush();
        return vt;
      };
      return drawn(events.length);
    };
    // The curves' plots are drawn anew every CURVE_PICTURE_TICKS ticks (with the grid), so a
    // screen drawn frame after frame shows what one drawn at once shows when the run is cut just
    // after such a tick.
    const ticks = all.flatMap((ev, i) => (ev.type === "tick" ? [i + 1] : []));
    // (Not the reading taken as the job starts: nothing is on the screen yet to compare.)
    const cuts = ticks.filter((_, k) => k > 0 && k % CURVE_PICTURE_TICKS === 0);
    assert.ok(cuts.length > 5);
    let partial = 0;
    for (const n of cuts) {
      const stepwise = replay(all.slice(0, n), 1);
      const once = replay(all.slice(0, n), n + 1);
      // Above the cursor, bottom-aligned (a region that once was taller left blank rows below).
      const k = Math.min(stepwise.row, once.row);
      const above = (vt: VirtualTerminal) => vt.lines().slice(vt.row - k, vt.row);
      assert.deepEqual(above(stepwise), above(once), `the screens after ${n} events`);
      assert.ok(k >= Math.min(rows - 1, 8));
      assert.equal(wrapsBelow(stepwise, titleRow(stepwise)), 0);
      partial += stepwise.fed < once.fed * 2 ? 0 : 1;
    }
    assert.ok(partial > 0, "frame after frame drew more than one full frame's worth");
  });
}

Deno.test("eraseShown() moves up over the region, or clears the screen after narrowing", () => {
  assert.equal(eraseShown({ lines: 0, columns: 80, rows: 24 }, 80), "");
  assert.equal(eraseShown({ lines: 5, columns: 80, rows: 24 }, 80), "\r\x1b[5A\x1b[J");
  assert.equal(eraseShown({ lines: 5, columns: 80, rows: 24 }, 120), "\r\x1b[5A\x1b[J");
  assert.equal(eraseShown({ lines: 5, columns: 80, rows: 24 }, 79), "\x1b[H\x1b[2J");
});

/** A renderer without colour on a `columns` × `rows` terminal, drawing at flush() as when paced. */
function pacedOn(columns: number, rows: number) {
  const cfg = drawRunConfig({ seed: 11, startMs: START_MS, nodes: 2 });
  const vt = new VirtualTerminal(columns, rows);
  const renderer = createTtyRenderer(terminalSink(vt), cfg, {
    color: false,
    size: () => ({ columns: vt.columns, rows: vt.rows }),
    frameMs: null,
  });
  return { cfg, vt, renderer };
}

Deno.test("a paced tty renderer draws at flush(), and only when something changed", () => {
  const { cfg, vt, renderer } = pacedOn(100, 30);
  renderer.flush();
  assert.notEqual(titleRow(vt), -1, "the first flush draws the live region");
  assert.doesNotMatch(vt.lines().join("\n"), /util/);
  const fed = vt.fed;
  renderer.flush();
  assert.equal(vt.fed, fed, "nothing changed, nothing written");
  renderer.telemetry(fakeFrame(cfg, START_MS));
  assert.equal(vt.fed, fed, "a change waits for the next flush");
  renderer.flush();
  assert.ok(vt.fed > fed, "the next flush draws it");
  assert.match(vt.lines().join("\n"), /util/);
  renderer.close();
});

Deno.test("the curves' titles follow every step, their plots every few telemetry ticks", () => {
  const { cfg, vt, renderer } = pacedOn(120, 40);
  const events = simulateRun(cfg, { initMs: 5_000, trainMs: 1e12 });
  /** Feeds events up to and including the next `n` steps (ticks left out). */
  const steps = (n: number) => {
    while (n > 0) {
      const { value: ev, done } = events.next();
      if (done) throw new Error("the run ended");
      if (ev.type === "phase") renderer.phase(ev);
      else if (ev.type !== "tick") renderer.event(applyStyle(openStyle(NATIVE_STYLE, cfg), ev));
      if (ev.type === "step") n--;
    }
    renderer.flush();
  };
  const lossTitle = () => vt.lines().find((l) => /^loss [\d.]+ min /.test(l));
  const metrics = () => vt.lines().find((l) => l.startsWith("loss ") && l.includes("│"));
  const plotRows = () => {
    const lines = vt.lines();
    const at = lines.findIndex((l) => /^loss [\d.]+ min /.test(l));
    return lines.slice(at + 1, at + 4).join("\n");
  };
  steps(1);
  const first = lossTitle();
  assert.ok(first, "the first step draws the curves");
  const before = metrics(), firstPlots = plotRows();
  steps(50);
  assert.notEqual(metrics(), before, "the metrics line follows every step");
  assert.notEqual(lossTitle(), first, "so do the curves' titles");
  assert.equal(plotRows(), firstPlots, "the plots wait for telemetry");
  renderer.telemetry(fakeFrame(cfg, START_MS));
  renderer.flush();
  assert.notEqual(plotRows(), firstPlots, "a tick draws them anew");
  // The plots themselves (the three braille rows under the titles) every CURVE_PICTURE_TICKS.
  const plots = () => {
    const lines = vt.lines();
    const at = lines.findIndex((l) => /^loss [\d.]+ min /.test(l));
    return lines.slice(at + 1, at + 4);
  };
  const drawn = plots();
  assert.equal(drawn.length, 3);
  for (let tick = 1; tick <= CURVE_PICTURE_TICKS; tick++) {
    const title = lossTitle();
    steps(60);
    renderer.telemetry(fakeFrame(cfg, START_MS));
    renderer.flush();
    assert.notEqual(lossTitle(), title, `the titles follow the steps before tick ${tick}`);
    const kept = tick < CURVE_PICTURE_TICKS;
    assert.equal(plots().join("\n") === drawn.join("\n"), kept, `the plots at tick ${tick}`);
  }
  renderer.close();
});

Deno.test("tty writes each frame in one write ending with a newline (one system call on Deno's stdout)", () => {
  const cfg = drawRunConfig({ seed: 11, startMs: START_MS, nodes: 8 });
  const vt = new VirtualTerminal(120, 40);
  const writes: string[] = [];
  const dec = new TextDecoder();
  const sink = new Sink({
    writeSync(p: Uint8Array) {
      writes.push(dec.decode(p));
      vt.write(writes.at(-1)!);
      return p.length;
    },
  });
  const renderer = createTtyRenderer(sink, cfg, {
    color: true,
    size: () => ({ columns: vt.columns, rows: vt.rows }),
    frameMs: null,
  });
  const frame = fakeFrame(cfg, 0);
  const events = simulateRun(cfg, { initMs: 5_000, trainMs: 120_000 });
  for (let i = 0; i < 3000; i++) {
    const { value: ev, done } = events.next();
    if (done) break;
    if (ev.type === "tick") renderer.telemetry({ ...frame, simMs: ev.simMs });
    else if (ev.type === "phase") renderer.phase(ev);
    else renderer.event(applyStyle(openStyle(NATIVE_STYLE, cfg), ev));
    if (i % 50 === 0) renderer.flush();
  }
  const frames = writes.length;
  assert.ok(frames > 30, `${frames} frames drawn`);
  for (const w of writes) {
    assert.equal(w.split("\x1b[?2026h").length, 2, "one frame per write");
    assert.ok(w.endsWith("\n"), "the frame's last byte is a newline");
  }
  assert.equal(vt.col, 0);
  assert.equal(vt.lines()[vt.row], "", "the cursor waits on the empty line below the region");
  assert.notEqual(vt.lines()[vt.row - 1], "", "right below the region's last line");
  renderer.close();
});

Deno.test("clockTime() gives the UTC time of day of a simulated instant, as Date does", () => {
  for (const ms of [0, 999, 1000, 59_999, START_MS, START_MS + 86_399_999, 253_402_300_799_000]) {
    assert.equal(clockTime(ms), new Date(ms).toISOString().slice(11, 19), String(ms));
  }
  assert.equal(clockTime(START_MS + 3_723_456), "10:02:03");
});
