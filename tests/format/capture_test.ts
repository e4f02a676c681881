import assert from "node:assert/strict";
import {
  captureFlush,
  captureTake,
  captureWrite,
  createCapture,
} from "../../src/format/capture.ts";

Deno.test("a capture breaks lines at \\r and \\n and keeps the unfinished one open", () => {
  const c = createCapture();
  captureWrite(c, "\rEpoch 0:   0%| 0/4\rEpoch 0:  25%| 1/4");
  assert.deepEqual(captureTake(c), ["", "Epoch 0:   0%| 0/4"]);
  // A log line written after a refresh continues the refresh's line.
  captureWrite(c, "Epoch 0, global step 1: saved\n");
  assert.deepEqual(captureTake(c), ["Epoch 0:  25%| 1/4Epoch 0, global step 1: saved"]);
  // A refresh right after a newline leaves an empty line before it.
  captureWrite(c, "\rEpoch 1:   0%| 0/4");
  assert.deepEqual(captureTake(c), [""]);
  assert.deepEqual(captureFlush(c), ["Epoch 1:   0%| 0/4"]);
});

Deno.test("a capture counts \\r\\n as one break, even across writes, and drops cursor moves", () => {
  const c = createCapture();
  captureWrite(c, "a\r");
  captureWrite(c, "\nb\n\rValidation: 0/? \x1b[A");
  assert.deepEqual(captureFlush(c), ["a", "b", "", "Validation: 0/? "]);
});
