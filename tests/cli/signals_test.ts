/** SignalPolicy: what each signal does, and a repeat within the window counting as one. */
import assert from "node:assert/strict";
import { REPEAT_WINDOW_MS, SIGNAL_EXIT_CODE, SignalPolicy } from "../../src/cli/signals.ts";

Deno.test("one Ctrl-C arriving three times in a few ms (terminal and task runner) is one stop", () => {
  const p = new SignalPolicy();
  assert.deepEqual(p.decide("SIGINT", 1000, false), { kind: "stop", reason: "sigint" });
  assert.deepEqual(p.decide("SIGINT", 1002, true), { kind: "ignore" });
  assert.deepEqual(p.decide("SIGINT", 1000 + REPEAT_WINDOW_MS - 1, true), { kind: "ignore" });
});

Deno.test("a second Ctrl-C after the window exits at once with 130", () => {
  const p = new SignalPolicy();
  p.decide("SIGINT", 0, false);
  assert.deepEqual(p.decide("SIGINT", REPEAT_WINDOW_MS + 50, true), {
    kind: "exit",
    code: 130,
  });
});

Deno.test("SIGTERM stops, and another signal while stopping exits with the first one's status", () => {
  const p = new SignalPolicy();
  assert.deepEqual(p.decide("SIGTERM", 0, false), { kind: "stop", reason: "sigterm" });
  assert.deepEqual(p.decide("SIGINT", 10, true), { kind: "exit", code: 143 });
});

Deno.test("a signal while --exit-after's stop is under way exits at once with its own status", () => {
  const p = new SignalPolicy();
  assert.deepEqual(p.decide("SIGINT", 0, true), { kind: "exit", code: 130 });
});

Deno.test("SIGQUIT exits at once with 131, SIGHUP with 129", () => {
  const p = new SignalPolicy();
  assert.deepEqual(p.decide("SIGQUIT", 0, false), { kind: "exit", code: 131 });
  assert.deepEqual(p.decide("SIGHUP", 0, false), { kind: "exit", code: 129 });
  assert.deepEqual(SIGNAL_EXIT_CODE, { SIGHUP: 129, SIGINT: 130, SIGQUIT: 131, SIGTERM: 143 });
});
