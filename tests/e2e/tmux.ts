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
  const run = [...env, ...(opts.env ?? []), "deno", "run", "--quiet", MAIN_PERMISSIONS];
  return `${run.join(" ")} main.ts ${args.map(shellQuote).join(" ")}${opts.after ?? ""}; ` +
    `echo "__EXIT $?"; sleep 600`;
}

/** The flags the live-view tests give main.ts (none but what the colour tests need). */
const MAIN_PERMISSIONS = "--allow-env=TERM,FORCE_COLOR,COLUMNS,LINES";

/** `deno run main.ts args…` as typed at a prompt (see TmuxSession.shell). */
export function mainLine(args: string[]): string {
  return `deno run --quiet ${MAIN_PERMISSIONS} main.ts ${args.map(shellQuote).join(" ")}`;
}

/** Runs `ps` with `args` and returns its output. */
async function ps(...args: string[]): Promise<string> {
  const out = await new Deno.Command("ps", { args, stdout: "piped", stderr: "null" }).output();
  return new TextDecoder().decode(out.stdout);
}

/** The processes `pid` started (e.g. the shell's `deno run`, or `deno task`'s). */
export async function childrenOf(pid: number): Promise<number[]> {
  return (await ps("-o", "pid=", "--ppid", String(pid))).split(/\s+/).filter(Boolean).map(Number);
}

/** A process's state letter as ps shows it: S sleeping, R running, T stopped; "" once gone. */
export async function processState(pid: number): Promise<string> {
  return (await ps("-o", "stat=", "-p", String(pid))).trim().slice(0, 1);
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

  /**
   * An interactive bash with job control (Ctrl-Z, fg) in a `columns` × `rows` terminal, its
   * prompt "$ ", at the project's root; type commands with typeLine(). Its environment is a
   * fresh terminal's: without the npm user agent that `npx deno task test` leaves to the tests
   * (a `deno task` started under it would keep npm's, not say it is deno's).
   */
  static async shell(columns: number, rows: number): Promise<TmuxSession> {
    const bash = "env -u NO_COLOR -u FORCE_COLOR -u COLUMNS -u LINES -u npm_config_user_agent " +
      "PS1='$ ' " +
      "bash --norc --noprofile -i";
    const s = await TmuxSession.start(bash, columns, rows);
    await s.waitFor((l) => l.some((x) => x.startsWith("$")), "the shell's prompt");
    return s;
  }

  /** Types a line and Enter at the prompt. */
  async typeLine(line: string): Promise<void> {
    await this.tmux("send-keys", "-t", "t", "-l", line);
    await this.sendKeys("Enter");
  }

  /** The pid of the pane's first process (the shell of TmuxSession.shell). */
  async panePid(): Promise<number> {
    return Number((await this.tmux("display", "-p", "-t", "t", "#{pane_pid}")).trim());
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
