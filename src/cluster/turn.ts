/**
 * Lets pending callbacks (signals, worker replies) run, without setTimeout's 4 ms clamp on
 * nested zero-delay timers: a MessageChannel message is a macrotask that is never clamped. It
 * also spares a run that never sleeps Deno's first-setTimeout cost (its timers load lazily).
 */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => {
    const { port1, port2 } = new MessageChannel();
    port1.onmessage = () => {
      port1.close();
      resolve();
    };
    port2.postMessage(null);
    port2.close();
  });
}
