/** Event formatting: the per-line cost of text and JSON-lines output. */
import { createJsonLineParts, writeJsonLine } from "../src/render/jsonl.ts";
import { ByteBuffer } from "../src/render/byte_buffer.ts";
import { textLines } from "../src/render/text.ts";
import { formatNative } from "../src/style/native.ts";
import { firstEvent, fixtureConfig, gpuEvent } from "./fixtures.ts";

const cfg = fixtureConfig(8);
const step = firstEvent(cfg, "step");
const gpu = gpuEvent(cfg);
const launch = firstEvent(cfg, "run");
const buffer = new ByteBuffer();
const parts = createJsonLineParts();
/** One JSON line into a reused buffer, as the JSON-lines renderer writes it. */
function jsonLine(ev: typeof step): void {
  buffer.clear();
  writeJsonLine(buffer, ev, parts);
}

Deno.bench("jsonLine(step)", { group: "step", baseline: true }, () => {
  jsonLine(step);
});
Deno.bench("textLines(step)", { group: "step" }, () => {
  textLines(step, "level");
});
Deno.bench("formatNative(step)", { group: "step" }, () => {
  formatNative(step, cfg);
});
Deno.bench("jsonLine(gpu, 8 GPUs)", { group: "gpu", baseline: true }, () => {
  jsonLine(gpu);
});
Deno.bench("textLines(gpu, 8 GPUs)", { group: "gpu" }, () => {
  textLines(gpu, "level");
});
Deno.bench("formatNative(gpu, 8 GPUs)", { group: "gpu" }, () => {
  formatNative(gpu, cfg);
});
Deno.bench("jsonLine(run)", () => {
  jsonLine(launch);
});
