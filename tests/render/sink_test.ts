/**
 * The output sink: whole writes, a closed pipe reported as PipeClosed and any other failed write
 * as OutputError every time after, and a way out that never waits long for a stuck reader.
 */
import assert from "node:assert/strict";
import { OutputError, PipeClosed, Sink } from "../../src/render/sink.ts";
import { createRng } from "../../src/sim/rng.ts";

Deno.test("Sink.flush() writes everything even when the writer takes a few bytes at a time", () => {
  const got: number[] = [];
  const sink = new Sink({
    writeSync(p) {
      const n = Math.min(3, p.length);
      got.push(...p.subarray(0, n));
      return n;
    },
  });
  sink.write("hello ");
  sink.write("world\n");
  sink.flush();
  assert.equal(new TextDecoder().decode(new Uint8Array(got)), "hello world\n");
});

Deno.test("Sink.flush() turns EPIPE into PipeClosed, and keeps saying so afterwards", () => {
  let calls = 0;
  const sink = new Sink({
    writeSync() {
      calls++;
      throw new Deno.errors.BrokenPipe("Broken pipe (os error 32)");
    },
  });
  sink.write("line\n");
  assert.throws(() => sink.flush(), PipeClosed);
  assert.equal(sink.closed, true);
  sink.write("more\n");
  assert.throws(() => sink.flush(), PipeClosed, "a later flush reports the closed pipe too");
  assert.equal(calls, 1, "nothing is written after the pipe closed");
});

Deno.test("Sink.flush() reports another failed write as OutputError, and keeps saying so", () => {
  let calls = 0;
  const full = new Error("No space left on device (os error 28)");
  const sink = new Sink({
    writeSync() {
      calls++;
      throw full;
    },
  });
  sink.write("x");
  assert.throws(() => sink.flush(), (e: unknown) => {
    assert.ok(e instanceof OutputError);
    assert.equal(e.message, "cannot write the output: No space left on device (os error 28)");
    assert.equal(e.cause, full);
    return true;
  });
  sink.write("y");
  assert.throws(() => sink.flush(), OutputError);
  assert.equal(calls, 1, "nothing is written after the failure");
});

/** A sink writing into a string, and that string. */
function capture(): { sink: Sink; written: () => string } {
  const chunks: Uint8Array[] = [];
  const sink = new Sink({ writeSync: (p) => (chunks.push(p.slice()), p.length) });
  const written = () => chunks.map((c) => new TextDecoder().decode(c)).join("");
  return { sink, written };
}

Deno.test("lines after a placeholder wait for it and then come out in order", () => {
  const { sink, written } = capture();
  sink.write("a\n");
  const first = sink.placeholder();
  sink.write("c\n");
  const second = sink.placeholder();
  sink.write("e\n");
  sink.flush();
  assert.equal(written(), "a\n", "nothing past the first open placeholder");
  second.write("d\n");
  second.fill();
  sink.flush();
  assert.equal(written(), "a\n", "a later placeholder filled first changes nothing yet");
  first.write("b\n");
  first.fill();
  assert.equal(written(), "a\n", "filled places go out at the next flush");
  sink.flush();
  assert.equal(written(), "a\nb\nc\nd\ne\n");
  const third = sink.placeholder();
  sink.write("g\n");
  third.write("f\n");
  third.fill();
  sink.write("h\n");
  sink.flush();
  assert.equal(written(), "a\nb\nc\nd\ne\nf\ng\nh\n", "a place reused after its lines went out");
});

Deno.test("a long stretch behind a placeholder is kept whole until the place is filled", () => {
  const { sink, written } = capture();
  const kept = sink.placeholder();
  const line = "x".repeat(99) + "\n";
  for (let i = 0; i < 5000; i++) sink.write(line);
  assert.equal(written(), "");
  kept.write("first\n");
  kept.fill();
  sink.flush();
  assert.equal(written(), "first\n" + line.repeat(5000));
});

/** An asynchronous writer that takes at most `most` bytes a call and answers when released. */
function slowWriter(most: number) {
  const chunks: Uint8Array[] = [];
  const waiting: Array<() => void> = [];
  let inFlight = 0, maxInFlight = 0;
  return {
    chunks,
    text: () => chunks.map((c) => new TextDecoder().decode(c)).join(""),
    get maxInFlight() {
      return maxInFlight;
    },
    /** Lets every write started so far finish. */
    release() {
      for (const w of waiting.splice(0)) w();
    },
    writeSync(): number {
      throw new Error("the background mode never writes synchronously");
    },
    write(p: Uint8Array): Promise<number> {
      maxInFlight = Math.max(maxInFlight, ++inFlight);
      const n = Math.min(most, p.length);
      chunks.push(p.slice(0, n));
      return new Promise((resolve) => waiting.push(() => (inFlight--, resolve(n))));
    },
  };
}

Deno.test("a background sink writes in order, one write at a time, while flushes go on", async () => {
  const out = slowWriter(5);
  const sink = new Sink(out, { background: true });
  sink.write("first\n");
  sink.flush();
  const late = sink.placeholder();
  sink.write("third\n");
  sink.flush();
  late.write("second\n");
  late.fill();
  sink.write("fourth\n");
  sink.flush();
  assert.ok(sink.unwritten > 0, "flushes return before the bytes are written");
  let done = false;
  const drained = sink.drained(0).then(() => (done = true));
  while (!done) {
    out.release();
    await new Promise((r) => setTimeout(r, 0));
  }
  await drained;
  assert.equal(out.text(), "first\nsecond\nthird\nfourth\n");
  assert.equal(out.maxInFlight, 1);
  assert.equal(sink.unwritten, 0);
});

Deno.test("backlog counts the bytes held behind a place and those not written yet", async () => {
  const out = slowWriter(1 << 20);
  const sink = new Sink(out, { background: true });
  sink.write("a".repeat(10));
  sink.flush();
  const place = sink.placeholder();
  sink.write("b".repeat(20));
  assert.equal(sink.backlog, 30, "10 being written, 20 behind the place");
  place.write("c".repeat(5));
  place.fill();
  sink.flush();
  assert.equal(sink.backlog, 35);
  while (sink.backlog > 0) {
    out.release();
    await new Promise((r) => setTimeout(r, 0));
  }
  assert.equal(out.text(), "a".repeat(10) + "c".repeat(5) + "b".repeat(20));
});

Deno.test("drained(n) waits only while more than n bytes are unwritten", async () => {
  const out = slowWriter(1 << 20);
  const sink = new Sink(out, { background: true });
  sink.write("x".repeat(100));
  sink.flush();
  await sink.drained(100);
  assert.equal(out.chunks.length, 1, "100 unwritten bytes are within the bound");
  let resolved = false;
  const waiting = sink.drained(99).then(() => (resolved = true));
  await new Promise((r) => setTimeout(r, 0));
  assert.equal(resolved, false);
  out.release();
  await waiting;
  assert.equal(sink.unwritten, 0);
});

Deno.test("a background sink reports a closed pipe as PipeClosed at the next flush and drain", async () => {
  let calls = 0;
  const sink = new Sink({
    writeSync: () => 0,
    write: () => (calls++, Promise.reject(new Deno.errors.BrokenPipe("Broken pipe (os error 32)"))),
  }, { background: true });
  sink.write("line\n");
  sink.flush();
  await assert.rejects(sink.drained(0), PipeClosed);
  sink.write("more\n");
  assert.throws(() => sink.flush(), PipeClosed);
  assert.equal(calls, 1, "nothing is written after the pipe closed");
});

Deno.test("a background sink reports other write errors as OutputError", async () => {
  const sink = new Sink({
    writeSync: () => 0,
    write: () => Promise.reject(new Deno.errors.PermissionDenied("no")),
  }, { background: true });
  sink.write("x");
  sink.flush();
  await assert.rejects(sink.drained(0), OutputError);
  sink.write("y");
  assert.throws(() => sink.flush(), /cannot write the output: no/);
});

Deno.test("stalledMs() grows while a write does not move, and is 0 once it is done", async () => {
  const out = slowWriter(1 << 20);
  let now = 1000;
  const sink = new Sink(out, { background: true, now: () => now });
  assert.equal(sink.stalledMs(), 0, "nothing under way");
  sink.write("x".repeat(10));
  sink.flush();
  now += 300;
  assert.equal(sink.stalledMs(), 300);
  out.release();
  await sink.drained(0);
  assert.equal(sink.stalledMs(), 0);
});

Deno.test("abandon() drops what was not handed on, writes its last bytes after the write under way", async () => {
  const out = slowWriter(1 << 20);
  const sink = new Sink(out, { background: true });
  sink.write("frame 1\n");
  sink.flush();
  sink.write("frame 2\n");
  sink.flush();
  const place = sink.placeholder();
  sink.write("after a place\n");
  place.fill();
  sink.write("not flushed\n");
  const gone = sink.abandon("restore\n", 1000);
  out.release();
  await new Promise((r) => setTimeout(r, 0));
  out.release();
  await gone;
  assert.equal(out.text(), "frame 1\nrestore\n");
});

Deno.test("abandon() gives up after its wait when the reader takes nothing", async () => {
  const sink = new Sink({ writeSync: () => 0, write: () => new Promise<number>(() => {}) }, {
    background: true,
  });
  sink.write("stuck\n");
  sink.flush();
  const start = performance.now();
  await sink.abandon("restore\n", 50);
  const waitedMs = performance.now() - start;
  assert.ok(waitedMs >= 40 && waitedMs < 1000, `waited ${waitedMs} ms`);
});

Deno.test("settle() never throws, whatever became of the output", async () => {
  const sink = new Sink({
    writeSync: () => 0,
    write: () => Promise.reject(new Deno.errors.BrokenPipe("Broken pipe (os error 32)")),
  }, { background: true });
  sink.write("x");
  await sink.settle(100);
  sink.write("y");
  await sink.settle(100);
  assert.equal(sink.closed, true);
});

Deno.test("places filled in any order, flushed at any time, give the lines in their order", () => {
  const rng = createRng(9, "sink-test");
  for (let round = 0; round < 20; round++) {
    const { sink, written } = capture();
    const want: string[] = [];
    const open: Array<{ place: ReturnType<Sink["placeholder"]>; line: string }> = [];
    for (let i = 0; i < 300; i++) {
      const r = rng.next();
      if (r < 0.2) {
        // A place whose line comes later; the expected text has it here.
        const line = `kept ${round}.${i}\n`;
        open.push({ place: sink.placeholder(), line });
        want.push(line);
      } else if (r < 0.35 && open.length > 0) {
        const [{ place, line }] = open.splice(Math.floor(rng.next() * open.length), 1);
        place.write(line);
        place.fill();
      } else if (r < 0.4) {
        sink.flush();
      } else {
        const line = `line ${round}.${i} ${"x".repeat(Math.floor(rng.next() * 3000))}\n`;
        sink.write(line);
        want.push(line);
      }
    }
    for (const { place, line } of open) (place.write(line), place.fill());
    sink.flush();
    assert.equal(written(), want.join(""));
  }
});
