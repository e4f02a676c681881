/**
 * The worker pool: one Web Worker per node up to a cap, each beyond that simulating a
 * contiguous block of nodes. The main thread never computes telemetry. Ticks and answers pass
 * through shared memory (channel.ts), so a tick wakes neither thread's event loop: the pool
 * learns of answers through Atomics.waitAsync, or only when the caller polls (a passive pool).
 * Several ticks may be open at once (workers answer in order); a dead worker is replaced,
 * handed its block's state after the last tick that block answered and sent every open tick it
 * had not answered, so no tick is lost and a frame never depends on which thread answered or
 * when. The pool reports failures and recoveries as notices.
 */
import { createFrame, type Frame, mergeSample, nodeBlocks } from "./frame.ts";
import type { PoolNotice } from "./notice.ts";
import type { Fault, FromWorker, Tick, WorkerInit } from "./protocol.ts";
import {
  ANSWERED,
  type Channel,
  createChannel,
  POSTED,
  slotSample,
  STOP,
  writeTick,
} from "./channel.ts";
import { StallWatch } from "./stall.ts";
import { nextTurn } from "./turn.ts";
import { TELEMETRY_WORKER_URL } from "./worker_url.ts";

export type { Frame } from "./frame.ts";
export { nodeBlocks } from "./frame.ts";

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

interface Pending extends FrameRequest {
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

interface Slot {
  worker: Worker | null;
  channel: Channel | null;
  /** Ticks waiting for a free place in the channel, oldest first. */
  queued: Pending[];
  /** Ticks in the channel, not yet collected, oldest first (the worker answers in order). */
  sent: Pending[];
  /** Ticks written into the channel and collected from it, since the worker started. */
  posted: number;
  collected: number;
  /** Whether an Atomics.waitAsync on the channel's answers is outstanding. */
  watching: boolean;
  /** A passive pool's block whose answers watch() asked to wait for. */
  watched: boolean;
  /** Failures since the block last answered from a worker. */
  failures: number;
  /** Between a failure and the replacement's first answer. */
  recovering: boolean;
  /** The block's temperatures after the last tick it answered (handed to a replacement). */
  warmTempC: Float32Array;
  warmSimMs: number | null;
  fault?: Fault;
}

/** Raised by sample() when a block's worker keeps failing after every restart. */
export class PoolFailure extends Error {
  constructor(readonly notice: PoolNotice) {
    super(
      `telemetry worker for nodes ${notice.firstNode}-${
        notice.firstNode + notice.nodeCount - 1
      } failed ${MAX_RESTARTS + 1} times: ${notice.reason}`,
    );
  }
}

/** Owns the telemetry workers for one run; answers ticks in order, several may be open. */
export class TelemetryPool {
  readonly blocks: Array<[number, number]>;
  #opts: PoolOptions;
  #slots: Slot[];
  #ready: Promise<void> | null = null;
  /** Ticks asked for and not yet answered by every block, oldest first (consecutive seqs). */
  #open: Pending[] = [];
  #notices: PoolNotice[] = [];
  #seq = 0;
  #closed = false;
  #stall: StallWatch;
  /** Set once a block's worker kept failing: every later tick fails with it. */
  #failure: PoolFailure | null = null;

  constructor(opts: PoolOptions) {
    this.#opts = opts;
    this.blocks = nodeBlocks(opts.nodes, opts.maxWorkers);
    this.#slots = this.blocks.map(([, nodeCount], i) => ({
      worker: null,
      channel: null,
      queued: [],
      sent: [],
      posted: 0,
      collected: 0,
      watching: false,
      watched: false,
      failures: 0,
      recovering: false,
      warmTempC: new Float32Array(nodeCount * opts.gpusPerNode),
      warmSimMs: null,
      fault: opts.faults?.[i],
    }));
    this.#stall = new StallWatch(opts.stallMs ?? DEFAULT_STALL_MS, opts.now, {
      oldest: () =>
        this.#open[0] && { seq: this.#open[0].frame.seq, sinceMs: this.#open[0].sinceMs },
      collect: () => this.#slots.forEach((_, i) => this.#collect(i)),
      fail: (seq, reason) => this.#failStalled(seq, reason),
    });
  }

  /** Starts the workers, one per event-loop turn; resolves when every block has one. */
  start(): Promise<void> {
    const due = (slot: Slot) => !this.#closed && !slot.worker && slot.failures === 0;
    this.#ready ??= (async () => {
      for (let i = 0; i < this.#slots.length && !this.#closed; i++) {
        if (!due(this.#slots[i])) continue;
        await nextTurn();
        if (due(this.#slots[i])) this.#spawn(i);
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
    if (this.#failure) {
      const frame = createFrame(0, tick.simMs, 0, 0, false);
      return { frame, done: Promise.reject(this.#failure), remaining: 1 };
    }
    const seq = ++this.#seq;
    const o = this.#opts;
    const p: Pending = {
      frame: createFrame(seq, tick.simMs, o.nodes, o.gpusPerNode, tick.allreduce !== undefined),
      tick: { type: "tick", seq, ...tick },
      answered: new Uint8Array(this.blocks.length),
      remaining: this.blocks.length,
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
    // Blocks whose worker start() has not reached yet get one now (a run that never yields,
    // such as --instant, starts them all at its first tick).
    for (let i = 0; i < this.#slots.length; i++) {
      if (!this.#slots[i].worker) this.#spawn(i);
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
    for (const slot of this.#slots) this.#stop(slot);
  }

  #spawn(index: number): void {
    const slot = this.#slots[index];
    const [firstNode, nodeCount] = this.blocks[index];
    const o = this.#opts;
    const w = new Worker(o.workerUrl ?? TELEMETRY_WORKER_URL, { type: "module" });
    w.onmessage = (e: MessageEvent<FromWorker>) => this.#failIf(index, w, e.data.message);
    w.onerror = (e: ErrorEvent) => {
      e.preventDefault();
      this.#failIf(index, w, e.message);
    };
    w.onmessageerror = () => this.#failIf(index, w, "unreadable message");
    const channel = createChannel(nodeCount * o.gpusPerNode, nodeCount);
    const init: WorkerInit = {
      type: "init",
      seed: o.seed,
      gpusPerNode: o.gpusPerNode,
      firstNode,
      nodeCount,
      memTotalGiB: o.memTotalGiB,
      tdpW: o.tdpW,
      idleW: o.idleW,
      warm: slot.warmSimMs === null
        ? undefined
        : { tempC: slot.warmTempC.slice(), lastSimMs: slot.warmSimMs },
      fault: slot.fault,
      channel: channel.buffer,
    };
    slot.fault = undefined;
    w.postMessage(init);
    slot.worker = w;
    slot.channel = channel;
    slot.sent = [];
    slot.posted = slot.collected = 0;
    slot.watching = false;
  }

  /** Writes block `index`'s queued ticks into free slots of its channel and wakes its worker. */
  #post(index: number): void {
    const slot = this.#slots[index];
    const ch = slot.channel!;
    const [firstNode, nodeCount] = this.blocks[index];
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
    const [firstNode] = this.blocks[index];
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
    while (this.#open.length > 0 && this.#open[0].remaining === 0) {
      const done = this.#open.shift()!;
      done.resolve(done.frame);
    }
  }

  /** Replaces the workers that left tick `seq` (the oldest open) unanswered. */
  #failStalled(seq: number, reason: string): void {
    const p = this.#open[0];
    if (p?.frame.seq !== seq) return;
    // The stall clock restarts, for every open tick, for the replacements this round starts.
    const now = this.#opts.now();
    for (const q of this.#open) q.sinceMs = now;
    for (let i = 0; i < this.#slots.length; i++) {
      const w = this.#slots[i].worker;
      if (w && !p.answered[i]) this.#failIf(i, w, reason);
    }
  }

  /** Stops a slot's worker: released from its wait first, so that it ends at once. */
  #stop(slot: Slot): void {
    const control = slot.channel?.control;
    if (control) {
      Atomics.store(control, STOP, 1);
      Atomics.notify(control, POSTED);
      // Also settles this thread's own wait on the channel, which no one will answer now.
      Atomics.notify(control, ANSWERED);
    }
    slot.worker?.terminate();
    slot.worker = null;
    slot.channel = null;
  }

  /** Replaces worker `w` of block `index` (if it is still current) and resends its open ticks. */
  #failIf(index: number, w: Worker, reason: string): void {
    const slot = this.#slots[index];
    if (slot.worker !== w || this.#closed) return;
    // What the worker answered before it failed stands.
    this.#collect(index);
    this.#stop(slot);
    slot.failures++;
    slot.recovering = true;
    const restarting = slot.failures <= MAX_RESTARTS;
    const lost = this.#open.filter((p) => !p.answered[index]);
    const seq = lost[0]?.frame.seq ?? this.#seq;
    this.#notices.push(this.#notice(index, { kind: "fail", seq, reason, restarting }));
    if (!restarting) return this.#giveUp();
    // The replacement is handed the state after the block's last answer, then what it lost.
    this.#spawn(index);
    slot.queued = lost;
    this.#post(index);
  }

  /** Fails every open tick: a block's worker kept dying. */
  #giveUp(): void {
    const failure = this.#failure = new PoolFailure(this.#notices.at(-1)!);
    for (const p of this.#open) p.reject(failure);
    this.#open = [];
  }

  #notice(index: number, n: Omit<PoolNotice, "firstNode" | "nodeCount">): PoolNotice {
    const [firstNode, nodeCount] = this.blocks[index];
    return { firstNode, nodeCount, ...n };
  }
}
