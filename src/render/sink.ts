/**
 * The output sink: the one place bytes reach stdout. Buffers small writes, writes
 * synchronously in full, and turns a closed pipe into a quiet stop instead of a stack trace.
 * A place in the output can be kept for lines that come later (a telemetry frame on its way):
 * what follows waits behind it, in memory, until it is filled.
 */
import { ByteBuffer } from "./byte_buffer.ts";

/** Thrown when the reader went away (EPIPE); the driver ends the run quietly. */
export class PipeClosed extends Error {
  constructor() {
    super("stdout closed");
  }
}

/** Something bytes can be written to synchronously (Deno.stdout, or a test double). */
export interface ByteWriter {
  writeSync(p: Uint8Array): number;
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
/** Written-out buffers kept for reuse, at most. */
const MAX_SPARE = 16;
/** Starting capacity of a placeholder (a few lines; it grows as needed). */
const PLACEHOLDER_BYTES = 1 << 12;

class Kept implements Placeholder {
  readonly buffer = new ByteBuffer(PLACEHOLDER_BYTES);
  filled = false;
  #onFill: () => void;

  constructor(onFill: () => void) {
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

/** Buffered synchronous writer that reports a closed pipe as PipeClosed. */
export class Sink implements LineSink {
  #out: ByteWriter;
  #buffer = new ByteBuffer();
  /** Output before `#buffer` that waits behind an unfilled placeholder, oldest first. */
  #waiting: Array<ByteBuffer | Kept> = [];
  /** Buffers written out, kept for reuse (allocating and zeroing a new one costs). */
  #spare: ByteBuffer[] = [];
  closed = false;

  constructor(out: ByteWriter) {
    this.#out = out;
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
    if (this.#buffer.length >= FLUSH_AT && this.#waiting.length === 0) this.flush();
  }

  /** Keeps a place for lines that come later; what is written meanwhile goes after it. */
  placeholder(): Placeholder {
    const kept = new Kept(() => this.#release());
    if (this.#buffer.length > 0) {
      this.#waiting.push(this.#buffer);
      this.#buffer = this.#spare.pop() ?? new ByteBuffer();
    }
    this.#waiting.push(kept);
    return kept;
  }

  /** Writes everything queued, in full (up to the first placeholder not filled yet). */
  flush(): void {
    this.#release();
    if (this.#waiting.length > 0 || this.#buffer.length === 0) return;
    this.#writeAll(this.#buffer);
  }

  /** Writes what waited, from the front, up to the first placeholder not filled yet. */
  #release(): void {
    while (this.#waiting.length > 0) {
      const first = this.#waiting[0];
      if (first instanceof Kept) {
        if (!first.filled) return;
        this.#waiting.shift();
        this.#writeAll(first.buffer);
      } else {
        this.#waiting.shift();
        this.#writeAll(first);
        if (this.#spare.length < MAX_SPARE) this.#spare.push(first);
      }
    }
  }

  #writeAll(from: ByteBuffer): void {
    if (from.length === 0) return;
    // Once the reader is gone every later flush says so too, wherever the first one was caught.
    if (this.closed) throw new PipeClosed();
    const bytes = from.view();
    from.clear();
    let offset = 0;
    try {
      while (offset < bytes.length) offset += this.#out.writeSync(bytes.subarray(offset));
    } catch (e) {
      if (e instanceof Deno.errors.BrokenPipe || (e as { code?: string }).code === "EPIPE") {
        this.closed = true;
        throw new PipeClosed();
      }
      throw e;
    }
  }
}
