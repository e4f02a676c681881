/**
 * `nvidia-smi`'s table of one node, drawn from that node's `gpu` reading, exactly as the run's
 * driver generation lays it out: 79 columns up to R525, 89 for R530–R545, 91 from R550 (a wider
 * Bus-Id cell, a padded power cap), a `+` rule under the header from R580, a wider PID column
 * from R560. Bus-Ids follow the run's platform (gpu_host.ts), the Processes section lists the
 * ranks' python processes with their own memory (gpu_memory.ts), or none inside a container.
 */
import type { DataEvent, GpuReading } from "../sim/events.ts";
import { pciAddress, workerPid } from "../sim/names.ts";
import type { RunConfig } from "../sim/run_config.ts";
import { driverMajor, gpuHost } from "../sim/gpu_host.ts";
import { memoryTraits, ownProcessMiB, strayProcesses } from "../cluster/gpu_memory.ts";
import { ctime } from "../format/clock.ts";
import { formatNative } from "./native.ts";
import { rocmSmi } from "./rocm_smi.ts";

type GpuEvent = Extract<DataEvent, { type: "gpu" }>;

/** MiB as nvidia-smi shows memory use. */
export function usedMiB(gib: number): number {
  return Math.round(gib * 1024);
}

/** How a table is drawn: who owns each GPU's process, and whether processes are visible. */
export interface TableOptions {
  /** Process id of the rank on local GPU `local` of `node` at `simMs` (a relaunch has new ones). */
  pid: (node: number, local: number, simMs: number) => number;
  /** Inside a container nvidia-smi sees no processes, whatever memory is in use. */
  container: boolean;
}

/** The ranks' pids as fauxtrain's launchers number them, processes visible. */
export function defaultTableOptions(cfg: RunConfig): TableOptions {
  return { pid: (node, local) => workerPid(cfg, node, local), container: false };
}

/** One driver generation's geometry. */
interface Layout {
  /** Widths of the three cells of a GPU row. */
  widths: [number, number, number];
  /** Widths of the version strings after `NVIDIA-SMI ` and after `Driver Version: `. */
  version: [number, number];
  /** The rule under the version line starts and ends with `+` (R580) or `|`. */
  plusRule: boolean;
  /** Name cell of the old layout: 18 characters, longer names cut to `NVIDIA A100-SXM...`. */
  shortName: boolean;
  /** The line between the two tables is blank spaces (up to R545) or empty. */
  spacesBetween: boolean;
  /** Process rows: PID field width, process name width, memory field width. */
  pidWidth: number;
  nameWidth: number;
  memWidth: number;
}

/** The layout nvidia-smi of driver `version` prints. */
function layoutOf(version: string): Layout {
  const major = driverMajor(version);
  if (major < 530) {
    return {
      widths: [31, 22, 22],
      version: [13, 13],
      plusRule: false,
      shortName: true,
      spacesBetween: true,
      pidWidth: 10,
      nameWidth: 28,
      memWidth: 12,
    };
  }
  const wide = major >= 550, widePid = major >= 560;
  return {
    widths: [41, wide ? 24 : 22, 22],
    version: [23, wide ? 15 : 13],
    plusRule: major >= 580,
    shortName: false,
    spacesBetween: !wide,
    pidWidth: widePid ? 16 : 10,
    nameWidth: widePid ? 32 : 38,
    memWidth: wide ? 14 : 12,
  };
}

const inner = (l: Layout) => l.widths[0] + l.widths[1] + l.widths[2] + 2;

function row(cells: string[], widths: number[]): string {
  return `|${cells.map((c, i) => c.padEnd(widths[i]).slice(0, widths[i])).join("|")}|`;
}

function rule(widths: number[], fill: string, left = "+", right = left): string {
  return left + widths.map((w) => fill.repeat(w)).join("+") + right;
}

/**
 * Framework styles not yet on gpu_monitor.ts: the job script's traced `nvidia-smi` on node 0 as
 * the job starts and when the script looks again, nothing for other nodes' readings then, and
 * fauxtrain's own line for every other reading.
 */
export function startupTable(ev: GpuEvent, cfg: RunConfig): string {
  if (!ev.data.snapshot && ev.simMs !== cfg.startMs) return formatNative(ev, cfg);
  if (ev.data.node !== 0) return "";
  const command = cfg.gpu.vendor === "amd" ? "rocm-smi" : "nvidia-smi";
  return `+ ${command}\n${smiTable(ev, cfg, defaultTableOptions(cfg))}`;
}

/** The table `nvidia-smi` (or, on AMD nodes, `rocm-smi`) prints for a node's reading. */
export function smiTable(ev: GpuEvent, cfg: RunConfig, opts: TableOptions): string {
  if (cfg.gpu.vendor === "amd") return rocmSmi(ev, cfg);
  const l = layoutOf(cfg.gpu.driver);
  const gpus = ev.data.gpus;
  return [
    // ctime() and the padding nvidia-smi leaves after it.
    `${ctime(ev.simMs)}       `,
    ...header(cfg, l),
    ...gpus.flatMap((g, i) => gpuCell(cfg, l, g, i)),
    l.spacesBetween ? " ".repeat(inner(l) + 2) : "",
    ...processes(ev, cfg, l, opts),
  ].join("\n");
}

function header(cfg: RunConfig, l: Layout): string[] {
  const g = cfg.gpu, [w0, w1] = l.version, n = inner(l);
  const version = ` NVIDIA-SMI ${g.driver.padEnd(w0)}Driver Version: ${g.driver.padEnd(w1)}` +
    `CUDA Version: ${g.cuda.padEnd(9)}`;
  const head = l.shortName
    ? [
      [" GPU  Name        Persistence-M", " Bus-Id        Disp.A ", " Volatile Uncorr. ECC "],
      [" Fan  Temp  Perf  Pwr:Usage/Cap", "         Memory-Usage ", " GPU-Util  Compute M. "],
    ]
    : [
      [" GPU  Name                 Persistence-M ", " Bus-Id", " Volatile Uncorr. ECC "],
      [" Fan  Temp   Perf          Pwr:Usage/Cap ", "Memory-Usage ", " GPU-Util  Compute M. "],
    ];
  if (!l.shortName) {
    head[0][1] = " Bus-Id".padEnd(l.widths[1] - 7) + "Disp.A ";
    head[1][1] = head[1][1].padStart(l.widths[1]);
  }
  return [
    rule([n], "-"),
    `|${version.padEnd(n)}|`,
    rule(l.widths, "-", l.plusRule ? "+" : "|", "+"),
    row(head[0], l.widths),
    row(head[1], l.widths),
    row(["", "", "MIG M. ".padStart(l.widths[2])], l.widths),
    rule(l.widths, "=", "|"),
  ];
}

/** nvidia-smi's 18-character name cell of the old layout. */
function shortName(name: string): string {
  return name.length > 18 ? `${name.slice(0, 15)}...` : name;
}

/** One GPU's cell: name and bus, then temperature, power, memory and utilisation. */
function gpuCell(cfg: RunConfig, l: Layout, x: GpuReading, i: number): string[] {
  const g = cfg.gpu, wide = l.widths[1] === 24;
  const name = l.shortName
    ? `${String(i).padStart(4)}  ${shortName(g.name).padEnd(18)}  On   `
    : `${String(i).padStart(4)}  ${g.name.padEnd(31)}On  `;
  const cap = l.shortName ? String(g.tdpW).padStart(3) : wide ? String(g.tdpW).padStart(4) : g.tdpW;
  const power = `${Math.round(x.power_w)}W / ${cap}W `;
  const left = ` N/A ${`${Math.round(x.temp_c)}C`.padStart(5)}    P0`;
  const total = l.shortName
    ? String(g.memMiB).padStart(5)
    : wide
    ? String(g.memMiB).padStart(6)
    : g.memMiB;
  return [
    row(
      [
        name,
        ` ${pciAddress(cfg.cluster, i)} Off `.padStart(l.widths[1]),
        "0 ".padStart(l.widths[2]),
      ],
      l.widths,
    ),
    row([
      left + power.padStart(l.widths[0] - left.length),
      `${usedMiB(x.mem_used_gib)}MiB / ${total}MiB `.padStart(l.widths[1]),
      `${`${Math.round(x.util_pct)}%`.padStart(8)}      Default `,
    ], l.widths),
    row(["", "", `${gpuHost(g.id).mig ? "Disabled" : "N/A"} `.padStart(l.widths[2])], l.widths),
    rule(l.widths, "-"),
  ];
}

/** A process row's name: long paths keep their tail, `...` in front. */
function processName(name: string, width: number): string {
  return name.length > width ? `...${name.slice(name.length - width + 3)}` : name;
}

/** A process row's memory: nvidia-smi shows 8 characters, a longer figure cut to `12724...`. */
function processMemory(mib: number): string {
  const text = `${mib}MiB`;
  return text.length > 8 ? `${text.slice(0, 5)}...` : text;
}

function processes(ev: GpuEvent, cfg: RunConfig, l: Layout, opts: TableOptions): string[] {
  const n = inner(l), line = (text: string) => `|${text.padEnd(n)}|`;
  const pidHead = "PID".padStart(l.pidWidth + 1);
  const rows = opts.container ? [] : processRows(ev, cfg, opts);
  return [
    rule([n], "-"),
    line(" Processes:"),
    line(`  GPU   GI   CI${pidHead}   Type   Process name`.padEnd(n - 11) + "GPU Memory "),
    line("        ID   ID".padEnd(n - 11) + "Usage      "),
    rule([n], "=", "|"),
    ...(rows.length === 0
      ? [line("  No running processes found")]
      : rows.map(([gpu, pid, mib]) =>
        line(
          `${String(gpu).padStart(5)}   N/A  N/A${String(pid).padStart(l.pidWidth)}      C   ` +
            processName(cfg.cluster.venv, l.nameWidth).padEnd(l.nameWidth) +
            processMemory(mib).padStart(l.memWidth) + " ",
        )
      )),
    rule([n], "-"),
  ];
}

/** [gpu, pid, MiB] of every process on the node's GPUs, by GPU and then pid. */
function processRows(ev: GpuEvent, cfg: RunConfig, opts: TableOptions): number[][] {
  const t = memoryTraits(cfg.seed, cfg.gpusPerNode), node = ev.data.node;
  const rows: number[][] = [];
  ev.data.gpus.forEach((g, i) => {
    const used = usedMiB(g.mem_used_gib);
    if (used === 0) return;
    const own = [i, opts.pid(node, i, ev.simMs), ownProcessMiB(t, i, used)];
    const strays = Array.from(
      { length: strayProcesses(t, i) },
      (_, k) => [i, opts.pid(node, k + 1, ev.simMs), t.strayMiB],
    );
    rows.push(...[own, ...strays].sort((a, b) => a[1] - b[1]));
  });
  return rows;
}
