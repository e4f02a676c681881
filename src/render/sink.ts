/**
 * The output sink: the one place bytes reach stdout. Buffers small writes, writes
 * synchronously in full, and turns a closed pipe into a quiet stop instead of a stack trace.
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

const FLUSH_AT = 1 << 16;

/** Buffered synchronous writer that reports a closed pipe as PipeClosed. */
export class Sink {
  #out: ByteWriter;
  #buffer = new ByteBuffer();
  closed = false;

  constructor(out: ByteWriter) {
    this.#out = out;
  }

  /** Queues text; flushes once enough has gathered. */
  write(text: string): void {
    this.#buffer.text(text);
    if (this.#buffer.length >= FLUSH_AT) this.flush();
  }

  /**
   * The buffer behind the queue, for renderers that write bytes themselves; call `wrote()`
   * after each line so the sink can flush in time.
   */
  get buffer(): ByteBuffer {
    return this.#buffer;
  }

  /** Flushes once enough has gathered (after writing into `buffer`). */
  wrote(): void {
    if (this.#buffer.length >= FLUSH_AT) this.flush();
  }

  /** Writes everything queued, in full. */
  flush(): void {
    if (this.#buffer.length === 0) return;
    // Once the reader is gone every later flush says so too, wherever the first one was caught.
    if (this.closed) throw new PipeClosed();
    const bytes = this.#buffer.view();
    this.#buffer.clear();
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
