/**
 * Drives main.ts in a real pseudo-terminal through tmux: start a command in a detached session
 * of a given size, resize it, send keys and read back the screen.
 */

const ROOT = new URL("../../", import.meta.url).pathname;
/** Longest wait for something to appear on the screen (a hang, not a slow machine). */
const WAIT_MS = 60_000;

/** Whether tmux can be run here. */
export const HAS_TMUX: boolean = (() => {
  try {
    return new Deno.Command("tmux", { args: ["-V"], stdout: "null", stderr: "null" }).outputSync()
      .success;
  } catch {
    return false;
  }
})();

if (!HAS_TMUX) {
  console.warn("pty tests ignored: tmux is not installed (apt-get install -y tmux)");
}

/** Quotes a word for sh. */
export function shellQuote(word: string): string {
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

/** The shell line that runs main.ts with `args`, then prints `__EXIT <status>` and waits. */
export function mainCommand(args: string[], opts: { env?: string[]; after?: string } = {}) {
  const env = ["env", "-u", "NO_COLOR", "-u", "FORCE_COLOR", "-u", "COLUMNS", "-u", "LINES"];
  const perms = "--allow-env=TERM,FORCE_COLOR,COLUMNS,LINES";
  const run = [...env, ...(opts.env ?? []), "deno", "run", "--quiet", ...perms.split(" ")];
  return `${run.join(" ")} main.ts ${args.map(shellQuote).join(" ")}${opts.after ?? ""}; ` +
    `echo "__EXIT $?"; sleep 600`;
}

/** One tmux server with one window running a shell command. */
export class TmuxSession {
  readonly socket = `fauxtrain-test-${crypto.randomUUID().slice(0, 8)}`;

  /** Starts `command` in a `columns` × `rows` terminal. */
  static async start(command: string, columns: number, rows: number): Promise<TmuxSession> {
    const s = new TmuxSession();
    await s.tmux(
      "new-session",
      "-d",
      "-s",
      "t",
      "-x",
      String(columns),
      "-y",
      String(rows),
      "-c",
      ROOT,
      command,
    );
    return s;
  }

  /** Runs a tmux command on this server and returns its output. */
  async tmux(...args: string[]): Promise<string> {
    const out = await new Deno.Command("tmux", {
      args: ["-L", this.socket, "-f", "/dev/null", ...args],
      env: { TERM: "xterm-256color" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = new TextDecoder().decode(out.stdout);
    if (!out.success) throw new Error(`tmux ${args[0]}: ${new TextDecoder().decode(out.stderr)}`);
    return text;
  }

  /** The visible screen; `join` undoes tmux's wraps, so a wrapped line shows as one long line. */
  async screen(opts: { join?: boolean; escapes?: boolean } = {}): Promise<string[]> {
    const flags = ["-p", "-t", "t", ...(opts.join ? ["-J"] : []), ...(opts.escapes ? ["-e"] : [])];
    const text = await this.tmux("capture-pane", ...flags);
    return text.replace(/\n+$/, "").split("\n");
  }

  /** Whether the terminal shows its cursor. */
  async cursorVisible(): Promise<boolean> {
    return (await this.tmux("display", "-p", "-t", "t", "#{cursor_flag}")).trim() === "1";
  }

  /** Resizes the window like a user dragging the terminal's corner. */
  async resize(columns: number, rows: number): Promise<void> {
    await this.tmux("resize-window", "-t", "t", "-x", String(columns), "-y", String(rows));
  }

  /** Types keys, e.g. "C-c". */
  async sendKeys(...keys: string[]): Promise<void> {
    await this.tmux("send-keys", "-t", "t", ...keys);
  }

  /** Polls the (joined) screen until `ready` holds; throws with the screen after a long wait. */
  async waitFor(ready: (lines: string[]) => boolean, what: string): Promise<string[]> {
    const start = Date.now();
    for (;;) {
      const lines = await this.screen({ join: true });
      if (ready(lines)) return lines;
      if (Date.now() - start > WAIT_MS) {
        throw new Error(`no ${what} on screen after ${WAIT_MS} ms:\n${lines.join("\n")}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** The status main.ts exited with, once `__EXIT` is on screen. */
  async exitStatus(): Promise<number> {
    const lines = await this.waitFor((l) => l.some((x) => x.startsWith("__EXIT ")), "exit status");
    return Number(lines.find((x) => x.startsWith("__EXIT "))!.slice(7));
  }

  /** Ends the server and everything in it. */
  async kill(): Promise<void> {
    try {
      await this.tmux("kill-server");
    } catch { /* already gone */ }
  }
}
