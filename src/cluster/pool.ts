/**
 * The worker pool: one Web Worker per node up to a cap, each beyond that simulating a
 * contiguous block of nodes. Replies are merged in node order, so output never depends on
 * which thread answered first. Spawning is spread over event-loop turns so it never delays
 * the first line of output.
 */
import type { Sample, Tick, WorkerInit } from "./protocol.ts";

/** Merged telemetry of the whole cluster for one tick; GPU arrays are indexed by global rank. */
export interface Frame {
  seq: number;
  simMs: number;
  utilPct: Float32Array;
  tempC: Float32Array;
  memGiB: Float32Array;
  powerW: Float32Array;
  /** Per node, ms, when the tick carried an all-reduce probe. */
  allreduceMs: Float32Array | null;
}

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
}

interface Pending {
  frame: Frame;
  remaining: number;
  resolve: (f: Frame) => void;
}

/** Splits `nodes` into `workers` contiguous blocks: [firstNode, nodeCount] each. */
export function nodeBlocks(nodes: number, workers: number): Array<[number, number]> {
  const n = Math.max(1, Math.min(workers, nodes));
  const out: Array<[number, number]> = [];
  for (let w = 0; w < n; w++) {
    const first = Math.floor((w * nodes) / n);
    out.push([first, Math.floor(((w + 1) * nodes) / n) - first]);
  }
  return out;
}

const WORKER_URL = new URL("../../workers/telemetry_worker.ts", import.meta.url);

/** Owns the telemetry workers for one run. */
export class TelemetryPool {
  readonly blocks: Array<[number, number]>;
  #opts: PoolOptions;
  #workers: Worker[] = [];
  #ready: Promise<void> | null = null;
  #pending = new Map<number, Pending>();
  #seq = 0;
  #closed = false;

  constructor(opts: PoolOptions) {
    this.#opts = opts;
    this.blocks = nodeBlocks(opts.nodes, opts.maxWorkers);
  }

  /** Starts the workers, one per event-loop turn; resolves when all exist. */
  start(): Promise<void> {
    this.#ready ??= (async () => {
      for (let i = 0; i < this.blocks.length && !this.#closed; i++) {
        await new Promise((r) => setTimeout(r, 0));
        if (!this.#closed) this.#workers.push(this.#spawn(i));
      }
    })();
    return this.#ready;
  }

  #spawn(index: number): Worker {
    const [firstNode, nodeCount] = this.blocks[index];
    const w = new Worker(WORKER_URL, { type: "module" });
    const o = this.#opts;
    const init: WorkerInit = {
      type: "init",
      seed: o.seed,
      gpusPerNode: o.gpusPerNode,
      firstNode,
      nodeCount,
      memTotalGiB: o.memTotalGiB,
      tdpW: o.tdpW,
      idleW: o.idleW,
    };
    w.onmessage = (e: MessageEvent<Sample>) => this.#merge(e.data);
    w.postMessage(init);
    return w;
  }

  #merge(s: Sample): void {
    const p = this.#pending.get(s.seq);
    if (!p) return;
    const g = this.#opts.gpusPerNode;
    const at = s.firstNode * g;
    p.frame.utilPct.set(s.utilPct, at);
    p.frame.tempC.set(s.tempC, at);
    p.frame.memGiB.set(s.memGiB, at);
    p.frame.powerW.set(s.powerW, at);
    if (s.allreduceMs && p.frame.allreduceMs) p.frame.allreduceMs.set(s.allreduceMs, s.firstNode);
    if (--p.remaining === 0) {
      this.#pending.delete(s.seq);
      p.resolve(p.frame);
    }
  }

  /** Asks every worker for the tick and resolves with the merged frame. */
  async sample(tick: Omit<Tick, "type" | "seq">): Promise<Frame> {
    await this.start();
    const seq = ++this.#seq;
    const gpus = this.#opts.nodes * this.#opts.gpusPerNode;
    const frame: Frame = {
      seq,
      simMs: tick.simMs,
      utilPct: new Float32Array(gpus),
      tempC: new Float32Array(gpus),
      memGiB: new Float32Array(gpus),
      powerW: new Float32Array(gpus),
      allreduceMs: tick.allreduce ? new Float32Array(this.#opts.nodes) : null,
    };
    const done = new Promise<Frame>((resolve) => {
      this.#pending.set(seq, { frame, remaining: this.#workers.length, resolve });
    });
    const msg: Tick = { type: "tick", seq, ...tick };
    for (const w of this.#workers) w.postMessage(msg);
    return await done;
  }

  /** Ends every worker; pending samples never resolve. */
  terminate(): void {
    this.#closed = true;
    for (const w of this.#workers) w.terminate();
    this.#workers = [];
    this.#pending.clear();
  }
}
