/**
 * Each step's noise since the last checkpoint, kept flat (three numbers a step) so a rollback can
 * replay it: tens of thousands of steps between checkpoints allocate nothing per step and leave
 * no small arrays for the garbage collector to carry.
 */

/** One step's noise: AR(1) loss term, white loss term, AR(1) grad-norm term. */
export interface StepNoise {
  lossAr: number;
  white: number;
  grad: number;
}

const INITIAL_STEPS = 1024;

/** The noise of consecutive steps, oldest first. */
export class NoiseLog {
  #values = new Float64Array(3 * INITIAL_STEPS);
  #steps = 0;

  /** Steps logged. */
  get steps(): number {
    return this.#steps;
  }

  /** Appends a step's noise. */
  push(lossAr: number, white: number, grad: number): void {
    if (3 * (this.#steps + 1) > this.#values.length) {
      const grown = new Float64Array(this.#values.length * 2);
      grown.set(this.#values);
      this.#values = grown;
    }
    const at = 3 * this.#steps++;
    this.#values[at] = lossAr;
    this.#values[at + 1] = white;
    this.#values[at + 2] = grad;
  }

  /** Forgets every step (keeping the memory: fresh pages cost more than the steps' numbers). */
  clear(): void {
    this.#steps = 0;
  }

  /** Copies the noise of step `i` (0 = the oldest) into `out`. */
  read(i: number, out: StepNoise): void {
    out.lossAr = this.#values[3 * i];
    out.white = this.#values[3 * i + 1];
    out.grad = this.#values[3 * i + 2];
  }
}

/** A log being replayed after a rollback, from its oldest step on. */
export interface NoiseReplay {
  log: NoiseLog;
  next: number;
}
