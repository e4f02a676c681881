/**
 * The worker pool: one Web Worker per node up to a cap, each beyond that simulating a
 * contiguous block of nodes. The main thread never computes telemetry. Ticks and answers pass
 * through shared memory (channel.ts), so a tick wakes neither thread's event loop: the pool
 * learns of answers through Atomics.waitAsync, or only when the caller polls (a passive pool).
 * Several ticks may be open at once (workers answer in order); a dead worker is replaced,
 * handed its block's state after the last tick that block answered and sent every open tick it
 * had not answered, so no tick is lost and a frame never depends on which thread answered or
 * when. When the system refuses a thread, the workers already running take over the whole
 * cluster in fewer, larger blocks, from the state after the last complete tick. The pool
 * reports failures and recoveries as notices.
 */
import { createFrame, type Frame, mergeSample, nodeBlocks } from "./frame.ts";
import type { PoolNotice } from "./notice.ts";
import type { Fault, FromWorker, Tick } from "./protocol.ts";
import { ANSWERED, POSTED, RELEASED, slotSample, STOP, STOPPED, writeTick } from "./channel.ts";
import { bindWorker, newSlot, type Slot, type WarmCluster } from "./slot.ts";
import { StallWatch } from "./stall.ts";
import { nextTurn } from "./turn.ts";
import { TELEMETRY_WORKER_URL } from "./worker_url.ts";

export type { Frame } from "./frame.ts";
export { nodeBlocks } from "./frame.ts";

/** Starts a worker thread running the module at `url`; throws when the system refuses one. */
export type StartWorker = (url: string) => Worker;

/** Cluster facts the pool hands to its workers. */
export interface PoolOptions {
  seed: number;
  nodes: number;
  gpusPerNode: number;
  memTotalGiB: number;
  tdpW: number;
  idleW: number;
  /** Upper bound on worker threads. */
  maxWorkers: number;
  /** Wall-clock ms (the driver's clock), for how long a tick has waited. */
  now: () => number;
  /**
   * Answers are collected only by poll() and, once asked, watch(): no wait on them is armed by
   * itself, so an answer does not wake the event loop (the live view polls at every frame).
   */
  passive?: boolean;
  /** Wall ms a worker may take to answer a tick before it is suspected dead (default 5000). */
  stallMs?: number;
  /** Failures to inject into the first worker of a block, by block index (tests only). */
  faults?: Readonly<Record<number, Fault>>;
  /** The worker's code (tests only; by default the telemetry worker). */
  workerUrl?: string;
  /** How a thread is started (tests only: one that throws stands for a system out of threads). */
  startWorker?: StartWorker;
}

/** Wall ms a worker may stay silent on a tick before the pool suspects it. */
const DEFAULT_STALL_MS = 5000;
/** Failures in a row of one block after which the pool gives up (the run cannot go on). */
const MAX_RESTARTS = 3;

/** A tick asked of the pool: its frame, filled in as the blocks answer. */
export interface FrameRequest {
  readonly frame: Frame;
  /** Resolves with the frame once every block answered; rejects if the pool gives up. */
  readonly done: Promise<Frame>;
  /** Blocks yet to answer (0: the frame is complete; see poll()). */
  readonly remaining: number;
}

/** A tick asked for and not yet answered by every block. */
export interface Pending extends FrameRequest {
  frame: Frame;
  done: Promise<Frame>;
  tick: Tick;
  answered: Uint8Array;
  remaining: number;
  /** Wall ms when the tick was asked for (or its stalled workers were replaced). */
  sinceMs: number;
  resolve: (f: Frame) => void;
  reject: (e: Error) => void;
}

/** Raised by sample() when the pool cannot go on: a block's worker keeps failing, or no thread. */
export class PoolFailure extends Error {}

const startModuleWorker: StartWorker = (url) => new Worker(url, { type: "module" });

/** Owns the telemetry workers for one run; answers ticks in order, several may be open. */
export class TelemetryPool {
  #opts: PoolOptions;
  /** The blocks of nodes the workers serve, [firstNode, nodeCount] each. */
  #blocks: Array<[number, number]>;
  #slots: Slot[];
  #ready: Promise<void> | null = null;
  /** Ticks asked for and not yet answered by every block, oldest first (consecutive seqs). */
  #open: Pending[] = [];
  #notices: PoolNotice[] = [];
  #seq = 0;
  #closed = false;
  #stall: StallWatch;
  /** Every GPU's temperature after the last complete tick (a smaller pool starts from it). */
  #warm: WarmCluster | null = null;
  /** Failed blocks a smaller pool took over: they recover at its first complete tick. */
  #takenOver: Array<[number, number]> = [];
  /** Set once the pool cannot go on: every later tick fails with it. */
  #failure: PoolFailure | null = null;

  constructor(opts: PoolOptions) {
    this.#opts = opts;
    this.#blocks = nodeBlocks(opts.nodes, opts.maxWorkers);
    this.#slots = this.#blocks.map(([, nodeCount], i) =>
      newSlot(nodeCount * opts.gpusPerNode, opts.faults?.[i])
    );
    this.#stall = new StallWatch(opts.stallMs ?? DEFAULT_STALL_MS, opts.now, {
      oldest: () =>
        this.#open[0] && { seq: this.#open[0].frame.seq, sinceMs: this.#open[0].sinceMs },
      collect: () => this.#slots.forEach((_, i) => this.#collect(i)),
      fail: (seq, reason) => this.#failStalled(seq, reason),
    });
  }

  /** Worker threads serving the cluster now (fewer than asked if the system refused some). */
  get workers(): number {
    return this.#slots.filter((s) => s.worker).length;
  }

  /** Starts the workers, one per event-loop turn; resolves when every block has one. */
  start(): Promise<void> {
    const due = () => this.#closed ? -1 : this.#slots.findIndex((s) => !s.worker && !s.failures);
    this.#ready ??= (async () => {
      while (due() >= 0) {
        await nextTurn();
        const i = due();
        if (i >= 0) this.#spawn(i);
      }
    })();
    return this.#ready;
  }

  /**
   * Asks every block's worker for the tick and resolves with the merged frame. Ticks may be
   * asked for before earlier ones are answered; their frames resolve in the order asked.
   */
  sample(tick: Omit<Tick, "type" | "seq">): Promise<Frame> {
    return this.request(tick).done;
  }

  /**
   * sample() with the frame in hand: `remaining` turns 0 once every block answered, which
   * poll() can tell without a turn of the event loop.
   */
  request(tick: Omit<Tick, "type" | "seq">): FrameRequest {
    // Blocks whose worker start() has not reached yet get one now (a run that never yields,
    // such as --instant, starts them all at its first tick), before any tick is posted.
    for (let i = 0; i < this.#slots.length && !this.#failure; i++) {
      if (!this.#slots[i].worker && !this.#slots[i].failures) this.#spawn(i);
    }
    if (this.#failure) {
      const frame = createFrame(0, tick.simMs, 0, 0, false);
      return { frame, done: Promise.reject(this.#failure), remaining: 1 };
    }
    const seq = ++this.#seq;
    const o = this.#opts;
    const p: Pending = {
      frame: createFrame(seq, tick.simMs, o.nodes, o.gpusPerNode, tick.allreduce !== undefined),
      tick: { type: "tick", seq, ...tick },
      answered: new Uint8Array(this.#slots.length),
      remaining: this.#slots.length,
      sinceMs: o.now(),
      done: null!,
      resolve: () => {},
      reject: () => {},
    };
    p.done = new Promise<Frame>((resolve, reject) => {
      p.resolve = resolve;
      p.reject = reject;
    });
    this.#open.push(p);
    for (let i = 0; i < this.#slots.length; i++) {
      this.#slots[i].queued.push(p);
      this.#post(i);
    }
    this.#stall.watch();
    return p;
  }

  /**
   * Collects, now, the answers workers have written (a read of shared memory per block), so a
   * thread that has not yielded sees frames complete; their promises resolve as usual.
   */
  poll(): void {
    for (let i = 0; i < this.#slots.length; i++) {
      const slot = this.#slots[i];
      if (slot.sent.length === 0) continue;
      this.#collect(i);
      this.#post(i);
    }
  }

  /** Failures and recoveries since the last call up to tick `throughSeq`, oldest first. */
  takeNotices(throughSeq = Infinity): PoolNotice[] {
    const out = this.#notices.filter((n) => n.seq <= throughSeq);
    if (out.length > 0) this.#notices = this.#notices.filter((n) => n.seq > throughSeq);
    return out;
  }

  /** Waits for the answers of every tick asked so far, as a pool that is not passive does. */
  watch(): void {
    for (let i = 0; i < this.#slots.length; i++) this.#watchAnswers(i, true);
  }

  /** Ends every worker; open ticks never resolve. */
  terminate(): void {
    this.#closed = true;
    this.#open = [];
    this.#stall.close();
    for (const slot of this.#slots) this.#stop(slot, STOPPED);
  }

  /** Starts block `index`'s worker; if the system refuses the thread, the pool shrinks. */
  #spawn(index: number): void {
    let w: Worker;
    try {
      w = (this.#opts.startWorker ?? startModuleWorker)(
        this.#opts.workerUrl ?? TELEMETRY_WORKER_URL,
      );
    } catch (e) {
      return this.#shrink(e instanceof Error ? e.message : String(e));
    }
    // Handlers find the worker's block when they run: a smaller pool may have moved it.
    w.onmessage = (e: MessageEvent<FromWorker>) => this.#failWorker(w, e.data.message);
    w.onerror = (e: ErrorEvent) => {
      e.preventDefault();
      this.#failWorker(w, e.message);
    };
    w.onmessageerror = () => this.#failWorker(w, "unreadable message");
    this.#bind(index, w);
  }

  /** Hands worker `w` block `index`, with the block's state and a fresh channel. */
  #bind(index: number, w: Worker): void {
    const [firstNode, nodeCount] = this.#blocks[index];
    bindWorker(this.#slots[index], w, { ...this.#opts, firstNode, nodeCount });
  }

  /** Writes block `index`'s queued ticks into free slots of its channel and wakes its worker. */
  #post(index: number): void {
    const slot = this.#slots[index];
    const ch = slot.channel;
    if (!ch) return;
    const [firstNode, nodeCount] = this.#blocks[index];
    const before = slot.posted;
    while (slot.queued.length > 0 && slot.posted - slot.collected < ch.slots.length) {
      const p = slot.queued.shift()!;
      writeTick(ch.slots[slot.posted % ch.slots.length], p.tick, firstNode, nodeCount);
      slot.sent.push(p);
      slot.posted++;
    }
    if (slot.posted === before) return;
    Atomics.store(ch.control, POSTED, slot.posted);
    Atomics.notify(ch.control, POSTED);
    this.#watchAnswers(index);
  }

  /**
   * Waits, off the event loop's critical path, for block `index`'s next answer, and then the
   * next, while ticks are out: always, or in a passive pool only once `asked` by watch().
   */
  #watchAnswers(index: number, asked = false): void {
    const slot = this.#slots[index];
    if (asked) slot.watched = true;
    if (this.#opts.passive && !slot.watched) return;
    if (slot.watching || slot.sent.length === 0) return;
    slot.watching = true;
    const ch = slot.channel!;
    const wait = Atomics.waitAsync(ch.control, ANSWERED, slot.collected);
    const answered = wait.async ? wait.value : Promise.resolve();
    answered.then(() => {
      if (this.#closed || slot.channel !== ch) return;
      slot.watching = false;
      this.#collect(index);
      // A passive pool's watch ends with the ticks that were out when it was asked for.
      if (slot.sent.length === 0) slot.watched = false;
      this.#post(index);
      this.#watchAnswers(index);
    });
  }

  /** Merges every answer block `index`'s worker has written since the last call. */
  #collect(index: number): void {
    const slot = this.#slots[index];
    const ch = slot.channel;
    if (!ch) return;
    const answered = Atomics.load(ch.control, ANSWERED);
    const [firstNode] = this.#blocks[index];
    while (slot.collected < answered) {
      const p = slot.sent.shift()!;
      const s = slotSample(ch.slots[slot.collected % ch.slots.length], firstNode);
      slot.collected++;
      this.#accept(index, p, s);
    }
  }

  #accept(index: number, p: Pending, s: ReturnType<typeof slotSample>): void {
    const slot = this.#slots[index];
    if (this.#failure || p.answered[index]) return;
    slot.failures = 0;
    if (slot.recovering) {
      slot.recovering = false;
      this.#notices.push(
        this.#notice(index, { kind: "recover", seq: p.frame.seq, reason: "", restarting: false }),
      );
    }
    p.answered[index] = 1;
    mergeSample(p.frame, s, this.#opts.gpusPerNode);
    slot.warmTempC.set(s.tempC);
    slot.warmSimMs = p.tick.simMs;
    if (--p.remaining > 0) return;
    // Blocks answer in order, so the oldest open tick finishes first; frames resolve in order.
    while (this.#open.length > 0 && this.#open[0].remaining === 0) this.#complete();
  }

  /** Resolves the oldest open tick, whose every block has answered. */
  #complete(): void {
    const done = this.#open.shift()!;
    if (this.#warm) this.#warm.tempC.set(done.frame.tempC);
    else this.#warm = { tempC: done.frame.tempC.slice(), simMs: 0 };
    this.#warm.simMs = done.tick.simMs;
    for (const [firstNode, nodeCount] of this.#takenOver) {
      const seq = done.frame.seq;
      this.#notices.push({
        kind: "recover",
        firstNode,
        nodeCount,
        seq,
        reason: "",
        restarting: false,
      });
    }
    this.#takenOver = [];
    done.resolve(done.frame);
  }

  /** Replaces the workers that left tick `seq` (the oldest open) unanswered. */
  #failStalled(seq: number, reason: string): void {
    const p = this.#open[0];
    if (p?.frame.seq !== seq) return;
    // The stall clock restarts, for every open tick, for the replacements this round starts.
    const now = this.#opts.now();
    for (const q of this.#open) q.sinceMs = now;
    const stalled = this.#slots.map((s) => s.worker).filter((w, i) => w && !p.answered[i]);
    for (const w of stalled) this.#failWorker(w!, reason);
  }

  /**
   * Stops a slot's worker, released from its wait first (`how`: STOPPED ends it; RELEASED keeps
   * it for another block, and leaves it to the caller).
   */
  #stop(slot: Slot, how: typeof STOPPED | typeof RELEASED): void {
    const control = slot.channel?.control;
    if (control) {
      Atomics.store(control, STOP, how);
      Atomics.notify(control, POSTED);
      // Also settles this thread's own wait on the channel, which no one will answer now.
      Atomics.notify(control, ANSWERED);
    }
    if (how === STOPPED && slot.worker) {
      // A terminated worker object lives on until its thread has ended (its control channel
      // is read until then): without its handlers it no longer keeps this pool alive.
      slot.worker.onmessage = slot.worker.onerror = slot.worker.onmessageerror = null;
      slot.worker.terminate();
    }
    slot.worker = null;
    slot.channel = null;
  }

  /** Replaces worker `w` (if it still serves a block) and resends its block's open ticks. */
  #failWorker(w: Worker, reason: string): void {
    const index = this.#slots.findIndex((s) => s.worker === w);
    if (index < 0 || this.#closed) return;
    const slot = this.#slots[index];
    // What the worker answered before it failed stands.
    this.#collect(index);
    this.#stop(slot, STOPPED);
    slot.failures++;
    slot.recovering = true;
    const restarting = slot.failures <= MAX_RESTARTS;
    const lost = this.#open.filter((p) => !p.answered[index]);
    const seq = lost[0]?.frame.seq ?? this.#seq;
    const notice = this.#notice(index, { kind: "fail", seq, reason, restarting });
    this.#notices.push(notice);
    if (!restarting) return this.#giveUp(failedMessage(notice, MAX_RESTARTS + 1));
    // The replacement is handed the state after the block's last answer, then what it lost.
    slot.queued = lost;
    slot.sent = [];
    this.#spawn(index);
    if (this.#slots[index] === slot) this.#post(index);
  }

  /**
   * Goes on with the workers running now, as many blocks as workers, once the system refused
   * a thread: each is handed a new block with the state after the last complete tick and
   * every open tick again (the frames come out the same). Without a worker, the run ends.
   */
  #shrink(reason: string): void {
    const workers = this.#slots.flatMap((s) => s.worker ? [s.worker] : []);
    if (workers.length === 0) {
      return this.#giveUp(
        `the system refused to start a thread for the telemetry workers (${reason}); ` +
          "allow more processes (ulimit -u) or stop some",
      );
    }
    // The runtime starts threads of its own as it needs them (for I/O) and ends the process when
    // it cannot: a worker is given back to leave it one.
    const spare = workers.length > 1 ? workers.pop()! : null;
    for (let i = 0; i < this.#slots.length; i++) {
      const slot = this.#slots[i];
      if (slot.recovering) this.#takenOver.push(this.#blocks[i]);
      this.#stop(slot, slot.worker === spare ? STOPPED : RELEASED);
    }
    const o = this.#opts;
    this.#blocks = nodeBlocks(o.nodes, workers.length);
    this.#slots = this.#blocks.map(([first, count]) => {
      const slot = newSlot(count * o.gpusPerNode);
      if (this.#warm) {
        const at = first * o.gpusPerNode;
        slot.warmTempC.set(this.#warm.tempC.subarray(at, at + slot.warmTempC.length));
        slot.warmSimMs = this.#warm.simMs;
      }
      return slot;
    });
    for (const p of this.#open) {
      p.answered = new Uint8Array(workers.length);
      p.remaining = workers.length;
    }
    workers.forEach((w, i) => this.#bind(i, w));
    for (let i = 0; i < this.#slots.length; i++) {
      this.#slots[i].queued = [...this.#open];
      this.#post(i);
    }
  }

  /** Fails every open tick and every later one: the pool cannot go on. */
  #giveUp(message: string): void {
    const failure = this.#failure = new PoolFailure(message);
    for (const p of this.#open) p.reject(failure);
    this.#open = [];
  }

  #notice(index: number, n: Omit<PoolNotice, "firstNode" | "nodeCount">): PoolNotice {
    const [firstNode, nodeCount] = this.#blocks[index];
    return { firstNode, nodeCount, ...n };
  }
}

/** The message of a pool that gives up on a block after `tries` failures. */
function failedMessage(n: PoolNotice, tries: number): string {
  const nodes = `${n.firstNode}-${n.firstNode + n.nodeCount - 1}`;
  return `telemetry worker for nodes ${nodes} failed ${tries} times: ${n.reason}`;
}
