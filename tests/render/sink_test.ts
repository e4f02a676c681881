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
