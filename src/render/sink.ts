/**
 * The output sink: the one place bytes reach stdout. Buffers small writes, writes them in
 * full, and turns a closed pipe into a quiet stop instead of a stack trace. A place in the
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
/** Written-out buffers kept for reuse, at most. */
const MAX_SPARE = 64;
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
  /** Background mode: bytes flushed and not yet handed to a write. */
  #outgoing: ByteBuffer | null = null;
  /** Background mode: the write in progress, if any, and its bytes. */
  #writing: Promise<void> | null = null;
  /** Background mode: the bytes being written; swapped with #outgoing for each write. */
  #inFlight: ByteBuffer | null = null;
  /** Background mode: an error of a write other than a closed pipe, raised at the next flush. */
  #failure: unknown = null;
  closed = false;

  constructor(out: ByteWriter, opts: SinkOptions = {}) {
    this.#out = out;
    if (opts.background && out.write) {
      this.#outgoing = new ByteBuffer();
      this.#inFlight = new ByteBuffer();
    }
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
    if (this.#buffer.length < FLUSH_AT) return;
    if (this.#waiting.length === 0) return this.flush();
    // Behind a placeholder nothing can go out before the place is filled: the stretch is kept
    // in buffers of about FLUSH_AT bytes (growing one buffer would copy it again and again).
    this.#waiting.push(this.#buffer);
    this.#buffer = this.#spare.pop() ?? new ByteBuffer();
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

  /**
   * Background mode: resolves once at most `maxBytes` flushed bytes are still unwritten (at
   * once in the blocking mode); rejects with PipeClosed once the reader has gone.
   */
  async drained(maxBytes = 0): Promise<void> {
    while (this.#writing && this.unwritten > maxBytes) await this.#writing;
    if (this.#failure) throw this.#failure;
    if (this.closed) throw new PipeClosed();
  }

  /** Flushed bytes not written yet (always 0 in the blocking mode). */
  get unwritten(): number {
    return (this.#outgoing?.length ?? 0) + (this.#inFlight?.length ?? 0);
  }

  #writeAll(from: ByteBuffer): void {
    if (from.length === 0) return;
    // Once the reader is gone every later flush says so too, wherever the first one was caught.
    if (this.closed) throw new PipeClosed();
    if (this.#failure) throw this.#failure;
    if (this.#outgoing) {
      this.#outgoing.append(from.view());
      from.clear();
      return this.#pump();
    }
    const bytes = from.view();
    from.clear();
    let offset = 0;
    try {
      while (offset < bytes.length) offset += this.#out.writeSync(bytes.subarray(offset));
    } catch (e) {
      if (!isBrokenPipe(e)) throw e;
      this.closed = true;
      throw new PipeClosed();
    }
  }

  /** Starts writing what is outgoing, unless a write is under way (it starts the next). */
  #pump(): void {
    const bytes = this.#outgoing!;
    if (this.#writing || bytes.length === 0) return;
    // Two buffers take turns: one is written while flushes gather in the other.
    this.#outgoing = this.#inFlight;
    this.#inFlight = bytes;
    this.#writing = this.#writeFully(bytes.view()).then(() => {
      bytes.clear();
      this.#writing = null;
      this.#pump();
    }, (e) => {
      bytes.clear();
      this.#writing = null;
      if (isBrokenPipe(e)) this.closed = true;
      else this.#failure = e;
    });
  }

  async #writeFully(bytes: Uint8Array): Promise<void> {
    let offset = 0;
    while (offset < bytes.length) offset += await this.#out.write!(bytes.subarray(offset));
  }
}
