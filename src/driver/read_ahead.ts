/**
 * Reading a paced run ahead: the simulation is read in batches of about three seconds of wall time,
 * each event prepared as it is read (its line styled, a tick's frame asked for), and handed on
 * one at a time as the driver comes to it.
 *
 * Why: a paced run wakes a few times a second, and code that runs that seldom runs cold (its
 * code and data come from memory, not cache): the first call of a step's formatting after a
 * sleep costs 60–180 µs where the same call warm costs 3 µs (measured). Reading three seconds'
 * events in one go pays that once every three seconds rather than at every frame: with perf's
 * samples of the live view at 64 GPUs, reading ahead took 16% of the main thread's time with
 * batches of a second, 10% with batches of three.
 */
import type { SimEvent } from "../sim/events.ts";

/** Wall ms of the run read per batch, past the moment the batch is read. */
export const AHEAD_WALL_MS = 3000;
/** Most events read per batch: a fast pace reads no further ahead than this. */
export const MAX_BATCH = 256;

/** An iterator over `inner` that reads and prepares it in batches. */
export class ReadAhead implements IterableIterator<SimEvent> {
  #inner: Iterator<SimEvent>;
  #prepare: (ev: SimEvent) => void;
  #dueWallMs: (simMs: number) => number;
  #now: () => number;
  #batch: SimEvent[] = [];
  #next = 0;
  #ended = false;
  /** Wall ms read past the clock: none for the first batch (see #read). */
  #aheadMs = 0;

  /**
   * `prepare` runs on each event as it is read; `dueWallMs` says when a simulated instant is
   * due on the `now` scale (a batch ends with the first event due past AHEAD_WALL_MS from now).
   */
  constructor(
    inner: Iterator<SimEvent>,
    prepare: (ev: SimEvent) => void,
    dueWallMs: (simMs: number) => number,
    now: () => number,
  ) {
    this.#inner = inner;
    this.#prepare = prepare;
    this.#dueWallMs = dueWallMs;
    this.#now = now;
  }

  next(): IteratorResult<SimEvent> {
    if (this.#next === this.#batch.length && !this.#read()) {
      return { done: true, value: undefined };
    }
    return { done: false, value: this.#batch[this.#next++] };
  }

  /** Events read and prepared but not handed on yet. */
  get buffered(): number {
    return this.#batch.length - this.#next;
  }

  /** Reads the next batch; false once the run has no more events. */
  #read(): boolean {
    this.#batch.length = 0;
    this.#next = 0;
    if (this.#ended) return false;
    // The first batch holds only what is due at once, so the run's first lines go out without
    // waiting for seconds of lines after them to be styled; later ones read AHEAD_WALL_MS on.
    const horizon = this.#now() + this.#aheadMs;
    this.#aheadMs = AHEAD_WALL_MS;
    while (this.#batch.length < MAX_BATCH) {
      const r = this.#inner.next();
      if (r.done) {
        this.#ended = true;
        break;
      }
      this.#prepare(r.value);
      this.#batch.push(r.value);
      if (this.#dueWallMs(r.value.simMs) > horizon) break;
    }
    return this.#batch.length > 0;
  }

  /** Stops reading: what was read and not handed on is dropped. */
  return(): IteratorResult<SimEvent> {
    this.#batch.length = 0;
    this.#next = 0;
    this.#ended = true;
    this.#inner.return?.();
    return { done: true, value: undefined };
  }

  [Symbol.iterator](): IterableIterator<SimEvent> {
    return this;
  }
}
