/**
 * `nvidia-smi dmon`'s header and rows. From R525 on every column is 7 wide and each field is
 * followed by a space, `-s u` adds the JPEG and optical-flow engines and `-s m` the
 * confidential-compute memory; older drivers print 6-wide columns without those. `-o T`
 * prepends the sample's time. Unsupported metrics print `-`; values are whole numbers.
 */
import { hmsTime } from "../format/clock.ts";
import type { Readout } from "./gpu_readout.ts";

/** How the job script started dmon. */
export interface DmonOptions {
  /** `-s`: metric groups, any of p (power, temperatures), u (utilisation), c (clocks), m (memory). */
  select: string;
  /** `-o T`: a time column first. */
  time: boolean;
  /** The driver's layout from R525 on. */
  modern: boolean;
  /** The GPU has JPEG and optical-flow engines (Ampere on; Volta has neither). */
  engines?: boolean;
}

/** dmon prints its two header lines again after this many rows (seen in long captures). */
export const DMON_HEADER_EVERY_ROWS = 44;

interface Column {
  name: string;
  unit: string;
  value: (r: Readout) => string;
}

const whole = (x: number) => String(Math.round(x));

/** The columns of each metric group, in dmon's order. */
function groups(modern: boolean, engines: boolean): Record<string, Column[]> {
  const zero = (name: string): Column => ({ name, unit: "%", value: () => "0" });
  const engine = (name: string): Column => ({
    name,
    unit: "%",
    value: () => (engines ? "0" : "-"),
  });
  return {
    p: [
      { name: "pwr", unit: "W", value: (r) => whole(r.powerW) },
      { name: "gtemp", unit: "C", value: (r) => whole(r.tempC) },
      { name: "mtemp", unit: "C", value: (r) => (r.memTempC === null ? "-" : whole(r.memTempC)) },
    ],
    u: [
      { name: "sm", unit: "%", value: (r) => String(r.smPct) },
      { name: "mem", unit: "%", value: (r) => String(r.memPct) },
      zero("enc"),
      zero("dec"),
      // Volta has no JPEG decoder or optical-flow engine: the driver has nothing to read there.
      ...(modern ? [engine("jpg"), engine("ofa")] : []),
    ],
    c: [
      { name: "mclk", unit: "MHz", value: (r) => String(r.memMHz) },
      { name: "pclk", unit: "MHz", value: (r) => String(r.smMHz) },
    ],
    m: [
      { name: "fb", unit: "MB", value: (r) => String(r.usedMiB) },
      { name: "bar1", unit: "MB", value: (r) => String(r.bar1MiB) },
      ...(modern ? [{ name: "ccpm", unit: "MB", value: () => "0" }] : []),
    ],
  };
}

function columns(o: DmonOptions): Column[] {
  const g = groups(o.modern, o.engines ?? true);
  return ["p", "u", "c", "m"].filter((k) => o.select.includes(k)).flatMap((k) => g[k]);
}

/** One line: the leading field, then the columns, in the driver's widths. */
function line(o: DmonOptions, lead: string, cells: string[]): string {
  return o.modern
    ? lead + " " + cells.map((c) => c.padStart(6) + " ").join("")
    : lead + cells.map((c) => c.padStart(6)).join("");
}

/** The two header lines. */
export function dmonHeader(o: DmonOptions): string[] {
  const cols = columns(o);
  const [a, b] = o.time
    ? ["#Time".padEnd(9) + "gpu".padStart(8), "#HH:MM:SS" + "Idx".padStart(8)]
    : ["# gpu", "# Idx"];
  return [line(o, a, cols.map((c) => c.name)), line(o, b, cols.map((c) => c.unit))];
}

/** One row per GPU of a sample taken at `simMs`. */
export function dmonRows(o: DmonOptions, simMs: number, gpus: Readout[]): string[] {
  const cols = columns(o);
  const time = ` ${hmsTime(simMs)}`;
  return gpus.map((r) => {
    const lead = o.time ? time + String(r.index).padStart(8) : String(r.index).padStart(5);
    return line(o, lead, cols.map((c) => c.value(r)));
  });
}

/** The command line that starts it. */
export function dmonCommand(o: DmonOptions, intervalS: number): string {
  const select = o.select === "puc" ? "" : ` -s ${o.select}`;
  return `nvidia-smi dmon${select} -d ${intervalS}${o.time ? " -o T" : ""}`;
}
