/**
 * A job's output captured to a file (`> train.log 2>&1`) and read back with universal
 * newlines: a lone CR breaks a line as LF does, CR LF is one break, escape sequences are gone.
 * The process writes raw bytes: stderr (tqdm's `\r` frames, logging) reaches the file at once;
 * stdout (the Trainer's dicts, `print`, the example script's logger) is block-buffered and
 * reaches it when 8 KiB are pending, at an explicit flush or at exit. The last, unfinished
 * line is held back, since the next write may continue it (a log line glued to a bar frame).
 */

/** Bytes Python's TextIOWrapper holds for a file before it writes them (its chunk size). */
export const STDOUT_CHUNK = 8192;

/** The captured log of one run. */
export class CapturedLog {
  #partial = "";
  #afterCr = false;
  #pendingOut = "";
  #lines: string[] = [];

  /** `buffered`: stdout is a file without `python -u` or PYTHONUNBUFFERED. */
  constructor(readonly buffered: boolean) {}

  /** Raw text on stderr (unbuffered). */
  err(text: string): void {
    this.#file(text);
  }

  /** Raw text on stdout: buffered until a chunk is full, when the capture buffers. */
  out(text: string): void {
    if (!this.buffered) return this.#file(text);
    this.#pendingOut += text;
    if (this.#pendingOut.length >= STDOUT_CHUNK) this.flushOut();
  }

  /** Writes what stdout holds (an explicit flush, a traceback, the interpreter's exit). */
  flushOut(): void {
    const text = this.#pendingOut;
    this.#pendingOut = "";
    if (text) this.#file(text);
  }

  /** Whether stdout holds text not yet in the file. */
  get pendingOut(): boolean {
    return this.#pendingOut.length > 0;
  }

  /** The lines completed since the last call, joined by "\n" ("" when none). */
  take(): string {
    const out = this.#lines.join("\n");
    this.#lines = [];
    return out;
  }

  /** Ends the file: the unfinished line counts as a line. */
  close(): void {
    if (this.#partial !== "") this.#lines.push(this.#partial);
    this.#partial = "";
  }

  #file(text: string): void {
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c !== 13 && c !== 10) continue;
      this.#text(text.slice(start, i));
      start = i + 1;
      if (c === 13) {
        this.#lines.push(this.#partial);
        this.#partial = "";
        this.#afterCr = true;
      } else if (this.#afterCr) {
        this.#afterCr = false;
      } else {
        this.#lines.push(this.#partial);
        this.#partial = "";
      }
    }
    this.#text(text.slice(start));
  }

  #text(s: string): void {
    if (s === "") return;
    // Cursor movement (a nested bar's ESC[A) leaves no trace in a line-oriented reading.
    this.#partial += s.includes("\x1b") ? s.replaceAll("\x1b[A", "") : s;
    this.#afterCr = false;
  }
}
