import assert from "node:assert/strict";
import { callSpan, pyTraceback } from "../../src/style/tracebacks.ts";

Deno.test("callSpan(): Python 3.11's carets cover the failing call, a chained call whole", () => {
  const chained = "return func.__get__(opt, opt.__class__)(*args, **kwargs)";
  assert.deepEqual(callSpan(chained, "func.__get__(opt, opt.__class__)"), [7, 49]);
  const plain = "loss = self.compute_loss(model, inputs)";
  assert.deepEqual(callSpan(plain, "self.compute_loss"), [7, 32]);
  // A call inside the arguments of another ends at its own parenthesis.
  const nested = "out = model(self._prepare(inputs), labels)";
  assert.deepEqual(callSpan(nested, "self._prepare"), [12, 21]);
  // A method called on a call's result: the failing call is the method, so the whole chain.
  const method = "scaler.scale(loss).backward()";
  assert.deepEqual(callSpan(method, "scaler.scale(loss).backward"), [0, method.length]);
  const inner = "    loss = scaler.scale(loss).backward()";
  assert.deepEqual(callSpan(inner, "scaler.scale(loss).backward"), [11, 29]);
});

Deno.test("pyTraceback(): a caret line under a frame's code unless it would cover all of it", () => {
  const frames = [
    { file: "a.py", line: 3, fn: "f", code: "x = g(1)", caret: callSpan("x = g(1)", "g") },
    { file: "b.py", line: 9, fn: "g", code: "h(2)", caret: callSpan("h(2)", "h") },
  ];
  const lines = pyTraceback(frames, "RuntimeError: boom", true);
  assert.ok(lines.includes("    x = g(1)") && lines.includes("        ^^^^"), lines.join("\n"));
  assert.ok(!lines.includes("    ^^^^"), lines.join("\n"));
});
