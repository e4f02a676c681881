/**
 * A tiny terminal emulator for tests: enough of a VT100 (like xterm or tmux) to replay what the
 * live renderer writes and see the screen a user would see, counting every automatic wrap and
 * remembering which rows an automatic wrap began (as tmux does, to join them again on copy).
 */

/** A screen of `rows` × `columns` cells with a cursor, fed the renderer's bytes. */
export class VirtualTerminal {
  columns: number;
  rows: number;
  screen: string[][];
  /** Whether each screen row was begun by an automatic wrap of the row above. */
  continued: boolean[];
  /** Rows that scrolled off the top, as wide as the screen was, oldest first. */
  scrollback: string[] = [];
  /** Whether each scrollback row was begun by an automatic wrap of the row above. */
  scrollbackContinued: boolean[] = [];
  row = 0;
  col = 0;
  /** The cursor sits past the last column; the next printed character wraps. */
  pendingWrap = false;
  /** Lines that ran past the right edge and wrapped (log lines may; the live region never). */
  wraps = 0;
  cursorVisible = true;
  /** Characters fed so far. */
  fed = 0;

  constructor(columns: number, rows: number) {
    this.columns = columns;
    this.rows = rows;
    this.screen = Array.from({ length: rows }, () => this.#blank());
    this.continued = Array(rows).fill(false);
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
      this.continued[this.row] = true;
    }
    this.screen[this.row][this.col] = ch;
    if (this.col === this.columns - 1) this.pendingWrap = true;
    else this.col++;
  }

  #lineFeed(): void {
    this.col = 0;
    this.pendingWrap = false;
    if (this.row < this.rows - 1) return void this.row++;
    this.#scrollOff();
    this.screen.push(this.#blank());
    this.continued.push(false);
  }

  /** Moves the top row into the scrollback. */
  #scrollOff(): void {
    this.scrollback.push(this.screen.shift()!.join(""));
    this.scrollbackContinued.push(this.continued.shift()!);
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
      if (from === 0) this.continued[this.row] = false;
    } else if (final === "H") {
      this.row = 0;
      this.col = 0;
      this.pendingWrap = false;
    } else if (final === "J") {
      const from = n === 2 ? 0 : this.row;
      if (n !== 2) this.screen[this.row].fill(" ", this.col);
      if (n !== 2 && this.col === 0) this.continued[this.row] = false;
      for (let r = n === 2 ? from : from + 1; r < this.rows; r++) {
        this.screen[r] = this.#blank();
        this.continued[r] = false;
      }
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
      this.#scrollOff();
      this.row--;
    }
    while (this.screen.length > rows) (this.screen.pop(), this.continued.pop());
    while (this.screen.length < rows) {
      this.screen.push(Array(columns).fill(" "));
      this.continued.push(false);
    }
    this.rows = rows;
    this.col = Math.min(this.col, columns - 1);
    this.pendingWrap = false;
  }

  /** The visible screen as text lines without trailing spaces. */
  lines(): string[] {
    return this.screen.map((l) => l.join("").trimEnd());
  }

  /**
   * Everything written, scrollback then screen, with the rows an automatic wrap split joined
   * again (what tmux's `capture-pane -J` or a terminal's copy gives), without trailing spaces.
   */
  history(): string[] {
    const rows = this.scrollback.concat(this.screen.map((l) => l.join("")));
    const continued = this.scrollbackContinued.concat(this.continued);
    const out: string[] = [];
    for (let i = 0; i < rows.length; i++) {
      if (continued[i] && out.length > 0) out[out.length - 1] += rows[i];
      else out.push(rows[i]);
    }
    return out.map((l) => l.trimEnd());
  }
}
