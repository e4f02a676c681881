/** The shared channel: what the pool writes into a slot is what the worker reads back. */
import assert from "node:assert/strict";
import {
  createChannel,
  openChannel,
  readTick,
  slotSample,
  writeTick,
} from "../../src/cluster/channel.ts";
import { ACTIVITIES, type Tick } from "../../src/cluster/protocol.ts";
import { initialThermal, sampleBlock } from "../../src/cluster/telemetry.ts";
import { blockInit, clusterOptions, TICKS } from "./ticks.ts";

Deno.test("a tick written into a slot reads back the same, down nodes kept to the block", () => {
  const ch = createChannel(3 * 8, 3);
  const ticks: Tick[] = [
    ...TICKS.map((t, k) => ({ type: "tick" as const, seq: k + 1, ...t })),
    ...ACTIVITIES.map((activity, k) => ({
      ...TICKS[2],
      type: "tick" as const,
      seq: 20 + k,
      activity,
    })),
  ];
  for (const [k, tick] of ticks.entries()) {
    const slot = ch.slots[k % ch.slots.length];
    writeTick(slot, tick, 4, 3);
    assert.deepEqual(readTick(slot), tick);
  }
  const down: Tick = { ...ticks[2], downNodes: [1, 4, 6, 7, 9] };
  writeTick(ch.slots[0], down, 4, 3);
  assert.deepEqual(readTick(ch.slots[0]), { ...down, downNodes: [4, 6] });
});

Deno.test("the worker's view of the shared memory is the pool's, slot for slot", () => {
  const ch = createChannel(16, 2);
  const theirs = openChannel(ch.buffer, 16, 2);
  assert.ok(ch.slots.length >= 2 && ch.slots.length <= 16);
  assert.equal(theirs.slots.length, ch.slots.length);
  const o = clusterOptions(2, 1);
  const init = blockInit(o, 0, 2);
  const probe: Tick = { type: "tick", seq: 4, ...TICKS[3] };
  writeTick(ch.slots[1], probe, 0, 2);
  const expected = sampleBlock(init, initialThermal(init), probe);
  sampleBlock(init, initialThermal(init), readTick(theirs.slots[1]), theirs.slots[1]);
  assert.deepEqual(slotSample(ch.slots[1], 0), expected);
});

Deno.test("a large block's channel holds fewer slots, never fewer than two", () => {
  assert.equal(createChannel(8, 1).slots.length, 16);
  assert.equal(createChannel(16384 * 8, 16384).slots.length, 2);
});
