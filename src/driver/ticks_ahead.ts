/**
 * Run-ahead: the simulation goes on while a tick's frame is on its way, and the tick's lines are
 * written later into a place kept for them in the output, so line output comes out in
 * simulation order whenever the workers answer. The live view's "place" hands the lines (and
 * the frame) straight on, at the first wake-up after the answer.
 */
import type { Frame, FrameRequest } from "../cluster/pool.ts";
import type { TickEvent } from "../sim/events.ts";
import type { LinesLater } from "../render/renderer.ts";

interface TickAhead {
  tick: TickEvent;
  request: FrameRequest;
  place: LinesLater;
  /** The driver's event count when the tick was sent. */
  sentAt: number;
}

/** Writes a tick's lines, from its frame, into the place kept for them. */
export type WriteTick = (tick: TickEvent, frame: Frame, place: LinesLater) => void;

/** Bytes of a frame's arrays. */
function frameBytes(f: Frame): number {
  const gpus = f.utilPct.byteLength + f.tempC.byteLength + f.memGiB.byteLength;
  return gpus + f.powerW.byteLength + (f.allreduceMs?.byteLength ?? 0);
}

/** Ticks whose frames are on their way, oldest first. */
export class TicksAhead {
  #open: TickAhead[] = [];
  #write: WriteTick;
  #beforeWait: () => void;
  #frameBytes = 0;

  /** `beforeWait` runs before a wait for a frame (a passive pool is told to watch then). */
  constructor(write: WriteTick, beforeWait: () => void = () => {}) {
    this.#write = write;
    this.#beforeWait = beforeWait;
  }

  /** Ticks waiting for their frames. */
  get size(): number {
    return this.#open.length;
  }

  /** Bytes of the frames of the ticks waiting (each is a whole cluster's readings). */
  get frameBytes(): number {
    return this.#frameBytes;
  }

  /** Events handled since the oldest waiting tick was sent (0 when none waits). */
  lag(events: number): number {
    return this.#open.length > 0 ? events - this.#open[0].sentAt : 0;
  }

  /** A tick sent to the pool, its place kept in the output. */
  add(tick: TickEvent, request: FrameRequest, place: LinesLater, sentAt: number): void {
    // A rejection surfaces when the tick's turn comes; until then it must not count as unhandled.
    request.done.catch(() => {});
    this.#open.push({ tick, request, place, sentAt });
    this.#frameBytes += frameBytes(request.frame);
  }

  /** Fills the places of the oldest ticks whose frames are complete, in order. */
  settleReady(): void {
    while (this.#open.length > 0 && this.#open[0].request.remaining === 0) {
      const t = this.#open.shift()!;
      this.#frameBytes -= frameBytes(t.request.frame);
      this.#write(t.tick, t.request.frame, t.place);
      t.place.close();
    }
  }

  /** Waits for the oldest tick's frame, then fills every place that can be filled. */
  async settleOldest(): Promise<void> {
    const t = this.#open[0];
    if (!t) return;
    if (t.request.remaining > 0) this.#beforeWait();
    await t.request.done;
    this.settleReady();
  }

  /** Waits for every frame and fills every place. */
  async settleAll(): Promise<void> {
    while (this.#open.length > 0) await this.settleOldest();
  }
}
