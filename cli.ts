/**
 * fauxtrain: pretends, convincingly, to train a large language model on a GPU cluster.
 * With src/cli/lifecycle.ts (signals, job control and the way out), the only module that
 * touches Deno.args, Deno.exit, the terminal, signals and the environment.
 * This is the program's entry in the sources (`deno task dev`); users run the bundle built from
 * it (main.ts).
 */
import denoJson from "./deno.json" with { type: "json" };
import { type CliOptions, parseArgs, UsageError } from "./src/cli/args.ts";
import { startTooLate } from "./src/cli/values.ts";
import { escapeUnsafe } from "./src/cli/quote.ts";
import { estimateTrainSeconds } from "./src/sim/phases/train.ts";
import { estimateExportSeconds } from "./src/sim/phases/finish.ts";
import { ConfigError, type RunChoices } from "./src/sim/run_config.ts";
import { drawRun } from "./src/sim/scenario.ts";
import { defaultWorkers, drive } from "./src/driver/driver.ts";
import { StopSignal } from "./src/driver/pacer.ts";
import { PoolFailure } from "./src/cluster/pool.ts";
import { OutputError, PipeClosed, Sink } from "./src/render/sink.ts";
import {
  exitCode,
  LEAVE_WAIT_MS,
  listenForJobControl,
  listenForSignals,
  type Output,
  RESTORE,
  type RunClock,
  stopAt,
} from "./src/cli/lifecycle.ts";
import { FRAME_WALL_MS, type Renderer } from "./src/render/renderer.ts";
import { createTextRenderer, type LinePrefix } from "./src/render/text.ts";
import { createJsonLineParts, createJsonlRenderer } from "./src/render/jsonl.ts";
import type { TermSize, TtyRenderer } from "./src/render/tty.ts";
import type { RunConfig } from "./src/sim/run_config.ts";
import { autoStyleName, type StyleName } from "./src/style/names.ts";
import { loadStyle } from "./src/style/load.ts";
import { pacingHook } from "./src/style/pacing.ts";
import { WORKER_NEEDS_READ } from "./src/cluster/worker_url.ts";

type Format = "tty" | "text" | "jsonl";

/** Reads an environment variable only if access was granted (never prompts). */
function env(name: string): string | undefined {
  const state = Deno.permissions.querySync({ name: "env", variable: name }).state;
  return state === "granted" ? Deno.env.get(name) : undefined;
}

/** A positive whole number from an environment variable such as COLUMNS, or Infinity. */
function envCount(name: string): number {
  const raw = env(name) ?? "";
  return /^\d+$/.test(raw) && Number(raw) > 0 ? Number(raw) : Infinity;
}

/**
 * The terminal's size; COLUMNS and LINES may ask for less, never more. `read()` asks the
 * terminal (an ioctl), `size()` returns the last answer (asking the first time).
 */
function sizeReader(): { read: () => TermSize; size: () => TermSize } {
  const wantColumns = envCount("COLUMNS"), wantRows = envCount("LINES");
  const read = (): TermSize => {
    let size: TermSize = { columns: 80, rows: 24 };
    try {
      const real = Deno.consoleSize();
      // Some pseudo-terminals (CI runners, serial consoles) report 0 × 0.
      if (real.columns > 0 && real.rows > 0) size = real;
    } catch { /* no terminal after all: the conventional 80 × 24 */ }
    return { columns: Math.min(size.columns, wantColumns), rows: Math.min(size.rows, wantRows) };
  };
  let last: TermSize | null = null;
  return { read: () => (last = read()), size: () => last ?? (last = read()) };
}

/** tty where stdout is a terminal that can move the cursor (TERM=dumb cannot), else text. */
function resolveFormat(o: CliOptions): Format {
  if (o.format === "jsonl") return "jsonl";
  const canDraw = Deno.stdout.isTerminal() && env("TERM") !== "dumb";
  return o.format !== "text" && canDraw ? "tty" : "text";
}

/**
 * Colour, only ever in the live terminal view (text and JSON lines carry no escape bytes, as
 * log collectors expect): --no-color wins; then FORCE_COLOR, when set, turns it on (over
 * NO_COLOR) or, as 0 or false, off; then NO_COLOR turns it off.
 */
function useColor(o: CliOptions, format: Format): boolean {
  if (!o.color || format !== "tty") return false;
  const force = env("FORCE_COLOR");
  if (force) return !["0", "false"].includes(force.toLowerCase());
  return !Deno.noColor;
}

/**
 * The flag to add when Deno may not read the telemetry workers' modules, or null when it may.
 * Only a run from the sources needs it: Deno loads a worker like a dynamic import, so a local
 * checkout needs read access to the worker and its imports, while the bundle carries its worker
 * and a URL run (same origin) or a compiled binary needs nothing extra. Querying never prompts,
 * so a missing grant becomes one clear line instead of a prompt or a stack trace.
 */
function missingReadFlag(): string | null {
  if (!WORKER_NEEDS_READ || !import.meta.url.startsWith("file:") || Deno.build.standalone) {
    return null;
  }
  const dirs = ["src", "workers"].map((d) => new URL(`./${d}/`, import.meta.url));
  const granted = dirs.every((path) =>
    Deno.permissions.querySync({ name: "read", path }).state === "granted"
  );
  if (granted) return null;
  const paths = dirs.map((u) => {
    const p = decodeURIComponent(u.pathname).replace(/\/$/, "");
    return Deno.build.os === "windows" ? p.slice(1).replaceAll("/", "\\") : p;
  });
  const list = paths.join(",");
  return /^[\w./:\\,-]+$/.test(list) ? `--allow-read=${list}` : `--allow-read="${list}"`;
}

/**
 * Prints one line on stderr and exits with `code` (2: a usage error). Messages quote input
 * already; escaping again here makes sure no control character reaches the terminal raw.
 */
function fail(message: string, code = 2): never {
  const err = new TextEncoder().encode(`fauxtrain: ${escapeUnsafe(message)}\n`);
  try {
    Deno.stderr.writeSync(err);
  } catch { /* stderr gone too: nothing left to tell */ }
  Deno.exit(code);
}

/**
 * Whether `deno task` started this process (it says so in npm_config_user_agent, which the
 * start task lets the program read): its runner keeps the terminal through a stop.
 */
function underDenoTask(): boolean {
  return env("npm_config_user_agent")?.startsWith("deno/") ?? false;
}

/** Makes each run's renderer; `live()` is the live view's current one, if any. */
interface Renderers {
  make: (cfg: RunConfig) => Renderer;
  live: () => TtyRenderer | null;
}

/**
 * What goes before each text line of a run: fauxtrain's own lines get their time and level; a
 * framework's lines carry their own, so by default they are written as the job wrote them, and
 * --timestamps adds only the time a log collector would; --no-timestamps writes every line bare.
 */
function linePrefix(o: CliOptions, cfg: RunConfig): LinePrefix {
  if (o.timestamps === "off") return "none";
  const native = (o.style === "auto" ? autoStyleName(cfg) : o.style) === "native";
  if (native) return "level";
  return o.timestamps === "on" ? "stamp" : "none";
}

/**
 * The renderer factory for the chosen format; the live one (loaded only for a terminal) also
 * follows SIGWINCH.
 */
async function rendererFactory(o: CliOptions, format: Format, sink: Sink): Promise<Renderers> {
  const color = useColor(o, format);
  const none = () => null;
  if (format === "jsonl") {
    // One set of prepared line parts for every run of a --loop (see createJsonlRenderer).
    const parts = createJsonLineParts();
    return { make: () => createJsonlRenderer(sink, parts), live: none };
  }
  if (format === "text") {
    return { make: (cfg) => createTextRenderer(sink, linePrefix(o, cfg)), live: none };
  }
  const { createTtyRenderer } = await import("./src/render/tty.ts");
  let current: TtyRenderer | null = null;
  const terminal = sizeReader();
  // The size changes only with SIGWINCH, so frames reuse the last reading; where there is no
  // such signal, every frame reads it.
  let size = terminal.read;
  try {
    Deno.addSignalListener("SIGWINCH", () => {
      terminal.read();
      current?.resize();
    });
    size = terminal.size;
  } catch { /* no resize signal here */ }
  // A paced run's driver draws one frame per wake-up; an instant one never sleeps, so a timer does.
  const frameMs = o.instant ? FRAME_WALL_MS : null;
  return {
    make: (cfg) => {
      const levels = linePrefix(o, cfg) !== "none";
      return (current = createTtyRenderer(sink, cfg, { color, size, frameMs, levels }));
    },
    live: () => current,
  };
}

/** Prints --help, --version or --list (the help text is loaded only for them). */
async function printInfo(o: CliOptions, sink: Sink): Promise<void> {
  const { helpText, listText } = await import("./src/cli/help.ts");
  sink.write(
    o.help
      ? helpText(denoJson.version)
      : o.version
      ? `fauxtrain ${denoJson.version}\n`
      : listText(o.list!),
  );
  try {
    sink.flush();
  } catch (e) {
    // A reader that went away wanted no more; a write that failed otherwise is reported.
    if (e instanceof OutputError) fail(e.message, 1);
    if (!(e instanceof PipeClosed)) throw e;
  }
}

/** The user's fixed choices, checked by drawing the first run's configuration. */
function runChoices(o: CliOptions): { choices: RunChoices; first: RunConfig } {
  const choices = {
    seed: o.seed ?? Math.floor(Math.random() * 2 ** 31),
    startMs: o.startMs ?? Date.now(),
    gpu: o.gpu,
    model: o.model,
    dataset: o.dataset,
    nodes: o.nodes,
    gpusPerNode: o.gpusPerNode,
    epochs: o.epochs,
    chaos: o.chaos,
    resume: o.resume,
    logInterval: o.logInterval,
    // The chosen framework's script sets the run's rhythm (log and evaluation intervals).
    pacing: pacingHook(o.style as "auto" | StyleName, autoStyleName),
  };
  let first: RunConfig;
  try {
    first = drawRun(choices);
  } catch (e) {
    if (e instanceof ConfigError) fail(e.message);
    throw e;
  }
  // Timestamps stay within the years ISO-8601 writes with four digits (jsonl readers reject
  // "+010000-01-01T…").
  const runMs = (estimateTrainSeconds(first) + estimateExportSeconds(first)) * 1000;
  const late = startTooLate(choices.startMs, runMs);
  if (late) fail(late);
  return { choices, first };
}

/** Runs fauxtrain with the process's arguments; exits the process when the run ends. */
export async function main(): Promise<void> {
  let o: CliOptions;
  try {
    o = parseArgs(Deno.args);
  } catch (e) {
    if (e instanceof UsageError) fail(e.message);
    throw e;
  }
  if (o.help || o.version || o.list) return printInfo(o, new Sink(Deno.stdout));
  const { choices, first } = runChoices(o);
  const readFlag = missingReadFlag();
  if (readFlag) {
    fail(`the telemetry workers need read access to their code: run again with ${readFlag}`);
  }
  const stop = new StopSignal();
  const format = resolveFormat(o);
  // Output is written by the runtime in the background while the simulation goes on, so the
  // program hears signals even while a reader (or a paused terminal) takes nothing.
  const sink = new Sink(Deno.stdout, { background: true, now: () => performance.now() });
  const out: Output = { sink, live: format === "tty", leaving: false };
  const clock: RunClock = { stoppedMs: 0, now: () => performance.now() - clock.stoppedMs };
  listenForSignals(stop, out);
  if (o.exitAfterMs !== null) stopAt(stop, clock.now() + o.exitAfterMs, clock);
  const renderers = await rendererFactory(o, format, sink);
  listenForJobControl(out, renderers.live, clock, underDenoTask());
  try {
    await drive({
      choices,
      firstConfig: first,
      instant: o.instant,
      speed: o.speed,
      loop: o.loop,
      exitAfterMs: o.exitAfterMs,
      // --workers, or one worker per 1,024 nodes up to the CPU count (at most 8): more threads
      // than needed only add start-up time and wake-ups (8 workers on 2 cores tripled an
      // --instant run; 2 instead of 1 cost 5–15% of a dense --instant run at 64 and 1,024 GPUs).
      workers: (nodes) => o.workers ?? defaultWorkers(nodes, navigator.hardwareConcurrency || 1),
      live: format === "tty",
      makeRenderer: renderers.make,
      style: (cfg) => loadStyle(o.style === "auto" ? autoStyleName(cfg) : o.style as StyleName),
      stop,
      now: clock.now,
    });
  } catch (e) {
    if (out.live) await sink.abandon(RESTORE + "\n", LEAVE_WAIT_MS);
    // Telemetry workers that keep dying (e.g. their code cannot be loaded), or an output that
    // refuses bytes (a full disk), end the run with one line.
    if (e instanceof PoolFailure || e instanceof OutputError) fail(e.message, 1);
    throw e;
  }
  Deno.exit(exitCode(stop.reason));
}

if (import.meta.main) await main();
