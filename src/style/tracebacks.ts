/**
 * Tracebacks as the runtimes print them: Python's (with 3.11's caret lines under the failing
 * expression) and c10's C++ frame dumps (`frame #k: symbol + 0xoff (0xaddr in lib)`), whose
 * addresses are each library's load address in that process (proc_maps.ts) plus a fixed offset.
 */
import { mix32 } from "../sim/rng.ts";
import { libBase, libSize } from "./proc_maps.ts";

/** One Python frame: file, line, function, source text and the caret span (3.11+), if any. */
export interface PyFrame {
  file: string;
  line: number;
  fn: string;
  code: string;
  /** Columns of the failing expression within `code`: [start, length]. */
  caret?: [number, number];
}

/**
 * A Python traceback's lines, ending with the exception line(s). Python 3.11+ (`carets`) marks
 * the failing expression, unless it is the whole line.
 */
export function pyTraceback(
  frames: readonly PyFrame[],
  exception: string,
  carets: boolean,
): string[] {
  const out = ["Traceback (most recent call last):"];
  for (const f of frames) {
    out.push(`  File "${f.file}", line ${f.line}, in ${f.fn}`);
    // Frozen modules have no source to show.
    if (f.code !== "") out.push(`    ${f.code}`);
    const whole = f.caret && f.caret[0] === 0 && f.caret[1] >= f.code.length;
    if (carets && f.caret && !whole) {
      out.push(`    ${" ".repeat(f.caret[0])}${"^".repeat(f.caret[1])}`);
    }
  }
  return [...out, ...exception.split("\n")];
}

/** The span of the call `call(...)` in `code`: from its name to its matching parenthesis. */
export function callSpan(code: string, call: string): [number, number] {
  const at = code.indexOf(call);
  // The call's own parenthesis: after its name (`a(x).b` calls `b`, not `a`).
  let i = code.indexOf("(", at + Math.max(0, call.length - 1));
  // A call whose result is called at once (`f(a)(b)`) fails as the whole chain: Python marks it.
  do {
    let depth = 0;
    for (; i < code.length; i++) {
      if (code[i] === "(") depth++;
      if (code[i] === ")" && --depth === 0) break;
    }
  } while (code[i + 1] === "(" && ++i);
  return [at, Math.min(i, code.length - 1) - at + 1];
}

/**
 * One C++ frame: a symbol (or null: `<unknown function>`), the offset printed after it (into
 * the function, or into the library for an unknown one), and its library.
 */
export interface CppFrame {
  symbol: string | null;
  offset: number;
  lib: string;
}

/** c10's frame dump of a C++ exception in process `pid` (`build`: the torch version). */
export function cppFrames(
  frames: readonly CppFrame[],
  pid: number,
  salt: number,
  build: string,
): string[] {
  return frames.map((f, k) => {
    // A function lies within its library's mapping, past the ELF headers.
    const at = f.symbol
      ? symbolOffset(f.symbol, build, Math.max(0x1000, libSize(f.lib) - 0x30000))
      : 0;
    const addr = (libBase(pid, f.lib, salt) + at + f.offset).toString(16);
    const name = f.symbol ?? "<unknown function>";
    return `frame #${k}: ${name} + 0x${f.offset.toString(16)} (0x${addr} in ${f.lib})`;
  });
}

/**
 * A fixed offset of `symbol` in this build of its library (the same in every process): the
 * functions of one class come from one source file, so they lie together (within 256 KiB of
 * its start), and a function starts on a 16-byte boundary, as compilers align them.
 */
export function symbolOffset(symbol: string, build: string, span = 0x1200000): number {
  const hash = (text: string) => {
    let h = 0x2545f491;
    for (const ch of text) h = mix32(h, ch.charCodeAt(0));
    return h;
  };
  // `c10d::ProcessGroupNCCL::WorkNCCL::isCompleted()` → `c10d::ProcessGroupNCCL`.
  const scope = symbol.replace(/\(.*$/, "").split("::").slice(0, 2).join("::");
  const room = Math.min(span, 0x1200000);
  const file = hash(`${build}:${scope}`) % Math.max(0x1000, room - 0x40000);
  const within = hash(`${build}:${symbol}`) % 0x40000;
  return (0x10000 + file + within) & ~0xf;
}
