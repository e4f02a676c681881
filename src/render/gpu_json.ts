/**
 * The fields of a `gpu` line written without looking up keys: one node's GPUs, the longest line
 * of a report and, on a large cluster, thousands of lines a run. The same bytes as the generic
 * writer (tests hold the two together).
 */
import type { GpuData } from "../sim/events.ts";
import { type ByteBuffer, pack, type Packed, putPacked } from "./byte_buffer.ts";
import { NUMBER_MAX_BYTES, putCompactNumber as num, writeJsonString } from "./json_bytes.ts";

const encoder = new TextEncoder();
const bytes = (text: string) => pack(encoder.encode(text));
const NODE = bytes(`,"node":`);
const HOST = bytes(`,"host":`);
const GPUS_OPEN = bytes(`,"gpus":[`);
const RANK_FIRST = bytes(`{"rank":`);
const RANK_NEXT = bytes(`},{"rank":`);
const UTIL = bytes(`,"util_pct":`);
const TEMP = bytes(`,"temp_c":`);
const MEM_USED = bytes(`,"mem_used_gib":`);
const MEM_TOTAL = bytes(`,"mem_total_gib":`);
const POWER = bytes(`,"power_w":`);
const SNAPSHOT = bytes(`,"snapshot":`);
/** Room one GPU's reading can take: its keys, six numbers and a word to spare. */
const GPU_MAX_BYTES = [RANK_NEXT, UTIL, TEMP, MEM_USED, MEM_TOTAL, POWER].reduce(
  (n, k) => n + k.length + NUMBER_MAX_BYTES,
  4,
);

function put(b: ByteBuffer, at: number, key: Packed, v: number): number {
  return num(b.bytes, putPacked(b.data, at, key), v);
}

/** Writes `,"node":…,"host":…,"gpus":[…]` (and `,"snapshot":…`) for one node's readings. */
export function writeGpuMembers(b: ByteBuffer, d: GpuData): void {
  b.reserve(NODE.length + NUMBER_MAX_BYTES + HOST.length + 4);
  b.length = putPacked(b.data, put(b, b.length, NODE, d.node), HOST);
  writeJsonString(b, d.host);
  b.reserve(GPUS_OPEN.length + 4);
  b.length = putPacked(b.data, b.length, GPUS_OPEN);
  for (let i = 0; i < d.gpus.length; i++) {
    const g = d.gpus[i];
    b.reserve(GPU_MAX_BYTES);
    let at = put(b, b.length, i === 0 ? RANK_FIRST : RANK_NEXT, g.rank);
    at = put(b, at, UTIL, g.util_pct);
    at = put(b, at, TEMP, g.temp_c);
    at = put(b, at, MEM_USED, g.mem_used_gib);
    at = put(b, at, MEM_TOTAL, g.mem_total_gib);
    b.length = put(b, at, POWER, g.power_w);
  }
  b.reserve(2);
  if (d.gpus.length > 0) b.bytes[b.length++] = 0x7d; // }
  b.bytes[b.length++] = 0x5d; // ]
  if (d.snapshot === undefined) return;
  b.reserve(SNAPSHOT.length);
  b.length = putPacked(b.data, b.length, SNAPSHOT);
  writeJsonString(b, d.snapshot);
}
