/** The output sink: whole writes, and a closed pipe reported as PipeClosed every time after. */
import assert from "node:assert/strict";
import { PipeClosed, Sink } from "../../src/render/sink.ts";

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

Deno.test("Sink.flush() lets other write errors through unchanged", () => {
  const sink = new Sink({
    writeSync() {
      throw new Deno.errors.PermissionDenied("no");
    },
  });
  sink.write("x");
  assert.throws(() => sink.flush(), Deno.errors.PermissionDenied);
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
  assert.equal(written(), "a\n", "a later placeholder filled first changes nothing yet");
  first.write("b\n");
  first.fill();
  assert.equal(written(), "a\nb\nc\nd\n");
  sink.flush();
  assert.equal(written(), "a\nb\nc\nd\ne\n");
});

Deno.test("a long stretch behind a placeholder is kept whole, in many buffers", () => {
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
