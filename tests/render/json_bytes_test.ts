/** The byte-level JSON writer gives exactly the text JSON.stringify gives for compacted data. */
import assert from "node:assert/strict";
import { ByteBuffer } from "../../src/render/byte_buffer.ts";
import { writeCompactNumber } from "../../src/render/json_bytes.ts";
import { jsonLine } from "../../src/render/jsonl.ts";
import { STEP_FIELDS } from "../../src/render/step_json.ts";
import { isoTime } from "../../src/render/renderer.ts";
import { createRng } from "../../src/sim/rng.ts";
import type { OutputEvent } from "../../src/sim/events.ts";
import { findDataset } from "../../src/sim/catalog.ts";
import { NATIVE_STYLE } from "../../src/style/style.ts";
import { styledRun } from "../style/styled_run.ts";
import { drawRunConfig } from "../../src/sim/run_config.ts";
import { gpuEvents } from "../../src/driver/driver.ts";
import { initialThermal, sampleBlock } from "../../src/cluster/telemetry.ts";
import { applyStyle, openStyle } from "../../src/style/apply.ts";
import { fixtureInit, trainTick } from "../../bench/fixtures.ts";

/** The plain way: round non-integers with toPrecision(7), then JSON.stringify. */
function compact(value: unknown): unknown {
  if (typeof value === "number") {
    return Number.isInteger(value) || !Number.isFinite(value)
      ? value
      : Number(value.toPrecision(7));
  }
  if (typeof value !== "object" || value === null) return value;
  if (Array.isArray(value)) return value.map(compact);
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, compact(v)]));
}

function referenceLine(ev: OutputEvent): string {
  const head = { ts: isoTime(ev.simMs), level: ev.level, type: ev.type, msg: ev.msg };
  if (ev.type === "log") {
    return JSON.stringify(compact({ ...head, key: ev.key, ...(ev.bar ? { bar: ev.bar } : {}) }));
  }
  return JSON.stringify(compact({ ...head, ...ev.data }));
}

const scratch = new ByteBuffer();

function numberText(v: number): string {
  const b = scratch;
  b.clear();
  writeCompactNumber(b, v);
  return new TextDecoder().decode(b.view());
}

Deno.test("writeCompactNumber() matches toPrecision(7) and JSON.stringify across magnitudes and ties", () => {
  const rng = createRng(42, "json-bytes-test");
  const values = [0, -0, NaN, Infinity, -Infinity, 1e21, 2 ** 53, 2 ** 53 + 2, -(2 ** 40), 1e-7];
  for (let i = 0; i < 100_000; i++) {
    const digits = 1e6 + Math.floor(rng.next() * 9e6);
    const scale = 10 ** (Math.floor(rng.next() * 26) - 14);
    values.push(
      (rng.next() - 0.5) * 10 ** (rng.next() * 40 - 20),
      (digits + 0.5) * scale,
      digits * scale,
      -(digits + 0.5 + 1e-9) * scale,
      Math.floor(rng.next() * 2 ** 53),
      i / 1000,
    );
  }
  values.push(9.9999995, 9999999.5, 999999.95, 0.1 + 0.2, 1e15 - 0.5, 9.9999995e-7, 123456.75);
  for (const v of values) {
    const want = JSON.stringify(compact(v));
    if (numberText(v) !== want) assert.equal(numberText(v), want, `for ${v}`);
  }
});

Deno.test("jsonLine() equals JSON.stringify of the compacted event for every event of varied runs", () => {
  const runs = [
    { seed: 1, nodes: 2 },
    { seed: 7, chaos: "high" as const, nodes: 4 },
    { seed: 11, resume: true },
    { seed: 3, dataset: findDataset("fineweb-edu"), nodes: 1, epochs: 1 },
    { seed: 5, dataset: findDataset("the-pile"), chaos: "high" as const, nodes: 2 },
  ];
  let lines = 0;
  for (const choices of runs) {
    for (const ev of styledRun(choices, NATIVE_STYLE).events) {
      if (ev.type === "step" && !ev.logged && ev.data.step % 97 !== 0) continue;
      assert.equal(jsonLine(ev), referenceLine(ev));
      lines++;
    }
  }
  assert.ok(lines > 1000, `only ${lines} lines checked`);
});

Deno.test("jsonLine() escapes quotes, control characters and non-ASCII text like JSON.stringify", () => {
  const at = Date.UTC(2026, 10, 24, 9);
  const events: OutputEvent[] = [
    // Keys no run uses, to see them escaped.
    {
      type: "log",
      simMs: at,
      level: "warn",
      key: 'k"ey',
      data: {},
      msg: 'say "hi"\\ \n\t\u0001 é ✓ 🚀',
    } as unknown as OutputEvent,
    {
      type: "log",
      simMs: at,
      level: "info",
      key: "x",
      data: {},
      msg: "x".repeat(500) + "é",
    } as unknown as OutputEvent,
    {
      type: "ckpt",
      simMs: at + 0.75,
      level: "info",
      msg: "",
      data: { epoch: 1, step: 2, path: "/tmp/ü\u2028", bytes: 3.5e20, shards: 1, time_s: 1 / 3 },
    },
  ];
  for (const ev of events) assert.equal(jsonLine(ev), referenceLine(ev));
});

Deno.test("the step writer knows every field a step carries, in the simulation's order", () => {
  const seen = new Set<string>();
  for (const seed of [5, 7, 9]) {
    const choices = { seed, dataset: findDataset("the-pile"), chaos: "high" as const, nodes: 2 };
    for (const ev of styledRun(choices, NATIVE_STYLE).events) {
      if (ev.type !== "step") continue;
      const keys = Object.keys(ev.data);
      assert.deepEqual(keys.slice(0, STEP_FIELDS.length), [...STEP_FIELDS]);
      const rest = keys.slice(STEP_FIELDS.length);
      assert.deepEqual(rest, ["skipped", "domain_losses"].filter((k) => rest.includes(k)));
      rest.forEach((k) => seen.add(k));
    }
  }
  assert.deepEqual([...seen].sort(), ["domain_losses", "skipped"], "both optional fields seen");
});

Deno.test("gpu lines from merged telemetry equal JSON.stringify of the compacted event", () => {
  for (const nodes of [1, 3]) {
    const cfg = drawRunConfig({ seed: 4, startMs: Date.UTC(2026, 10, 24, 9), nodes });
    const init = { ...fixtureInit(nodes), gpusPerNode: cfg.gpusPerNode };
    const state = initialThermal(init);
    for (let i = 0; i < 5; i++) {
      const simMs = Date.UTC(2026, 10, 24, 9) + i * 60_000;
      const t = sampleBlock(init, state, trainTick(simMs));
      // The job script's nvidia-smi readings carry `snapshot` after the GPUs.
      const snapshot = i === 2 ? { snapshot: "run" as const } : {};
      const tick = {
        type: "tick",
        simMs,
        report: true,
        tick: trainTick(simMs),
        ...snapshot,
      } as const;
      const frame = [t.utilPct, t.tempC, t.memGiB, t.powerW];
      // A GPU that fell off the bus reads as nothing: its numbers are not finite.
      if (i === 4) frame.forEach((a) => (a[0] = NaN));
      for (const ev of gpuEvents(cfg, tick, frame)) {
        const styled = applyStyle(openStyle(NATIVE_STYLE, cfg), ev);
        assert.equal(jsonLine(styled), referenceLine(styled));
      }
    }
  }
  const empty: OutputEvent = {
    type: "gpu",
    simMs: 0,
    level: "warn",
    msg: "",
    data: { node: 2, host: 'odd "host"', gpus: [] },
  };
  assert.equal(jsonLine(empty), referenceLine(empty));
});
