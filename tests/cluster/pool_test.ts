/** The pool with real workers: same frames whatever the worker count, through crashes. */
import assert from "node:assert/strict";
import {
  type Frame,
  PoolFailure,
  type PoolOptions,
  type StartWorker,
  TelemetryPool,
} from "../../src/cluster/pool.ts";
import type { PoolNotice } from "../../src/cluster/notice.ts";
import { clusterOptions, TICKS } from "./ticks.ts";

async function runTicks(
  opts: PoolOptions,
  waitForWorkers: boolean,
): Promise<{ frames: Frame[]; notices: PoolNotice[][] }> {
  const pool = new TelemetryPool(opts);
  try {
    if (waitForWorkers) await pool.start();
    const frames: Frame[] = [], notices: PoolNotice[][] = [];
    for (const t of TICKS) {
      frames.push(await pool.sample(t));
      notices.push(pool.takeNotices());
    }
    return { frames, notices };
  } finally {
    pool.terminate();
  }
}

const NODES = 5;
const reference = (await runTicks(clusterOptions(NODES, 1), true)).frames;

Deno.test("the pool gives identical frames with 1, 2 and 5 workers", async () => {
  for (const workers of [2, 5]) {
    const { frames, notices } = await runTicks(clusterOptions(NODES, workers), true);
    assert.deepEqual(frames, reference, `${workers} workers`);
    assert.deepEqual(notices.flat(), []);
  }
});

Deno.test("ticks served before the workers are up equal what the workers would have sent", async () => {
  const { frames } = await runTicks(clusterOptions(NODES, 5), false);
  assert.deepEqual(frames, reference);
});

for (const kind of ["throw", "escape", "close"] as const) {
  Deno.test(`a worker that fails (${kind}) is restarted and no tick is lost or changed`, async () => {
    const opts = { ...clusterOptions(NODES, 3), stallMs: 300, faults: { 1: { atSeq: 3, kind } } };
    const { frames, notices } = await runTicks(opts, true);
    assert.deepEqual(frames, reference);
    assert.deepEqual(
      notices[2].filter((n) => n.kind === "fail").map((
        n,
      ) => [n.kind, n.firstNode, n.nodeCount, n.seq]),
      [
        ["fail", 1, 2, 3],
      ],
    );
    assert.equal(notices[2].find((n) => n.kind === "fail")!.restarting, true);
    const recovered = notices.slice(2).flat().filter((n) => n.kind === "recover");
    // The replacement answers the very tick its predecessor lost.
    assert.deepEqual(recovered.map((n) => [n.kind, n.firstNode, n.seq]), [["recover", 1, 3]]);
  });
}

Deno.test("a worker that dies on the very first tick is replaced and that tick still answered", async () => {
  const opts = {
    ...clusterOptions(NODES, 2),
    stallMs: 200,
    faults: { 0: { atSeq: 1, kind: "close" as const } },
  };
  const pool = new TelemetryPool(opts);
  try {
    const frame = await pool.sample(TICKS[0]);
    assert.deepEqual(frame, reference[0]);
  } finally {
    pool.terminate();
  }
});

Deno.test("poll() completes a frame the workers answered without a turn of the event loop", async () => {
  const pool = new TelemetryPool(clusterOptions(NODES, 2));
  try {
    const asked = pool.request(TICKS[0]);
    assert.equal(asked.remaining, 2);
    // Spin without yielding: only poll(), reading shared memory, can see the answers.
    const until = performance.now() + 20_000;
    while (asked.remaining > 0 && performance.now() < until) pool.poll();
    assert.equal(asked.remaining, 0, "poll() collected both blocks' answers");
    assert.deepEqual(asked.frame, reference[0]);
    assert.equal(await asked.done, asked.frame);
  } finally {
    pool.terminate();
  }
});

/** Asks for every tick at once, then collects the frames and every notice. */
async function runTicksAtOnce(opts: PoolOptions) {
  const pool = new TelemetryPool(opts);
  try {
    const frames = await Promise.all(TICKS.map((t) => pool.sample(t)));
    return { frames, notices: pool.takeNotices() };
  } finally {
    pool.terminate();
  }
}

Deno.test("ticks asked for before earlier ones are answered give the same frames, in order", async () => {
  const { frames, notices } = await runTicksAtOnce(clusterOptions(NODES, 2));
  assert.deepEqual(frames, reference);
  assert.deepEqual(notices, []);
});

for (const kind of ["throw", "close"] as const) {
  Deno.test(`a worker that fails (${kind}) with several ticks open answers every one it lost`, async () => {
    const opts = { ...clusterOptions(NODES, 3), stallMs: 300, faults: { 2: { atSeq: 4, kind } } };
    const { frames, notices } = await runTicksAtOnce(opts);
    assert.deepEqual(frames, reference);
    assert.deepEqual(notices.map((n) => [n.kind, n.firstNode, n.seq]), [
      ["fail", 3, 4],
      ["recover", 3, 4],
    ]);
  });
}

Deno.test("takeNotices(seq) hands over only the notices up to that tick", async () => {
  const opts = {
    ...clusterOptions(NODES, 2),
    stallMs: 300,
    faults: { 1: { atSeq: 5, kind: "throw" as const } },
  };
  const pool = new TelemetryPool(opts);
  try {
    await Promise.all(TICKS.map((t) => pool.sample(t)));
    assert.deepEqual(pool.takeNotices(4), []);
    assert.deepEqual(pool.takeNotices(5).map((n) => [n.kind, n.seq]), [["fail", 5], [
      "recover",
      5,
    ]]);
    assert.deepEqual(pool.takeNotices(), []);
  } finally {
    pool.terminate();
  }
});

Deno.test("a block whose worker never starts fails the tick with PoolFailure after four tries", async () => {
  const broken = `data:text/javascript,${encodeURIComponent('throw new Error("cannot load");')}`;
  const pool = new TelemetryPool({ ...clusterOptions(NODES, 2), workerUrl: broken });
  try {
    const failure = await pool.sample(TICKS[0]).then(() => null, (e) => e);
    assert.ok(failure instanceof PoolFailure, `expected PoolFailure, got ${failure}`);
    assert.match(failure.message, /failed 4 times/);
    const fails = pool.takeNotices().filter((n) => n.kind === "fail");
    // Both blocks fail; the run stops at the first block that runs out of restarts.
    assert.ok(fails.length >= 4, `${fails.length} failures`);
    assert.deepEqual(fails.slice(-1).map((n) => n.restarting), [false]);
  } finally {
    pool.terminate();
  }
});

/** Starts real workers until `limit` have been started, then throws as a system out of threads does. */
function threadLimit(limit: number): { start: StartWorker; started: () => number } {
  let started = 0;
  return {
    started: () => started,
    start: (url) => {
      if (started >= limit) throw new Deno.errors.WouldBlock("Resource temporarily unavailable");
      started++;
      return new Worker(url, { type: "module" });
    },
  };
}

Deno.test("a pool refused threads goes on with fewer workers and gives the same frames", async () => {
  for (const waitForWorkers of [true, false]) {
    const limit = threadLimit(3);
    const opts = { ...clusterOptions(NODES, 5), startWorker: limit.start };
    const pool = new TelemetryPool(opts);
    try {
      if (waitForWorkers) await pool.start();
      const frames = [];
      for (const t of TICKS) frames.push(await pool.sample(t));
      assert.deepEqual(frames, reference);
      assert.equal(limit.started(), 3, "no thread was asked for after the refusal");
      // One of the three is given back, for the threads the runtime starts itself.
      assert.equal(pool.workers, 2);
      assert.deepEqual(pool.takeNotices(), []);
    } finally {
      pool.terminate();
    }
  }
});

Deno.test("a pool refused threads mid-run hands the open ticks to the workers it keeps", async () => {
  const limit = threadLimit(3);
  // Block 1's worker dies at tick 3 and no thread can replace it: two workers take the cluster.
  const opts = {
    ...clusterOptions(NODES, 3),
    stallMs: 300,
    startWorker: limit.start,
    faults: { 1: { atSeq: 3, kind: "throw" as const } },
  };
  const { frames, notices } = await runTicksAtOnce(opts);
  assert.deepEqual(frames, reference);
  assert.equal(limit.started(), 3);
  // The lost block reads as failed and, once the others answer for it, recovered.
  assert.deepEqual(notices.map((n) => [n.kind, n.firstNode, n.nodeCount]), [
    ["fail", 1, 2],
    ["recover", 1, 2],
  ]);
});

Deno.test("a pool that cannot start a single thread fails its ticks with one clear PoolFailure", async () => {
  const pool = new TelemetryPool({
    ...clusterOptions(NODES, 2),
    startWorker: threadLimit(0).start,
  });
  try {
    const failure = await pool.sample(TICKS[0]).then(() => null, (e) => e);
    assert.ok(failure instanceof PoolFailure, `expected PoolFailure, got ${failure}`);
    assert.equal(
      failure.message,
      "the system refused to start a thread for the telemetry workers " +
        "(Resource temporarily unavailable); allow more processes (ulimit -u) or stop some",
    );
    assert.equal(await pool.sample(TICKS[1]).then(() => null, (e) => e), failure);
  } finally {
    pool.terminate();
  }
});
