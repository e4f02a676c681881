/**
 * A growable buffer of output bytes that renderers write into directly: ASCII text and digits
 * go in byte by byte, which costs far less per line than building, joining and encoding strings.
 */

/**
 * Starting capacity: a flush's worth of bytes (64 KiB) and a long line. Under 128 KiB, where
 * the C allocator would map (and later unmap) fresh pages for every buffer.
 */
const MIN_BYTES = 80 << 10;
/** Longest text copied char by char; longer text goes through TextEncoder.encodeInto. */
const COPY_MAX = 96;

/** The four ASCII digits of every number 0000–9999, back to back (a constant table). */
export const DIGITS4 = new Uint8Array(40_000);
{
  // Nested counting loops, no division: this runs at start-up, before any JIT.
  let i = 0;
  for (let a = 48; a < 58; a++) {
    for (let b = 48; b < 58; b++) {
      for (let c = 48; c < 58; c++) {
        for (let d = 48; d < 58; d++) {
          DIGITS4[i++] = a;
          DIGITS4[i++] = b;
          DIGITS4[i++] = c;
          DIGITS4[i++] = d;
        }
      }
    }
  }
}

/** Copies `src` to `out` at `at` (a few bytes, one by one: no call into the runtime); returns the end. */
export function putBytes(out: Uint8Array, at: number, src: Uint8Array): number {
  for (let i = 0; i < src.length; i++) out[at++] = src[i];
  return at;
}

/** Bytes prepared for copying four at a time: little-endian words, zero-padded, and a length. */
export interface Packed {
  readonly words: Uint32Array;
  readonly length: number;
}

/** Packs `bytes` for putPacked. */
export function pack(bytes: Uint8Array): Packed {
  const padded = new Uint8Array(Math.ceil(bytes.length / 4) * 4);
  padded.set(bytes);
  const view = new DataView(padded.buffer);
  const words = new Uint32Array(padded.length / 4);
  for (let i = 0; i < words.length; i++) words[i] = view.getUint32(4 * i, true);
  return { words, length: bytes.length };
}

/**
 * Writes packed bytes at `at` through `data` (a view of the output, with 3 bytes to spare after
 * them: the last word's padding lands there and is overwritten next); returns the end.
 */
export function putPacked(data: DataView, at: number, p: Packed): number {
  const w = p.words;
  for (let i = 0; i < w.length; i++) data.setUint32(at + 4 * i, w[i], true);
  return at + p.length;
}

/** Output bytes gathered before a write. */
export class ByteBuffer {
  bytes: Uint8Array;
  length = 0;
  #encoder = new TextEncoder();

  /** A buffer with room for `capacity` bytes to start with (it grows as needed). */
  constructor(capacity = MIN_BYTES) {
    this.bytes = new Uint8Array(capacity);
    this.data = new DataView(this.bytes.buffer);
  }

  /** The same bytes as a DataView (for putPacked); replaced with `bytes` when the buffer grows. */
  data: DataView;

  /** Makes room for `n` more bytes. */
  reserve(n: number): void {
    if (this.length + n <= this.bytes.length) return;
    const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.length + n));
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
    this.data = new DataView(grown.buffer);
  }

  /** The bytes gathered so far (a view, valid until the next write). */
  view(): Uint8Array {
    return this.bytes.subarray(0, this.length);
  }

  /** Forgets every byte gathered. */
  clear(): void {
    this.length = 0;
  }

  /** One byte. */
  byte(b: number): void {
    this.reserve(1);
    this.bytes[this.length++] = b;
  }

  /** Bytes prepared earlier (short ones: copied one by one). */
  copy(src: Uint8Array): void {
    this.reserve(src.length);
    this.length = putBytes(this.bytes, this.length, src);
  }

  /** Bytes of any length (copied as a block). */
  append(src: Uint8Array): void {
    this.reserve(src.length);
    this.bytes.set(src, this.length);
    this.length += src.length;
  }

  /** Any text, as UTF-8. */
  text(s: string): void {
    this.reserve(s.length * 3);
    if (s.length <= COPY_MAX && this.#copyAscii(s)) return;
    this.length += this.#encoder.encodeInto(s, this.bytes.subarray(this.length)).written;
  }

  /** Copies `s` if it is all printable ASCII without `"` or `\`; false (nothing kept) if not. */
  plain(s: string): boolean {
    this.reserve(s.length);
    const out = this.bytes, at = this.length;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x20 || c > 0x7e || c === 0x22 || c === 0x5c) return false;
      out[at + i] = c;
    }
    this.length = at + s.length;
    return true;
  }

  #copyAscii(s: string): boolean {
    const out = this.bytes, at = this.length;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c > 0x7f) return false;
      out[at + i] = c;
    }
    this.length = at + s.length;
    return true;
  }
}
