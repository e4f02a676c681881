/**
 * The live view's frames: it keeps no place in the output, and its pool is passive (answers are
 * found by polling at wake-ups, so none wakes the event loop). Every tick's frame still reaches
 * the renderer, in order, with the same all-reduce lines a line renderer gets.
 */
import assert from "node:assert/strict";
import { drive } from "../../src/driver/driver.ts";
import { instantOptions } from "./instant_options.ts";
import type { Renderer } from "../../src/render/renderer.ts";
import type { Frame } from "../../src/cluster/pool.ts";
import type { OutputEvent } from "../../src/sim/events.ts";

/** Records what a renderer is given: lines as JSON, and the seq of every frame. */
function recorder(withPlaces: boolean) {
  const lines: string[] = [], frames: number[] = [];
  const keep = (ev: OutputEvent) => {
    if (ev.type === "allreduce" || ev.type === "gpu") lines.push(JSON.stringify(ev));
  };
  const renderer: Renderer = {
    wantsGpuEvents: true,
    event: keep,
    phase() {},
    telemetry: (f: Frame) => void frames.push(f.seq),
    clock() {},
    flush() {},
    close() {},
  };
  if (withPlaces) renderer.placeholder = () => ({ event: keep, close() {} });
  return { renderer, lines, frames };
}

async function run(live: boolean, renderer: Renderer): Promise<void> {
  const options = instantOptions({
    seed: 9,
    nodes: 3,
    workers: 2,
    live,
    makeRenderer: () => renderer,
  });
  await drive(options);
}

Deno.test("the live view gets every frame in order and the lines a line renderer gets", async () => {
  const live = recorder(false);
  await run(true, live.renderer);
  const lines = recorder(true);
  await run(false, lines.renderer);
  assert.ok(live.frames.length > 20, `${live.frames.length} frames`);
  assert.deepEqual(live.frames, live.frames.map((_, i) => i + 1), "frames 1, 2, 3 … in order");
  assert.ok(lines.lines.length > 20, `${lines.lines.length} lines`);
  assert.deepEqual(live.lines, lines.lines);
});
