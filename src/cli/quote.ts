/**
 * User input as error messages show it: quoted, with every character that could act on a
 * terminal (control characters, escape sequences, bidirectional overrides) written as an
 * escape, and long values shortened, so a message is always one harmless line.
 */

/** Characters shown of a value longer than MAX_SHOWN before it is cut. */
const MAX_SHOWN = 40;

/** C0 and C1 controls, DEL, and the invisible formatting marks that reorder or hide text. */
const UNSAFE_RE =
  // deno-lint-ignore no-control-regex
  /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

const NAMED: Record<string, string> = { "\n": "\\n", "\r": "\\r", "\t": "\\t", "\x1b": "\\e" };

/** `c` as an escape: \n, \e, \x07 or \u202e. */
function escapeChar(c: string): string {
  const code = c.charCodeAt(0);
  if (NAMED[c]) return NAMED[c];
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16)}`;
}

/** Escapes every character that could act on a terminal (see UNSAFE_RE) in `text`. */
export function escapeUnsafe(text: string): string {
  return text.replace(UNSAFE_RE, escapeChar);
}

/**
 * A value as an error message quotes it: `"abc"`, escapes for unsafe characters (a backslash
 * or quote in the value is escaped too), and past MAX_SHOWN characters the first ones, an
 * ellipsis and the length: `"aaaa…" (131072 characters)`.
 */
export function quoteValue(raw: string): string {
  const chars = Array.from(raw);
  const shown = chars.length > MAX_SHOWN ? chars.slice(0, MAX_SHOWN).join("") : raw;
  const body = escapeUnsafe(shown.replace(/[\\"]/g, (c) => `\\${c}`));
  return chars.length > MAX_SHOWN ? `"${body}…" (${chars.length} characters)` : `"${body}"`;
}
