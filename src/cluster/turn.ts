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

/**
 * nextTurn() over one channel kept open until close(), for a caller that yields over and over
 * (the driver, every few thousand events of an --instant run). A channel per turn left its two
 * ports, their listeners and the port's pending receive alive for a turn or more: 3–9 KB that
 * outlived each of the young generation's collections, and what survives those collections is
 * what grows the young generation (and the heap's limits with it) over a long run.
 */
export class Turns {
  #channel: MessageChannel | null = null;
  /** Resolvers of the turns asked for, oldest first (the port delivers in order). */
  #waiting: Array<() => void> = [];

  /** Resolves after pending callbacks had their turn, as nextTurn() does. */
  next(): Promise<void> {
    if (this.#channel === null) {
      this.#channel = new MessageChannel();
      this.#channel.port1.onmessage = () => this.#waiting.shift()?.();
    }
    const turn = new Promise<void>((resolve) => this.#waiting.push(resolve));
    this.#channel.port2.postMessage(null);
    return turn;
  }

  /** Closes the channel (an open port keeps the event loop alive); turns asked for resolve. */
  close(): void {
    this.#channel?.port1.close();
    this.#channel?.port2.close();
    this.#channel = null;
    for (const resolve of this.#waiting.splice(0)) resolve();
  }
}
