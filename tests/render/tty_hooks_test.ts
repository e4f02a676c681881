/**
 * The live renderer's hooks for main: a resize always clears the screen before the next frame,
 * and Ctrl-Z's suspend() and resume() hand the terminal over and take it back.
 */
import assert from "node:assert/strict";
import { createTtyRenderer, type TtyRenderer } from "../../src/render/tty.ts";
import { Sink } from "../../src/render/sink.ts";
import { ansi } from "../../src/render/ansi.ts";
import { drawRunConfig } from "../../src/sim/run_config.ts";
import { simulateRun } from "../../src/sim/simulate.ts";
import { applyStyle, NATIVE_STYLE, openStyle } from "../../src/style/style.ts";

/** A renderer at 100 × 30 whose output the test reads, and a way to feed it a run's events. */
function setup(): { renderer: TtyRenderer; take: () => string; feed: (count: number) => void } {
  const cfg = drawRunConfig({ seed: 11, startMs: Date.parse("2026-11-24T09:00:00Z"), nodes: 4 });
  let out = "";
  const dec = new TextDecoder();
  const sink = new Sink({ writeSync: (p) => ((out += dec.decode(p)), p.length) });
  const size = { columns: 100, rows: 30 };
  const renderer = createTtyRenderer(sink, cfg, { color: false, size: () => size, frameMs: 1e9 });
  const events = simulateRun(cfg, { initMs: 5_000, trainMs: 120_000 });
  const feed = (count: number) => {
    for (let i = 0; i < count; i++) {
      const { value: ev, done } = events.next();
      if (done) break;
      renderer.clock(ev.simMs);
      if (ev.type === "phase") renderer.phase(ev);
      else if (ev.type !== "tick") renderer.event(applyStyle(openStyle(NATIVE_STYLE, cfg), ev));
    }
    renderer.frame();
  };
  const take = () => {
    const written = out;
    out = "";
    return written;
  };
  return { renderer, take, feed };
}

Deno.test("a resize clears the screen for the next frame, even back at the size drawn for", () => {
  const { renderer, take, feed } = setup();
  feed(500);
  take();
  // A storm of resizes may end at the size of the last frame, after the terminal re-wrapped it.
  renderer.resize();
  const frame = take();
  assert.ok(frame.includes(ansi.home + ansi.clearScreen), "the whole screen is cleared");
  feed(50);
  assert.ok(!take().includes(ansi.clearScreen), "later frames erase only their own region");
  renderer.close();
});

Deno.test("suspend() hands the terminal back and stops frames; resume() draws anew below", () => {
  const { renderer, take, feed } = setup();
  feed(500);
  take();
  assert.equal(renderer.suspend(), ansi.syncEnd + ansi.reset + ansi.showCursor);
  feed(200);
  renderer.resize();
  assert.equal(take(), "", "nothing is drawn while the shell has the terminal");
  renderer.resume();
  const fresh = take();
  assert.ok(fresh.startsWith(ansi.hideCursor), "the cursor is hidden again");
  assert.ok(!fresh.includes(`${ansi.col0}\x1b[`), "nothing above the cursor is erased");
  assert.ok(!fresh.includes(ansi.clearScreen), "the shell's lines stay on screen");
  assert.match(fresh, /job \d+ /, "the whole live region is drawn");
  renderer.close();
  assert.ok(take().endsWith(ansi.reset + ansi.showCursor));
});
