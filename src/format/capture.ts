/**
 * A job's output file as a log viewer shows it: what the processes wrote, in order, broken into
 * lines at every `\r` and `\n` (a `\r\n` pair is one break), cursor-movement escapes dropped. So
 * each tqdm refresh reads as its own line, a log line written after a refresh that ended without
 * a newline continues that refresh's line, and a refresh written right after a newline leaves an
 * empty line before it.
 */

/** The lines of a stream so far, and the line still being written. */
export interface Capture {
  lines: string[];
  open: string;
  /** Whether the last character written was `\r` (a `\n` right after it adds no break). */
  afterCr: boolean;
}

/** An empty stream. */
export function createCapture(): Capture {
  return { lines: [], open: "", afterCr: false };
}

// The escape byte itself is what the pattern looks for.
// deno-lint-ignore no-control-regex
const ESCAPE = /\x1b\[[0-9;]*[A-Za-z]/g;

function endLine(c: Capture): void {
  c.lines.push(c.open.includes("\x1b") ? c.open.replace(ESCAPE, "") : c.open);
  c.open = "";
}

/** Appends what a process wrote. */
export function captureWrite(c: Capture, text: string): void {
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch !== 13 && ch !== 10) continue;
    c.open += text.slice(from, i);
    from = i + 1;
    if (ch === 10 && c.afterCr && c.open === "") {
      c.afterCr = false;
      continue;
    }
    endLine(c);
    c.afterCr = ch === 13;
  }
  if (from < text.length) {
    c.open += text.slice(from);
    c.afterCr = false;
  }
}

/** Takes the lines completed so far (the line being written stays). */
export function captureTake(c: Capture): string[] {
  const out = c.lines;
  c.lines = [];
  return out;
}

/** Takes every line, the unfinished one too (the end of the file). */
export function captureFlush(c: Capture): string[] {
  if (c.open !== "") endLine(c);
  return captureTake(c);
}
