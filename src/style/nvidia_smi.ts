/**
 * The `nvidia-smi` (or `rocm-smi`) table of one node at start-up, drawn from that node's `gpu`
 * event so every temperature, power, memory and utilisation figure is the telemetry's own.
 */
import type { DataEvent, GpuData, GpuReading } from "../sim/events.ts";
import { pciAddress, workerPid } from "../sim/names.ts";
import type { RunConfig } from "../sim/run_config.ts";
import { ctime } from "../format/clock.ts";
import { formatNative } from "./native.ts";

type GpuEvent = Extract<DataEvent, { type: "gpu" }>;

/** True for `gpu` events taken before the model is in memory: the start-up snapshot. */
export function isStartupSnapshot(ev: GpuEvent, cfg: RunConfig): boolean {
  const half = cfg.plan.memory.totalGiB * 0.5;
  return ev.data.gpus.every((g) => g.mem_used_gib < half);
}

/** MiB as nvidia-smi shows memory use. */
export function usedMiB(gib: number): number {
  return Math.round(gib * 1024);
}

/**
 * Framework styles print node 0's start-up snapshot as the table; later `gpu` events read as the
 * periodic status lines a job's GPU-monitoring sidecar writes into the same log.
 */
export function startupTable(ev: GpuEvent, cfg: RunConfig): string {
  if (!isStartupSnapshot(ev, cfg)) return formatNative(ev, cfg);
  if (ev.data.node !== 0) return "";
  return cfg.gpu.vendor === "amd" ? rocmSmi(ev, cfg) : nvidiaSmi(ev, cfg);
}

function row(cells: string[], widths: number[]): string {
  return `|${cells.map((c, i) => c.padEnd(widths[i]).slice(0, widths[i])).join("|")}|`;
}

function rule(widths: number[], fill: string, left = "+", right = left): string {
  return left + widths.map((w) => fill.repeat(w)).join("+") + right;
}

/** Column widths of nvidia-smi's table; drivers from 550 on widen the Bus-Id column. */
interface SmiLayout {
  wide: boolean;
  widths: number[];
  inner: number;
}

function smiLayout(cfg: RunConfig): SmiLayout {
  const wide = Number(cfg.gpu.driver.split(".")[0]) >= 550;
  const widths = [41, wide ? 24 : 22, 22];
  return { wide, widths, inner: widths.reduce((a, b) => a + b, 0) + 2 };
}

/** nvidia-smi's table: date, versions, one three-row cell per GPU, then the processes. */
export function nvidiaSmi(ev: GpuEvent, cfg: RunConfig): string {
  const layout = smiLayout(cfg);
  return [
    ctime(ev.simMs),
    ...smiHeader(cfg, layout),
    ...ev.data.gpus.flatMap((x, i) => smiGpu(cfg, layout, x, i)),
    "",
    ...processes(ev.data, cfg, layout.inner),
  ].join("\n");
}

function smiHeader(cfg: RunConfig, { wide, widths, inner }: SmiLayout): string[] {
  const g = cfg.gpu;
  const version = ` NVIDIA-SMI ${g.driver}`.padEnd(35) +
    `Driver Version: ${g.driver}`.padEnd(wide ? 31 : 29) + `CUDA Version: ${g.cuda}`;
  return [
    rule([inner], "-"),
    `|${version.padEnd(inner)}|`,
    rule(widths, "-", "|", "+"),
    row([
      " GPU  Name                 Persistence-M",
      " Bus-Id".padEnd(widths[1] - 7) + "Disp.A",
      " Volatile Uncorr. ECC",
    ], widths),
    row([
      " Fan  Temp   Perf          Pwr:Usage/Cap",
      "Memory-Usage".padStart(widths[1] - 1),
      " GPU-Util  Compute M.",
    ], widths),
    row(["", "", "MIG M.".padStart(widths[2] - 1)], widths),
    rule(widths, "=", "|"),
  ];
}

/** One GPU's cell: name and bus, then temperature, power, memory and utilisation. */
function smiGpu(cfg: RunConfig, { wide, widths }: SmiLayout, x: GpuReading, i: number): string[] {
  const g = cfg.gpu;
  const cap = wide ? String(g.tdpW).padStart(4) : String(g.tdpW);
  const power = `${Math.round(x.power_w)}W / ${cap}W`;
  const left = ` N/A  ${`${Math.round(x.temp_c)}C`.padStart(4)}    P0`;
  const total = wide ? String(g.memMiB).padStart(6) : String(g.memMiB);
  return [
    row([
      `${String(i).padStart(4)}  ${g.name.slice(0, 29).padEnd(31)}On  `,
      `${pciAddress(cfg.cluster, i)} Off `.padStart(widths[1]),
      "0 ".padStart(widths[2]),
    ], widths),
    row([
      left + power.padStart(widths[0] - left.length - 1) + " ",
      `${usedMiB(x.mem_used_gib)}MiB / ${total}MiB `.padStart(widths[1]),
      `${`${Math.round(x.util_pct)}%`.padStart(8)}      Default `,
    ], widths),
    row(["", "", "Disabled ".padStart(widths[2])], widths),
    rule(widths, "-"),
  ];
}

function processes(d: GpuData, cfg: RunConfig, inner: number): string[] {
  const line = (text: string) => `|${text.padEnd(inner)}|`;
  const tail = "GPU Memory ";
  return [
    rule([inner], "-"),
    line(" Processes:"),
    line(`  GPU   GI   CI        PID   Type   Process name`.padEnd(inner - tail.length) + tail),
    line(`        ID   ID`.padEnd(inner - tail.length) + "Usage      "),
    rule([inner], "=", "|"),
    ...d.gpus.map((x, i) => {
      const pid = workerPid(cfg, d.node, i);
      const head = `  ${String(i).padStart(3)}   N/A  N/A  ${String(pid).padStart(9)}      C   ` +
        cfg.cluster.venv;
      const mem = `${Math.max(0, usedMiB(x.mem_used_gib) - 10)}MiB `;
      return line(head.padEnd(inner - mem.length) + mem);
    }),
    rule([inner], "-"),
  ];
}

/** rocm-smi's concise table for AMD nodes. */
export function rocmSmi(ev: GpuEvent, cfg: RunConfig): string {
  const cols = [
    "Device",
    "Node",
    "Temp",
    "AvgPwr",
    "SCLK",
    "MCLK",
    "Fan",
    "Perf",
    "PwrCap",
    "VRAM%",
    "GPU%",
  ];
  const widths = [8, 6, 10, 9, 9, 9, 5, 6, 8, 7, 6];
  const fmt = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join("").trimEnd();
  const width = widths.reduce((a, b) => a + b, 0);
  const title = (t: string) =>
    ` ${t} `.padStart((width + t.length + 2) >> 1, "=").padEnd(width, "=");
  const rows = ev.data.gpus.map((x, i) =>
    fmt([
      String(i),
      String(i + 2),
      `${x.temp_c.toFixed(1)}°C`,
      `${x.power_w.toFixed(1)}W`,
      `${x.util_pct > 5 ? 2100 : 132}Mhz`,
      "900Mhz",
      "0%",
      "auto",
      `${cfg.gpu.tdpW.toFixed(1)}W`,
      `${Math.round((x.mem_used_gib / x.mem_total_gib) * 100)}%`,
      `${Math.round(x.util_pct)}%`,
    ])
  );
  return [
    title("ROCm System Management Interface"),
    title("Concise Info"),
    fmt(cols),
    "=".repeat(width),
    ...rows,
    "=".repeat(width),
    title("End of ROCm SMI Log"),
  ].join("\n");
}
