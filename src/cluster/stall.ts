/**
 * The pool's watch for workers that stop answering. A tick that has waited `stallMs` makes its
 * unanswered blocks suspects; they are declared dead only if they still have not answered after
 * a further `stallMs / 5` during which this thread ran. A stopped process (SIGSTOP, a suspended
 * laptop) stops the workers with it: when it runs again, every tick it asked for has waited
 * long, and the workers need a moment to answer; without the second look, every block whose
 * answer was not in yet would be declared dead, not only a worker that is really stuck.
 */

/** What the watch needs to know of the pool. */
export interface Watched {
  /** The oldest tick not answered by every block, if any. */
  oldest(): { seq: number; sinceMs: number } | undefined;
  /** Collects the answers written so far. */
  collect(): void;
  /** Declares dead the blocks that have not answered tick `seq` (still the oldest open). */
  fail(seq: number, reason: string): void;
}

/** Keeps one timed wait out while a tick is open, and judges stalls when it ends. */
export class StallWatch {
  #stallMs: number;
  #now: () => number;
  /** What is watched; a closed watch lets go of it (see close()). */
  #pool: Watched | null;
  /** The word the wait is on; only close() wakes it before its time. */
  #word = new Int32Array(new SharedArrayBuffer(4));
  #armed = false;
  #closed = false;
  /** When the wait out was due (wall ms). */
  #dueMs = 0;
  /** A tick whose unanswered blocks are suspected, and when they are judged. */
  #suspect: { seq: number; judgeMs: number } | null = null;

  constructor(stallMs: number, now: () => number, pool: Watched) {
    this.#stallMs = stallMs;
    this.#now = now;
    this.#pool = pool;
  }

  /** Wall ms a suspect is given to answer, counted while this thread runs. */
  get confirmMs(): number {
    return this.#stallMs / 5;
  }

  /**
   * Arms the wait for the oldest open tick (or a suspect's judgement), unless one is out. One
   * at a time: a timed wait holds memory until its time is up, even once settled. Not a timer,
   * so a run that never sleeps never loads Deno's timers.
   */
  watch(): void {
    const oldest = this.#pool?.oldest();
    if (this.#armed || this.#closed || !oldest) return;
    this.#armed = true;
    this.#dueMs = this.#suspect?.judgeMs ?? oldest.sinceMs + this.#stallMs;
    const wait = Atomics.waitAsync(this.#word, 0, 0, Math.max(0, this.#dueMs - this.#now()));
    (wait.async ? wait.value : Promise.resolve()).then(() => {
      this.#armed = false;
      if (this.#closed) return;
      this.#check();
      this.watch();
    });
  }

  /**
   * Ends the watch; its wait settles at once, but V8 keeps the settled wait (and so this watch)
   * until its time is up, seconds later: the pool is let go of here, or a --loop of short runs
   * kept the pools, and all they hold, of the runs of the last few seconds.
   */
  close(): void {
    this.#closed = true;
    this.#pool = null;
    Atomics.notify(this.#word, 0);
  }

  #check(): void {
    const pool = this.#pool!;
    // Answers written while this thread was busy count, even if not collected yet.
    pool.collect();
    const oldest = pool.oldest(), now = this.#now();
    if (this.#suspect && oldest?.seq !== this.#suspect.seq) this.#suspect = null;
    if (this.#suspect) {
      // Woken late, this thread was not running either: the suspects get their time again.
      if (now - this.#dueMs > this.confirmMs / 2) this.#suspect.judgeMs = now + this.confirmMs;
      else if (now >= this.#suspect.judgeMs) {
        this.#suspect = null;
        pool.fail(oldest!.seq, `no answer within ${this.#stallMs} ms`);
      }
    } else if (oldest && now - oldest.sinceMs >= this.#stallMs) {
      this.#suspect = { seq: oldest.seq, judgeMs: now + this.confirmMs };
    }
  }
}
