/**
 * Maps the simulated clock onto the wall clock: a speed per phase, re-anchored whenever the
 * speed changes, and sleeps that a stop request cuts short.
 */
import { Turns } from "../cluster/turn.ts";

/** Simulated-to-wall speed for each phase (Infinity = do not wait). */
export interface Pace {
  init: number;
  train: number;
}

/** A timer that never fires in practice (about 12 days): it only keeps the event loop alive. */
const KEEP_ALIVE_MS = 2 ** 30;

/** Wakes sleepers early when the run must stop. */
export class StopSignal {
  stopped = false;
  reason: "sigint" | "sigterm" | "exit-after" | "pipe" | null = null;
  /** Sleepers wait on this word (Atomics.waitAsync); stop() sets it and wakes them. */
  #word = new Int32Array(new SharedArrayBuffer(4));
  /** Keeps the event loop alive while sleeps may come, since a waitAsync alone does not. */
  #keepAlive: ReturnType<typeof setInterval> | null = null;
  #onStop: Array<() => void> = [];
  /** The turns of sleeps of 0 ms, over one channel until release(). */
  #turns = new Turns();

  /** Requests a stop; the first reason wins. */
  stop(reason: NonNullable<StopSignal["reason"]>): void {
    if (this.stopped) return;
    this.stopped = true;
    this.reason = reason;
    Atomics.store(this.#word, 0, 1);
    Atomics.notify(this.#word, 0);
    for (const listener of this.#onStop.splice(0)) listener();
  }

  /**
   * Calls `listener` once the run is asked to stop (at once if it was already), whatever the
   * run is doing then: main watches that a stopping run does not wait on a reader for long.
   */
  onStop(listener: () => void): void {
    if (this.stopped) listener();
    else this.#onStop.push(listener);
  }

  /**
   * Sleeps `ms` of wall time, or less if stopped meanwhile. Timed by an Atomics.waitAsync
   * timeout rather than a timer: in Deno a setTimeout per sleep costs about as much CPU again
   * as the wake-up itself, and the live view sleeps between every two frames.
   */
  sleep(ms: number): Promise<unknown> {
    if (this.stopped) return Promise.resolve();
    if (ms <= 0) return this.#turns.next();
    this.#keepAlive ??= setInterval(() => {}, KEEP_ALIVE_MS);
    // The wait's own promise, handed on as it is: a frame's wake-up resumes the driver at once.
    const wait = Atomics.waitAsync(this.#word, 0, 0, ms);
    return wait.async ? wait.value : Promise.resolve();
  }

  /** No more sleeps for now: lets the event loop end (the driver calls it when it is done). */
  release(): void {
    if (this.#keepAlive !== null) clearInterval(this.#keepAlive);
    this.#keepAlive = null;
    this.#turns.close();
  }
}

/**
 * Tracks the anchor between simulated and wall time. With a wake-up quantum, waits end only on
 * a grid of that many wall ms from the start, so events due close together share one wake-up.
 */
export class Pacer {
  #speed: number;
  #simAnchor: number;
  #wallAnchor: number;
  #now: () => number;
  /** At an infinite speed once the anchor has passed: nothing is ever due later. */
  #neverWaits = false;
  #wallStart: number;
  #quantumMs: number;

  constructor(speed: number, simStartMs: number, now: () => number, quantumMs = 0) {
    this.#speed = speed;
    this.#simAnchor = simStartMs;
    this.#now = now;
    this.#wallAnchor = now();
    this.#wallStart = this.#wallAnchor;
    this.#quantumMs = quantumMs;
  }

  /** Changes the speed from simulated instant `simMs` on. */
  setSpeed(speed: number, simMs: number): void {
    if (speed === this.#speed) return;
    this.#neverWaits = false;
    this.#wallAnchor = this.wallFor(simMs);
    this.#simAnchor = simMs;
    this.#speed = speed;
  }

  /** Wall-clock ms (on the `now` scale) at which simulated instant `simMs` is due. */
  wallFor(simMs: number): number {
    if (!Number.isFinite(this.#speed)) return this.#wallAnchor;
    return this.#wallAnchor + (simMs - this.#simAnchor) / this.#speed;
  }

  /** Milliseconds to wait before `simMs` is due, to the next wake-up of the grid (0 when due). */
  delayUntil(simMs: number): number {
    // --instant reads the clock only until the anchor is behind it (a clock read per event costs).
    if (this.#neverWaits) return 0;
    const now = this.#now();
    const dueMs = this.wallFor(simMs);
    if (dueMs <= now) {
      this.#neverWaits = this.instant;
      return 0;
    }
    const q = this.#quantumMs;
    if (q <= 0) return dueMs - now;
    return this.#wallStart + Math.ceil((dueMs - this.#wallStart) / q) * q - now;
  }

  /** Whether this pacer never waits. */
  get instant(): boolean {
    return !Number.isFinite(this.#speed);
  }
}
