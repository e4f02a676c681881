/** The --help text and the --list tables. */
import { DATASETS, GPUS, MODELS } from "../sim/catalog.ts";
import { formatParams, formatTokens } from "../format/units.ts";
import { STYLE_NAMES } from "../style/names.ts";

/** Usage text for --help. */
export function helpText(version: string): string {
  return `fauxtrain ${version} - pretends, convincingly, to train a large language model on a GPU cluster

Usage: fauxtrain [flags]

Run:
  -s, --seed N           replay a run: same seed and --start give the same output (default: random)
      --start ISO        simulated start time in UTC, e.g. 2026-11-24T09:00:00Z (default: now)
      --speed X          fast-forward: simulated seconds per wall second (default 1: real time,
                         every timestamp and rate agrees with the clock on the wall)
      --instant          print the whole run at once, without waiting
      --exit-after DUR   stop after a wall-clock duration: 90s, 5m, 1h30m
      --loop             start a new run after each one ends, forever
Cluster and model:
      --nodes N          nodes, 1 to 16384 (default: drawn from the seed)
                         Without --model, --dataset, --epochs or --resume the run is drawn to
                         end in 2 to 5 minutes: a short fine-tune, a small pre-training run, or
                         the last stretch of a long one; with them it lasts as long as it would
      --gpus-per-node N  GPUs in each node, 1 to 8 (default 8)
      --gpu NAME         GPU model: H100, H100-PCIe, A100-80GB, A100-40GB, H200, B200, GB200, MI300X, ...
      --model NAME       model preset (see --list models)
      --dataset NAME     dataset preset (see --list datasets)
      --epochs N         epochs, 1 to 100
      --workers N        telemetry worker threads, 1 to 64 (default: one per 1,024 nodes, at
                         most the CPU count and 8)
      --log-interval N   log every N steps (default: about 1,200 step lines per run)
      --chaos LEVEL      off | low | high: how often faults strike (default low: rare, as on a
                         real cluster; high: many, of the kinds the run's script can show)
      --resume           start from a checkpoint of an earlier attempt and carry on from its step
Output:
      --format F         auto | tty | text | jsonl (default auto: tty on a terminal, text otherwise)
      --style S          ${wrapChoices(["auto", ...STYLE_NAMES], 25, 100)}
                         (default auto: the framework that fits the run: its parallelism, model,
                         cluster and length)
      --no-color         no colours (NO_COLOR is honoured too)
      --timestamps       put the time a log collector received each line in front of it
                         (a framework's lines carry their own; fauxtrain's own lines always
                         get a time and level)
      --no-timestamps    every line bare, fauxtrain's own lines too
  -l, --list WHAT        list models, gpus or datasets
  -h, --help             this help
  -V, --version          print the version

Ctrl-C or SIGTERM ends the run as a training job ends (emergency checkpoint, summary); a second
Ctrl-C, after a moment, ends it at once. Ctrl-Z suspends the run and gives the shell the
terminal; fg brings the live view back.

Exit status: 0 when done (or when the reader of the output went away), 1 when the output cannot
be written (e.g. a full disk), 2 for bad flags, and after a signal 128 + its number: 129 SIGHUP,
130 SIGINT (Ctrl-C), 131 SIGQUIT (Ctrl-\\), 143 SIGTERM.
`;
}

/** `a | b | c`, wrapped at `width` columns with continuation lines indented by `indent`. */
function wrapChoices(choices: string[], indent: number, width: number): string {
  const lines = [""];
  for (const c of choices) {
    const last = lines.length - 1;
    const next = lines[last] === "" ? c : `${lines[last]} | ${c}`;
    if (indent + next.length + 2 > width && lines[last] !== "") {
      lines[last] += " |";
      lines.push(c);
    } else lines[last] = next;
  }
  return lines.join(`\n${" ".repeat(indent)}`);
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => r.map((cell, c) => cell.padEnd(widths[c])).join("  ").trimEnd()).join(
    "\n",
  ) + "\n";
}

/** The table --list prints for `what`. */
export function listText(what: "models" | "gpus" | "datasets"): string {
  if (what === "gpus") {
    return table([
      ["ID", "NAME", "MEMORY", "BF16 DENSE", "TDP", "NVLINK", "ALSO ACCEPTS"],
      ...GPUS.map((g) => [
        g.id,
        g.name,
        `${(g.memMiB / 1024).toFixed(0)} GiB`,
        `${g.bf16Tflops} TFLOP/s`,
        `${g.tdpW} W`,
        `${g.nvlinkGBps} GB/s`,
        g.aliases.filter((a) => a !== g.id).join(", "),
      ]),
    ]);
  }
  if (what === "models") {
    return table([
      ["ID", "NAME", "PARAMS", "LAYERS", "HIDDEN", "HEADS", "VOCAB", "REAL"],
      ...MODELS.map((m) => [
        m.id,
        m.name,
        m.moe
          ? `${formatParams(m.params)} (${formatParams(m.moe.active)} active)`
          : formatParams(m.params),
        String(m.layers),
        String(m.hidden),
        m.kvHeads === m.heads ? String(m.heads) : `${m.heads}/${m.kvHeads}`,
        String(m.vocab),
        m.real ? "yes" : "no",
      ]),
    ]);
  }
  return table([
    ["ID", "NAME", "KIND", "TOKENS", "SAMPLES", "REAL"],
    ...DATASETS.map((
      d,
    ) => [
      d.id,
      d.name,
      d.kind,
      formatTokens(d.tokens),
      formatTokens(d.samples),
      d.real ? "yes" : "no",
    ]),
  ]);
}
