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

/** Visible width of text whose characters are all single-cell (ASCII, box drawing, blocks). */
export function visibleWidth(text: string): number {
  return stripAnsi(text).length;
}

/** Crops styled text to `width` visible cells, keeping escape sequences and ending with a reset. */
export function crop(text: string, width: number): string {
  // Escape sequences only add length, so a string no longer than `width` fits as it is.
  if (text.length <= width || visibleWidth(text) <= width) return text;
  let out = "", seen = 0, i = 0;
  while (i < text.length && seen < width) {
    if (text[i] === "\x1b") {
      // deno-lint-ignore no-control-regex
      const m = /^\x1b\[[0-9;?]*[A-Za-z]/.exec(text.slice(i));
      if (m) {
        out += m[0];
        i += m[0].length;
        continue;
      }
    }
    out += text[i++];
    seen++;
  }
  return out.includes("\x1b") ? out + ansi.reset : out;
}
