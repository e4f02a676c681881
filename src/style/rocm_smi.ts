/**
 * `rocm-smi`'s Concise Info table (ROCm 6) of one AMD node from its `gpu` reading: a 122-column
 * banner, two header rows, one row per GPU with columns as wide as their widest entry plus two.
 */
import type { DataEvent } from "../sim/events.ts";
import { createRng } from "../sim/rng.ts";
import type { RunConfig } from "../sim/run_config.ts";
import { gpuHost } from "../sim/gpu_host.ts";

type GpuEvent = Extract<DataEvent, { type: "gpu" }>;

/** The banner's width. */
const WIDTH = 122;
/** MI300X's PCI device id. */
const DEVICE_ID = "0x74a1";
/** The junction (hotspot) sensor rocm-smi shows runs above the die average, °C. */
const JUNCTION_OVER_DIE_C = 10;

/** `text` centred in a rule of `=` (the odd one to the right), as rocm-smi titles it. */
function title(text: string): string {
  const t = ` ${text} `, left = Math.floor((WIDTH - t.length) / 2);
  return "=".repeat(left) + t + "=".repeat(WIDTH - left - t.length);
}

/** Each GPU's unique id, fixed for a node (5 digits or fewer). */
function guids(cfg: RunConfig, node: number, count: number): number[] {
  const rng = createRng(cfg.seed, `rocm-guid:${node}`);
  return Array.from({ length: count }, () => rng.int(1000, 65535));
}

/** The table rows of a reading: the SCLK an active GPU boosts to, or its idle clock. */
function cells(ev: GpuEvent, cfg: RunConfig): string[][] {
  const [idleMHz, maxMHz] = gpuHost(cfg.gpu.id).smClockMHz;
  const ids = guids(cfg, ev.data.node, ev.data.gpus.length);
  const rng = createRng(cfg.seed, `rocm-clk:${ev.data.node}:${ev.simMs}`);
  return ev.data.gpus.map((g, i) => {
    const busy = g.util_pct > 5;
    const sclk = busy ? maxMHz + rng.int(0, 5) : idleMHz - 2 + rng.int(0, 8);
    return [
      String(i),
      String(i + 2),
      `${DEVICE_ID},   ${ids[i]}`,
      `${Math.round(g.temp_c + JUNCTION_OVER_DIE_C).toFixed(1)}°C`,
      `${Math.round(g.power_w).toFixed(1)}W`,
      "NPS1, SPX, 0",
      `${sclk}Mhz`,
      `${gpuHost(cfg.gpu.id).memClockMHz}Mhz`,
      "0%",
      "auto",
      `${cfg.gpu.tdpW.toFixed(1)}W`,
      `${Math.round((g.mem_used_gib / g.mem_total_gib) * 100)}%`,
      `${Math.round(g.util_pct)}%`,
    ];
  });
}

const HEAD = [
  "Device",
  "Node",
  "IDs",
  "Temp",
  "Power",
  "Partitions",
  "SCLK",
  "MCLK",
  "Fan",
  "Perf",
  "PwrCap",
  "VRAM%",
  "GPU%",
];
const SUBHEAD = ["", "", "(DID,     GUID)", "(Junction)", "(Socket)", "(Mem, Compute, ID)"];

/** rocm-smi's concise table for an AMD node's reading. */
export function rocmSmi(ev: GpuEvent, cfg: RunConfig): string {
  const rows = cells(ev, cfg);
  const widths = HEAD.map((h, c) =>
    2 + Math.max(h.length, (SUBHEAD[c] ?? "").length, ...rows.map((r) => r[c].length))
  );
  const fmt = (r: string[]) => r.map((c, i) => c.padEnd(widths[i])).join("").trimEnd();
  return [
    title("ROCm System Management Interface"),
    title("Concise Info"),
    fmt(HEAD),
    fmt(SUBHEAD),
    "=".repeat(WIDTH),
    ...rows.map(fmt),
    "=".repeat(WIDTH),
    title("End of ROCm SMI Log"),
  ].join("\n");
}
