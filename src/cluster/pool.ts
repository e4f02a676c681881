/**
 * The worker pool: one Web Worker per node up to a cap, each beyond that simulating a
 * contiguous block of nodes. The main thread never computes telemetry. Several ticks may be
 * open at once (workers answer in order); a dead worker is replaced, handed its block's state
 * after the last tick that block answered and sent every open tick it had not answered, so no
 * tick is lost and a frame never depends on which thread answered or when. The pool reports
 * failures and recoveries as notices.
 */
import { createFrame, type Frame, mergeSample, nodeBlocks } from "./frame.ts";
import type { PoolNotice } from "./notice.ts";
import type { Fault, FromWorker, Sample, Tick, WarmState, WorkerInit } from "./protocol.ts";
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
  /** Wall ms a worker may take to answer a tick before it counts as dead (default 5000). */
  stallMs?: number;
  /** Failures to inject into the first worker of a block, by block index (tests only). */
  faults?: Readonly<Record<number, Fault>>;
  /** The worker's code (tests only; by default the telemetry worker). */
  workerUrl?: string;
}

/** Wall ms a worker may stay silent on a tick before the pool replaces it. */
const DEFAULT_STALL_MS = 5000;
/** Failures in a row of one block after which the pool gives up (the run cannot go on). */
const MAX_RESTARTS = 3;

interface Slot {
  worker: Worker | null;
  /** Whether the worker has been sent its init. */
  synced: boolean;
  /** Failures since the block last answered from a worker. */
  failures: number;
  /** Between a failure and the replacement's first answer. */
  recovering: boolean;
  /** The block's state after the last tick it answered (handed to a replacement). */
  warm?: WarmState;
  fault?: Fault;
}

interface Pending {
  frame: Frame;
  tick: Tick;
  answered: Uint8Array;
  remaining: number;
  resolve: (f: Frame) => void;
  reject: (e: Error) => void;
  timer: ReturnType<typeof setTimeout> | null;
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
  /** Ticks sent and not yet answered by every block, oldest first (consecutive seqs). */
  #open: Pending[] = [];
  #notices: PoolNotice[] = [];
  #seq = 0;
  #closed = false;
  /** Set once a block's worker kept failing: every later tick fails with it. */
  #failure: PoolFailure | null = null;

  constructor(opts: PoolOptions) {
    this.#opts = opts;
    this.blocks = nodeBlocks(opts.nodes, opts.maxWorkers);
    this.#slots = this.blocks.map((_, i) => ({
      worker: null,
      synced: false,
      failures: 0,
      recovering: false,
      fault: opts.faults?.[i],
    }));
  }

  /** Starts the workers, one per event-loop turn; resolves when every block has one. */
  start(): Promise<void> {
    this.#ready ??= (async () => {
      for (let i = 0; i < this.#slots.length && !this.#closed; i++) {
        await new Promise((r) => setTimeout(r, 0));
        const slot = this.#slots[i];
        if (!this.#closed && !slot.worker && slot.failures === 0) slot.worker = this.#spawn(i);
      }
    })();
    return this.#ready;
  }

  /**
   * Asks every block's worker for the tick and resolves with the merged frame. Ticks may be
   * asked for before earlier ones are answered; their frames resolve in the order asked.
   */
  sample(tick: Omit<Tick, "type" | "seq">): Promise<Frame> {
    if (this.#failure) return Promise.reject(this.#failure);
    // Blocks whose worker start() has not reached yet get one now (a run that never yields,
    // such as --instant, starts them all at its first tick).
    for (let i = 0; i < this.#slots.length; i++) {
      if (!this.#slots[i].worker) this.#slots[i].worker = this.#spawn(i);
    }
    const seq = ++this.#seq;
    const o = this.#opts;
    const p: Pending = {
      frame: createFrame(seq, tick.simMs, o.nodes, o.gpusPerNode, tick.allreduce !== undefined),
      tick: { type: "tick", seq, ...tick },
      answered: new Uint8Array(this.blocks.length),
      remaining: this.blocks.length,
      resolve: () => {},
      reject: () => {},
      timer: null,
    };
    const done = new Promise<Frame>((
      resolve,
      reject,
    ) => ((p.resolve = resolve), (p.reject = reject)));
    this.#open.push(p);
    for (let i = 0; i < this.#slots.length; i++) this.#post(i, p.tick);
    if (this.#open.length === 1) this.#watch(p);
    return done;
  }

  /** Failures and recoveries since the last call up to tick `throughSeq`, oldest first. */
  takeNotices(throughSeq = Infinity): PoolNotice[] {
    const out = this.#notices.filter((n) => n.seq <= throughSeq);
    if (out.length > 0) this.#notices = this.#notices.filter((n) => n.seq > throughSeq);
    return out;
  }

  /** Ends every worker; open ticks never resolve. */
  terminate(): void {
    this.#closed = true;
    for (const p of this.#open) if (p.timer) clearTimeout(p.timer);
    this.#open = [];
    for (const slot of this.#slots) slot.worker?.terminate();
    for (const slot of this.#slots) slot.worker = null;
  }

  #spawn(index: number): Worker {
    const w = new Worker(this.#opts.workerUrl ?? TELEMETRY_WORKER_URL, { type: "module" });
    w.onmessage = (e: MessageEvent<FromWorker>) => this.#receive(index, w, e.data);
    w.onerror = (e: ErrorEvent) => {
      e.preventDefault();
      this.#failIf(index, w, e.message);
    };
    w.onmessageerror = () => this.#failIf(index, w, "unreadable message");
    this.#slots[index].synced = false;
    return w;
  }

  /** The init of block `index`, carrying the block's state after the last tick it answered. */
  #init(index: number): WorkerInit {
    const [firstNode, nodeCount] = this.blocks[index];
    const o = this.#opts;
    const warm = this.#slots[index].warm;
    return {
      type: "init",
      seed: o.seed,
      gpusPerNode: o.gpusPerNode,
      firstNode,
      nodeCount,
      memTotalGiB: o.memTotalGiB,
      tdpW: o.tdpW,
      idleW: o.idleW,
      // A copy: the init's array is handed over to the worker.
      warm: warm ? { tempC: warm.tempC.slice(), lastSimMs: warm.lastSimMs } : undefined,
    };
  }

  #post(index: number, tick: Tick): void {
    const slot = this.#slots[index];
    const w = slot.worker!;
    if (!slot.synced) {
      const init = { ...this.#init(index), fault: slot.fault };
      slot.fault = undefined;
      slot.synced = true;
      w.postMessage(init, init.warm ? [init.warm.tempC.buffer as ArrayBuffer] : []);
    }
    w.postMessage(tick);
  }

  #accept(index: number, s: Sample): void {
    const head = this.#open[0];
    const p = head ? this.#open[s.seq - head.frame.seq] : undefined;
    if (!p || p.frame.seq !== s.seq || p.answered[index]) return;
    p.answered[index] = 1;
    mergeSample(p.frame, s, this.#opts.gpusPerNode);
    this.#slots[index].warm = { tempC: s.tempC, lastSimMs: p.tick.simMs };
    if (--p.remaining > 0) return;
    // Blocks answer in order, so the oldest open tick finishes first; frames resolve in order.
    while (this.#open.length > 0 && this.#open[0].remaining === 0) {
      const done = this.#open[0];
      this.#settle(done);
      done.resolve(done.frame);
    }
  }

  #settle(p: Pending): void {
    if (p.timer) clearTimeout(p.timer);
    this.#open.shift();
    if (this.#open.length > 0) this.#watch(this.#open[0]);
  }

  /** Starts the stall clock of the oldest open tick. */
  #watch(p: Pending): void {
    p.timer = setTimeout(() => this.#stalled(p), this.#opts.stallMs ?? DEFAULT_STALL_MS);
  }

  #receive(index: number, w: Worker, msg: FromWorker): void {
    const slot = this.#slots[index];
    if (slot.worker !== w) return;
    if (msg.type === "failure") return this.#failIf(index, w, msg.message);
    slot.failures = 0;
    if (slot.recovering) {
      slot.recovering = false;
      this.#notices.push(
        this.#notice(index, { kind: "recover", seq: msg.seq, reason: "", restarting: false }),
      );
    }
    this.#accept(index, msg);
  }

  #stalled(p: Pending): void {
    if (this.#open[0] !== p) return;
    // The stall clock restarts for the replacements this round starts.
    this.#watch(p);
    const stallMs = this.#opts.stallMs ?? DEFAULT_STALL_MS;
    for (let i = 0; i < this.#slots.length; i++) {
      const w = this.#slots[i].worker;
      if (w && !p.answered[i]) this.#failIf(i, w, `no answer within ${stallMs} ms`);
    }
  }

  /** Replaces worker `w` of block `index` (if it is still current) and resends its open ticks. */
  #failIf(index: number, w: Worker, reason: string): void {
    const slot = this.#slots[index];
    if (slot.worker !== w || this.#closed) return;
    w.terminate();
    slot.worker = null;
    slot.failures++;
    slot.recovering = true;
    const restarting = slot.failures <= MAX_RESTARTS;
    const lost = this.#open.filter((p) => !p.answered[index]);
    const seq = lost[0]?.frame.seq ?? this.#seq;
    this.#notices.push(this.#notice(index, { kind: "fail", seq, reason, restarting }));
    if (!restarting) return this.#giveUp();
    // The replacement is handed the state after the block's last answer, then what it lost.
    slot.worker = this.#spawn(index);
    for (const p of lost) this.#post(index, p.tick);
  }

  /** Fails every open tick: a block's worker kept dying. */
  #giveUp(): void {
    const failure = this.#failure = new PoolFailure(this.#notices.at(-1)!);
    for (const p of this.#open) {
      if (p.timer) clearTimeout(p.timer);
      p.reject(failure);
    }
    this.#open = [];
  }

  #notice(index: number, n: Omit<PoolNotice, "firstNode" | "nodeCount">): PoolNotice {
    const [firstNode, nodeCount] = this.blocks[index];
    return { firstNode, nodeCount, ...n };
  }
}
