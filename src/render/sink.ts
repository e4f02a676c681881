/**
 * The output sink: the one place bytes reach stdout. Buffers small writes, writes them in
 * full, turns a closed pipe into a quiet stop and any other failed write into one OutputError,
 * never a stack trace. A place in the
 * output can be kept for lines that come later (a telemetry frame on its way): what follows
 * waits behind it, in memory, until it is filled. In the background mode of line output, the
 * runtime writes on its own thread while the simulation goes on.
 */
import { ByteBuffer } from "./byte_buffer.ts";

/** Thrown when the reader went away (EPIPE); the driver ends the run quietly. */
export class PipeClosed extends Error {
  constructor() {
    super("stdout closed");
  }
}

/** Thrown when stdout refuses bytes for another reason (a full disk, a terminal gone). */
export class OutputError extends Error {
  constructor(cause: unknown) {
    super(`cannot write the output: ${(cause as Error)?.message ?? String(cause)}`, { cause });
  }
}

/** Something bytes can be written to (Deno.stdout, or a test double). */
export interface ByteWriter {
  writeSync(p: Uint8Array): number;
  /** Writes without blocking the caller (needed for the background mode). */
  write?(p: Uint8Array): Promise<number>;
}

/** How a sink writes. */
export interface SinkOptions {
  /**
   * Hand flushed bytes to asynchronous writes (one at a time, in order) instead of blocking
   * until the reader took them; `drained()` waits for them. For line output: the live view
   * keeps its frames synchronous.
   */
  background?: boolean;
  /** Wall-clock ms, for stalledMs() (performance.now in production); without it, always 0. */
  now?: () => number;
}

function isBrokenPipe(e: unknown): boolean {
  return e instanceof Deno.errors.BrokenPipe || (e as { code?: string }).code === "EPIPE";
}

/** Where a line renderer writes: text, or bytes straight into `buffer` followed by `wrote()`. */
export interface LineSink {
  /** Queues text. */
  write(text: string): void;
  /** The buffer to write bytes into directly; call `wrote()` after each line. */
  readonly buffer: ByteBuffer;
  /** Tells the sink a line went into `buffer`. */
  wrote(): void;
}

/** A kept place in the output; its lines go out, in their place, once it is filled. */
export interface Placeholder extends LineSink {
  /** No more lines: the place and whatever waited behind it can go out. */
  fill(): void;
}

const FLUSH_AT = 1 << 16;
/** Placeholder buffers kept for reuse, at most (fresh memory costs more than the copying). */
const MAX_SPARE = 64;
/** Starting capacity of a placeholder (a few lines; it grows as needed). */
const PLACEHOLDER_BYTES = 1 << 12;

class Kept implements Placeholder {
  filled = false;
  #onFill: () => void;

  constructor(readonly buffer: ByteBuffer, onFill: () => void) {
    this.#onFill = onFill;
  }

  write(text: string): void {
    this.buffer.text(text);
  }

  wrote(): void {}

  fill(): void {
    this.filled = true;
    this.#onFill();
  }
}

/** A place kept in the sink's buffer: its lines go in at offset `at` once it is filled. */
interface Mark {
  at: number;
  kept: Kept;
}

/** Buffered writer that reports a closed pipe as PipeClosed. */
export class Sink implements LineSink {
  #out: ByteWriter;
  /** Output not handed on yet, in order, without the lines of the places kept in it. */
  #buffer = new ByteBuffer();
  /** Where in `#buffer` the bytes not handed on yet start (what is before went out). */
  #head = 0;
  /** Places kept in `#buffer`, oldest first. */
  #marks: Mark[] = [];
  /** Placeholder buffers written out, for reuse. */
  #spare: ByteBuffer[] = [];
  /** Bytes in their final order, ready to be written. */
  #ready = new ByteBuffer();
  /** Background mode: the bytes being written (swapped with `#ready` for each write). */
  #inFlight: ByteBuffer | null = null;
  /** Background mode: the write in progress, if any. */
  #writing: Promise<void> | null = null;
  /** A write that failed other than by a closed pipe: raised by every later flush and drain. */
  #failure: OutputError | null = null;
  /** When the write under way last moved (ms on the `now` scale). */
  #movedMs = 0;
  #now: (() => number) | null;
  closed = false;

  constructor(out: ByteWriter, opts: SinkOptions = {}) {
    this.#out = out;
    this.#now = opts.now ?? null;
    if (opts.background && out.write) this.#inFlight = new ByteBuffer();
  }

  /** Queues text; flushes once enough has gathered. */
  write(text: string): void {
    this.#buffer.text(text);
    this.wrote();
  }

  /** The buffer behind the queue, for renderers that write bytes themselves. */
  get buffer(): ByteBuffer {
    return this.#buffer;
  }

  /** Flushes once enough has gathered (after writing into `buffer`). */
  wrote(): void {
    // Behind a placeholder the buffer just grows: nothing can go out before the place is filled.
    if (this.#buffer.length - this.#head >= FLUSH_AT && this.#marks.length === 0) this.flush();
  }

  /** Keeps a place for lines that come later; what is written meanwhile goes after it. */
  placeholder(): Placeholder {
    const buffer = this.#spare.pop() ?? new ByteBuffer(PLACEHOLDER_BYTES);
    const kept = new Kept(buffer, () => this.#release());
    this.#marks.push({ at: this.#buffer.length, kept });
    return kept;
  }

  /** Writes everything queued (up to the first placeholder not filled yet). */
  flush(): void {
    this.#release(true);
    const b = this.#buffer;
    if (this.#marks.length === 0 && b.length > 0) {
      // Without a place kept and nothing else ready, the buffer itself is written: no copy.
      if (this.#head === 0 && this.#ready.length === 0 && !this.#inFlight) {
        return this.#writeSync(b);
      }
      this.#ready.append(b.bytes.subarray(this.#head, b.length));
      b.clear();
      this.#head = 0;
    }
    this.#send();
  }

  /**
   * Background mode: resolves once at most `maxBytes` flushed bytes are still unwritten (at
   * once in the blocking mode); rejects with PipeClosed once the reader has gone.
   */
  async drained(maxBytes = 0): Promise<void> {
    while (this.#writing && this.unwritten > maxBytes) await this.#writing;
    if (this.#failure) throw this.#failure;
    if (this.closed) throw new PipeClosed();
  }

  /** Bytes in memory not written yet: held behind kept places, flushed, or being written. */
  get backlog(): number {
    return this.#buffer.length - this.#head + this.unwritten;
  }

  /** Flushed bytes not written yet (always 0 in the blocking mode). */
  get unwritten(): number {
    return this.#ready.length + (this.#writing ? this.#inFlight!.length : 0);
  }

  /**
   * Background mode: ms since the write under way last moved, or 0 when none is under way. A
   * reader that takes nothing (a paused terminal, `| sleep 40`) keeps it growing.
   */
  stalledMs(): number {
    return this.#writing && this.#now ? this.#now() - this.#movedMs : 0;
  }

  /**
   * Drops every byte not handed to a write yet (the run is ending and its output may go), then
   * writes `last` (e.g. the bytes that hand the terminal back) once the write under way is done.
   * Resolves when `last` is written or, for a reader that takes nothing, after `waitMs` (in
   * the background mode: a blocking write cannot be cut short); never throws.
   */
  async abandon(last: string, waitMs: number): Promise<void> {
    this.#buffer.clear();
    this.#head = 0;
    this.#marks = [];
    this.#ready.clear();
    if (last !== "") this.#ready.text(last);
    await this.settle(waitMs);
  }

  /**
   * Writes everything queued and waits, at most `waitMs`, until it is written; never throws
   * (a failed or closed output has nothing left to wait for).
   */
  async settle(waitMs: number): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, waitMs)));
    const written = (async () => {
      this.flush();
      await this.drained(0);
    })().catch(() => {});
    try {
      await Promise.race([written, late]);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Moves the filled places at the front, with what comes before each, to the ready bytes; with
   * `all`, also what comes before the first place not filled yet.
   */
  #release(all = false): void {
    const b = this.#buffer, marks = this.#marks;
    const from = this.#head;
    while (marks.length > 0 && marks[0].kept.filled) {
      const { at, kept } = marks.shift()!;
      this.#ready.append(b.bytes.subarray(this.#head, at));
      this.#ready.append(kept.buffer.view());
      kept.buffer.clear();
      if (this.#spare.length < MAX_SPARE) this.#spare.push(kept.buffer);
      this.#head = at;
    }
    if (all && marks.length > 0 && marks[0].at > this.#head) {
      this.#ready.append(b.bytes.subarray(this.#head, marks[0].at));
      this.#head = marks[0].at;
    }
    if (this.#head === from) return;
    // The bytes still held move to the front once most of the buffer has gone out (moving
    // them at every release would copy a long run-ahead over and over).
    if (marks.length > 0 && this.#head >= b.length / 2) {
      b.bytes.copyWithin(0, this.#head, b.length);
      b.length -= this.#head;
      for (const m of marks) m.at -= this.#head;
      this.#head = 0;
    }
    if (this.#ready.length >= FLUSH_AT) this.#send();
  }

  /** Hands the ready bytes on: a write now, or the background write's turn. */
  #send(): void {
    if (this.#failure) throw this.#failure;
    if (this.closed) throw new PipeClosed();
    if (this.#inFlight) this.#pump();
    else if (this.#ready.length > 0) this.#writeSync(this.#ready);
  }

  /** Writes `from` in full and clears it. */
  #writeSync(from: ByteBuffer): void {
    // Once the reader is gone every later flush says so too, wherever the first one was caught.
    if (this.#failure) throw this.#failure;
    if (this.closed) throw new PipeClosed();
    const bytes = from.view();
    from.clear();
    let offset = 0;
    try {
      while (offset < bytes.length) offset += this.#out.writeSync(bytes.subarray(offset));
    } catch (e) {
      this.#fail(e);
    }
  }

  /** Records why a write failed and throws what the caller should hear. */
  #fail(e: unknown): never {
    if (isBrokenPipe(e)) {
      this.closed = true;
      throw new PipeClosed();
    }
    throw (this.#failure = new OutputError(e));
  }

  /** Starts writing the ready bytes, unless a write is under way (it starts the next). */
  #pump(): void {
    const bytes = this.#ready;
    if (this.#writing || bytes.length === 0) return;
    // Two buffers take turns: one is written while flushes gather in the other.
    this.#ready = this.#inFlight!;
    this.#inFlight = bytes;
    this.#movedMs = this.#now?.() ?? 0;
    this.#writing = this.#writeFully(bytes.view()).then(() => {
      bytes.clear();
      this.#writing = null;
      if (!this.closed && !this.#failure) this.#pump();
    }, (e) => {
      bytes.clear();
      this.#writing = null;
      try {
        this.#fail(e);
      } catch { /* raised by the next flush or drain */ }
    });
  }

  async #writeFully(bytes: Uint8Array): Promise<void> {
    let offset = 0;
    while (offset < bytes.length) {
      offset += await this.#out.write!(bytes.subarray(offset));
      this.#movedMs = this.#now?.() ?? 0;
    }
  }
}
