/** ANSI escape sequences as tiny pure functions, and width-aware cropping of styled text. */

const ESC = "\x1b[";

/** Cursor and screen control sequences. */
export const ansi = {
  hideCursor: `${ESC}?25l`,
  showCursor: `${ESC}?25h`,
  syncStart: `${ESC}?2026h`,
  syncEnd: `${ESC}?2026l`,
  clearBelow: `${ESC}J`,
  clearScreen: `${ESC}2J`,
  home: `${ESC}H`,
  clearLine: `${ESC}2K`,
  up: (n: number) => (n > 0 ? `${ESC}${n}A` : ""),
  down: (n: number) => (n > 0 ? `${ESC}${n}B` : ""),
  col0: "\r",
  reset: `${ESC}0m`,
} as const;

/** SGR colour codes used by the live view. */
export type Color =
  | "red"
  | "green"
  | "yellow"
  | "blue"
  | "magenta"
  | "cyan"
  | "gray"
  | "bold"
  | "dim";

const SGR: Record<Color, string> = {
  red: "31",
  green: "32",
  yellow: "33",
  blue: "34",
  magenta: "35",
  cyan: "36",
  gray: "90",
  bold: "1",
  dim: "2",
};

/** Paints text with `color` when `enabled`; otherwise returns it unchanged. */
export function paint(text: string, color: Color, enabled: boolean): string {
  return enabled && text ? `${ESC}${SGR[color]}m${text}${ESC}0m` : text;
}

// deno-lint-ignore no-control-regex
const ESCAPE_RE = /\x1b\[[0-9;?]*[A-Za-z]/g;

/** Removes escape sequences. */
export function stripAnsi(text: string): string {
  return text.replace(ESCAPE_RE, "");
}

/**
 * Index just past the escape sequence (ESC [ parameters letter, as ESCAPE_RE matches) that
 * starts at `i`, or -1 when none starts there. Scans without allocating: frames call it on
 * every line.
 */
function escapeEnd(text: string, i: number): number {
  if (text.charCodeAt(i) !== 0x1b || text.charCodeAt(i + 1) !== 0x5b) return -1;
  for (let j = i + 2; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if ((c >= 0x30 && c <= 0x39) || c === 0x3b || c === 0x3f) continue; // 0-9 ; ?
    return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) ? j + 1 : -1; // A-Z a-z
  }
  return -1;
}

/** Index just past the first `width` visible characters of `text` (its length if fewer). */
function visibleEnd(text: string, width: number): number {
  let seen = 0, i = 0;
  while (i < text.length && seen < width) {
    const end = text.charCodeAt(i) === 0x1b ? escapeEnd(text, i) : -1;
    if (end < 0) (i++, seen++);
    else i = end;
  }
  return i;
}

/** Visible width of text whose characters are all single-cell (ASCII, box drawing, blocks). */
export function visibleWidth(text: string): number {
  let width = 0;
  for (let i = 0; i < text.length;) {
    const end = text.charCodeAt(i) === 0x1b ? escapeEnd(text, i) : -1;
    if (end < 0) (i++, width++);
    else i = end;
  }
  return width;
}

/** Crops styled text to `width` visible cells, keeping escape sequences and ending with a reset. */
export function crop(text: string, width: number): string {
  // Escape sequences only add length, so a string no longer than `width` fits as it is.
  if (text.length <= width || visibleWidth(text) <= width) return text;
  const out = text.slice(0, visibleEnd(text, width));
  return out.includes("\x1b") ? out + ansi.reset : out;
}
