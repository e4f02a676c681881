/**
 * Run-ahead for telemetry: the simulation goes on while a tick's frame is on its way, and the
 * events it yields meanwhile wait here. They are handed on strictly in simulation order, each
 * tick once its frame has arrived, so the output never depends on when the workers answer.
 */
import type { Frame } from "../cluster/pool.ts";
import type { SimEvent, TickEvent } from "../sim/events.ts";

/** A tick whose frame is on its way. */
interface HeldTick {
  tick: TickEvent;
  frame: Promise<Frame>;
  /** Set once the frame has arrived. */
  ready: Frame | null;
}

type Held = Exclude<SimEvent, TickEvent> | HeldTick;

/** What the driver does with each event once it is due. */
export interface EventHandlers {
  event(ev: Exclude<SimEvent, TickEvent>): void;
  tick(ev: TickEvent, frame: Frame): void;
}

/** Events held behind ticks in flight, oldest first. */
export class HeldEvents {
  #items: Held[] = [];
  #head = 0;
  #handlers: EventHandlers;

  constructor(handlers: EventHandlers) {
    this.#handlers = handlers;
  }

  /** Events waiting (ticks included). */
  get size(): number {
    return this.#items.length - this.#head;
  }

  /** Hands on `ev` now if nothing waits before it, else queues it. */
  event(ev: Exclude<SimEvent, TickEvent>): void {
    if (this.size === 0) this.#handlers.event(ev);
    else this.#items.push(ev);
  }

  /** Queues a tick behind everything waiting; its frame is awaited in order. */
  tick(tick: TickEvent, frame: Promise<Frame>): void {
    const held: HeldTick = { tick, frame, ready: null };
    // A rejection surfaces when the tick's turn comes; until then it must not count as unhandled.
    frame.then((f) => (held.ready = f), () => {});
    this.#items.push(held);
  }

  /** Hands on every event from the front whose turn has come, without waiting. */
  release(): void {
    while (this.size > 0) {
      const item = this.#items[this.#head];
      if ("frame" in item) {
        if (!item.ready) return;
        this.#shift();
        this.#handlers.tick(item.tick, item.ready);
      } else {
        this.#shift();
        this.#handlers.event(item);
      }
    }
  }

  /** Hands on everything waiting, awaiting each frame in turn. */
  async drain(): Promise<void> {
    while (this.size > 0) {
      const item = this.#items[this.#head];
      if ("frame" in item && !item.ready) item.ready = await item.frame;
      this.release();
    }
  }

  /** Waits for the oldest tick's frame, then hands on what is due. */
  async releaseOldest(): Promise<void> {
    this.release();
    const item = this.#items[this.#head];
    if (item && "frame" in item) item.ready = await item.frame;
    this.release();
  }

  #shift(): void {
    this.#head++;
    if (this.#head === this.#items.length) (this.#items = []), (this.#head = 0);
  }
}
