/**
 * A tiny terminal emulator for tests: enough of a VT100 (like xterm or tmux) to replay what the
 * live renderer writes and see the screen a user would see, counting every automatic wrap.
 */

/** A screen of `rows` × `columns` cells with a cursor, fed the renderer's bytes. */
export class VirtualTerminal {
  columns: number;
  rows: number;
  screen: string[][];
  scrollback: string[] = [];
  row = 0;
  col = 0;
  /** The cursor sits past the last column; the next printed character wraps. */
  pendingWrap = false;
  /** Lines that ran past the right edge and wrapped (the renderer must never cause one). */
  wraps = 0;
  cursorVisible = true;
  /** Characters fed so far. */
  fed = 0;

  constructor(columns: number, rows: number) {
    this.columns = columns;
    this.rows = rows;
    this.screen = Array.from({ length: rows }, () => this.#blank());
  }

  #blank(): string[] {
    return Array(this.columns).fill(" ");
  }

  /** Feeds output; "\n" moves to the next line's start, as a terminal with ONLCR does. */
  write(text: string): void {
    this.fed += text.length;
    // deno-lint-ignore no-control-regex
    const re = /\x1b\[([?0-9;]*)([A-Za-z])|\r|\n|[^\x1b\r\n]/gu;
    for (const m of text.matchAll(re)) {
      if (m[2]) this.#escape(m[1], m[2]);
      else if (m[0] === "\r") (this.col = 0), (this.pendingWrap = false);
      else if (m[0] === "\n") this.#lineFeed();
      else this.#print(m[0]);
    }
  }

  #print(ch: string): void {
    if (this.pendingWrap) {
      this.wraps++;
      this.#lineFeed();
    }
    this.screen[this.row][this.col] = ch;
    if (this.col === this.columns - 1) this.pendingWrap = true;
    else this.col++;
  }

  #lineFeed(): void {
    this.col = 0;
    this.pendingWrap = false;
    if (this.row < this.rows - 1) return void this.row++;
    this.scrollback.push(this.screen.shift()!.join("").trimEnd());
    this.screen.push(this.#blank());
  }

  #escape(params: string, final: string): void {
    const n = Number(params) || 0;
    if (final === "A") {
      this.row = Math.max(0, this.row - Math.max(1, n));
      this.pendingWrap = false;
    } else if (final === "B") {
      this.row = Math.min(this.rows - 1, this.row + Math.max(1, n));
      this.pendingWrap = false;
    } else if (final === "K") {
      const [from, to] = n === 2
        ? [0, this.columns]
        : n === 1
        ? [0, this.col + 1]
        : [this.col, this.columns];
      this.screen[this.row].fill(" ", from, to);
    } else if (final === "H") {
      this.row = 0;
      this.col = 0;
      this.pendingWrap = false;
    } else if (final === "J") {
      const from = n === 2 ? 0 : this.row;
      if (n !== 2) this.screen[this.row].fill(" ", this.col);
      for (let r = n === 2 ? from : from + 1; r < this.rows; r++) this.screen[r] = this.#blank();
    } else if (params === "?25" && (final === "h" || final === "l")) {
      this.cursorVisible = final === "h";
    }
  }

  /** Resizes like xterm or tmux: rows are cut or padded, never re-wrapped. */
  resize(columns: number, rows: number): void {
    const fit = (line: string[]) =>
      line.length >= columns
        ? line.slice(0, columns)
        : [...line, ...Array(columns - line.length).fill(" ")];
    this.screen = this.screen.map(fit);
    this.columns = columns;
    // Keep the cursor's row on screen: lines above it go to the scrollback first.
    while (this.screen.length > rows && this.row > 0 && this.row >= rows - 1) {
      this.scrollback.push(this.screen.shift()!.join("").trimEnd());
      this.row--;
    }
    while (this.screen.length > rows) this.screen.pop();
    while (this.screen.length < rows) this.screen.push(Array(columns).fill(" "));
    this.rows = rows;
    this.col = Math.min(this.col, columns - 1);
    this.pendingWrap = false;
  }

  /** The visible screen as text lines without trailing spaces. */
  lines(): string[] {
    return this.screen.map((l) => l.join("").trimEnd());
  }
}
