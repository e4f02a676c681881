/**
 * fauxtrain: pretends, convincingly, to train a large language model on a GPU cluster.
 * The only module that touches Deno.args, Deno.exit, the terminal, signals and the environment.
 */
import denoJson from "./deno.json" with { type: "json" };
import { type CliOptions, parseArgs, UsageError } from "./src/cli/args.ts";
import { helpText, listText } from "./src/cli/help.ts";
import { ConfigError, drawRunConfig } from "./src/sim/run_config.ts";
import { drive } from "./src/driver/driver.ts";
import { StopSignal } from "./src/driver/pacer.ts";
import { Sink } from "./src/render/sink.ts";
import type { Renderer } from "./src/render/renderer.ts";
import { createTextRenderer } from "./src/render/text.ts";
import { createJsonlRenderer } from "./src/render/jsonl.ts";
import { createTtyRenderer, type TermSize } from "./src/render/tty.ts";
import type { RunConfig } from "./src/sim/run_config.ts";
import { autoStyle, STYLES } from "./src/style/style.ts";

/** Reads an environment variable only if access was granted (never prompts). */
function env(name: string): string | undefined {
  const state = Deno.permissions.querySync({ name: "env", variable: name }).state;
  return state === "granted" ? Deno.env.get(name) : undefined;
}

function termSize(): TermSize {
  try {
    return Deno.consoleSize();
  } catch {
    return { columns: Number(env("COLUMNS")) || 80, rows: Number(env("LINES")) || 24 };
  }
}

function resolveFormat(o: CliOptions): "tty" | "text" | "jsonl" {
  const canDraw = Deno.stdout.isTerminal() && env("TERM") !== "dumb";
  if (o.format === "auto") return canDraw ? "tty" : "text";
  if (o.format === "tty" && !canDraw) return "text";
  return o.format;
}

function rendererFactory(o: CliOptions, sink: Sink): (cfg: RunConfig) => Renderer {
  const format = resolveFormat(o);
  const force = env("FORCE_COLOR");
  const color = o.color && !Deno.noColor && (force === undefined || force !== "0");
  if (format === "jsonl") return () => createJsonlRenderer(sink);
  if (format === "text") return () => createTextRenderer(sink, o.timestamps);
  return (cfg) => createTtyRenderer(sink, cfg, { color, size: termSize, frameMs: 100 });
}

function fail(message: string): never {
  const err = new TextEncoder().encode(`fauxtrain: ${message}\n`);
  try {
    Deno.stderr.writeSync(err);
  } catch { /* stderr gone too: nothing left to tell */ }
  Deno.exit(2);
}

async function main(): Promise<void> {
  let o: CliOptions;
  try {
    o = parseArgs(Deno.args);
  } catch (e) {
    if (e instanceof UsageError) fail(e.message);
    throw e;
  }
  const sink = new Sink(Deno.stdout);
  if (o.help || o.version || o.list) {
    sink.write(
      o.help
        ? helpText(denoJson.version)
        : o.version
        ? `fauxtrain ${denoJson.version}\n`
        : listText(o.list!),
    );
    try {
      sink.flush();
    } catch { /* reader went away */ }
    return;
  }
  const choices = {
    seed: o.seed ?? Math.floor(Math.random() * 2 ** 31),
    startMs: o.startMs ?? Date.now(),
    gpu: o.gpu,
    model: o.model,
    dataset: o.dataset,
    nodes: o.nodes,
    gpusPerNode: o.gpusPerNode,
    epochs: o.epochs,
  };
  try {
    drawRunConfig(choices);
  } catch (e) {
    if (e instanceof ConfigError) fail(e.message);
    throw e;
  }
  const stop = new StopSignal();
  const listen = (sig: Deno.Signal, reason: "sigint" | "sigterm") => {
    try {
      Deno.addSignalListener(sig, () => stop.stop(reason));
    } catch { /* signal not supported on this platform */ }
  };
  listen("SIGINT", "sigint");
  listen("SIGTERM", "sigterm");
  await drive({
    choices,
    instant: o.instant,
    speed: o.speed,
    loop: o.loop,
    exitAfterMs: o.exitAfterMs,
    maxWorkers: o.workers,
    live: resolveFormat(o) === "tty",
    makeRenderer: rendererFactory(o, sink),
    style: (cfg) => (o.style === "auto" ? autoStyle(cfg) : STYLES[o.style]),
    stop,
    now: () => performance.now(),
  });
  Deno.exit(stop.reason === "sigint" ? 130 : stop.reason === "sigterm" ? 143 : 0);
}

if (import.meta.main) await main();
