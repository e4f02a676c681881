/** A running main.ts whose stdout is read as it arrives, for signal and broken-pipe tests. */
import { RUN_PERMISSIONS } from "./run_main.ts";

const ROOT = new URL("../../", import.meta.url);
/** Longest a child may take before the test gives up on it (a hang, not a slow machine). */
const HANG_MS = 60_000;

/** A child process running main.ts with piped stdout and stderr. */
export class MainChild {
  readonly process: Deno.ChildProcess;
  /** Everything read from stdout so far. */
  stdout = "";
  #reader: ReadableStreamDefaultReader<Uint8Array>;
  #decoder = new TextDecoder();
  #stderr: Promise<string>;
  #watchdog: ReturnType<typeof setTimeout>;

  constructor(args: string[], env: Record<string, string> = {}) {
    this.process = new Deno.Command("deno", {
      args: ["run", "--quiet", ...RUN_PERMISSIONS, "main.ts", ...args],
      cwd: ROOT,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
      env: { NO_COLOR: "", ...env },
    }).spawn();
    this.#reader = this.process.stdout.getReader();
    this.#stderr = new Response(this.process.stderr).text();
    this.#watchdog = setTimeout(() => this.process.kill("SIGKILL"), HANG_MS);
  }

  /** Reads stdout until `ready(stdout)` holds; throws if the output ends first. */
  async waitFor(ready: (stdout: string) => boolean, what: string): Promise<void> {
    while (!ready(this.stdout)) {
      const { value, done } = await this.#reader.read();
      if (done) throw new Error(`stdout ended before ${what}:\n${this.stdout.slice(-2000)}`);
      this.stdout += this.#decoder.decode(value, { stream: true });
    }
  }

  /** Closes our end of the pipe, as `head` does once it has its lines. */
  async closeStdout(): Promise<void> {
    await this.#reader.cancel();
  }

  /** Reads the rest of stdout and waits for the exit status. */
  async finish(): Promise<{ code: number; stdout: string; stderr: string }> {
    try {
      for (;;) {
        const { value, done } = await this.#reader.read();
        if (done) break;
        this.stdout += this.#decoder.decode(value, { stream: true });
      }
    } catch { /* stdout was closed by closeStdout() */ }
    const status = await this.process.status;
    clearTimeout(this.#watchdog);
    return { code: status.code, stdout: this.stdout, stderr: await this.#stderr };
  }
}
