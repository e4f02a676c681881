/**
 * How a run's GPUs appear to the host's tools: the driver the node runs (drawn per run, so the
 * CUDA version, memory total and nvidia-smi's layout follow it), the server platform and the
 * PCI addresses it puts the GPUs at, and the clocks a monitor reads. Data in data/gpu_hosts.json.
 */
import hostsJson from "../../data/gpu_hosts.json" with { type: "json" };
import type { GpuSpec } from "./catalog.ts";
import { createRng } from "./rng.ts";
import type { RunConfig } from "./run_config.ts";

/** A driver release and the newest CUDA it supports (what nvidia-smi's header shows). */
export interface DriverRelease {
  version: string;
  cuda: string;
  weight: number;
}

/** A server model and the PCI address of each of its GPUs, in nvidia-smi's order. */
export interface Platform {
  name: string;
  weight: number;
  /** `DDDDDDDD:BB:DD.F`, upper-case hex, as nvidia-smi prints a Bus-Id. */
  addresses: string[];
}

/** The host-side facts of one GPU model. */
export interface GpuHost {
  gpu: string;
  drivers: DriverRelease[];
  /** Memory total drivers before R510 report, MiB (they kept a reserve out), or null. */
  legacyMemMiB: number | null;
  /** HBM and GDDR run at one fixed clock whatever the load, MHz. */
  memClockMHz: number;
  /** The SM clock idle and at full boost, MHz. */
  smClockMHz: [number, number];
  /** HBM parts report a memory temperature; GDDR boards do not. */
  hbm: boolean;
  /** The part supports MIG (nvidia-smi prints `Disabled` rather than `N/A`). */
  mig: boolean;
  platforms: Platform[];
}

const HOSTS = hostsJson as GpuHost[];

/** The host facts of GPU model `id` (every catalogue GPU has an entry). */
export function gpuHost(id: string): GpuHost {
  const h = HOSTS.find((x) => x.gpu === id);
  if (!h) throw new Error(`data/gpu_hosts.json has no entry for GPU ${id}`);
  return h;
}

/** The driver's major release, e.g. 535 for 535.183.06. */
export function driverMajor(version: string): number {
  return Number(version.split(".")[0]);
}

/**
 * The GPU as the run's nodes run it: the catalogue spec with a driver drawn from the seed (its
 * own stream), the CUDA version it reports, and the memory total that driver shows.
 */
export function withDriver(gpu: GpuSpec, seed: number): GpuSpec {
  const host = gpuHost(gpu.id);
  if (host.drivers.length === 0) return gpu;
  const rng = createRng(seed, "driver");
  const d = rng.weighted(host.drivers, host.drivers.map((x) => x.weight));
  const legacy = driverMajor(d.version) < 510 && host.legacyMemMiB !== null;
  return {
    ...gpu,
    driver: d.version,
    cuda: d.cuda,
    memMiB: legacy ? host.legacyMemMiB! : gpu.memMiB,
  };
}

/** The server platform of a run's nodes, drawn from its seed (null when none is known). */
export function platformOf(cfg: RunConfig): Platform | null {
  const ps = gpuHost(cfg.gpu.id).platforms;
  if (ps.length === 0) return null;
  return createRng(cfg.seed, "platform").weighted(ps, ps.map((p) => p.weight));
}

/** The DGX H100 layout, for GPUs whose platform is not known. */
const FALLBACK = ["18", "2A", "3A", "5D", "9A", "AB", "BA", "DB"].map((b) => `00000000:${b}:00.0`);

/**
 * The PCI address of local GPU `local`, as nvidia-smi prints it. Past the platform's GPUs (a
 * node asked to hold more than its board has) the pattern repeats in the next PCI domain.
 */
export function pciAddress(cfg: RunConfig, local: number): string {
  const list = platformOf(cfg)?.addresses ?? FALLBACK;
  const base = list[local % list.length];
  const wrap = Math.floor(local / list.length);
  if (wrap === 0) return base;
  const domain = parseInt(base.slice(0, 8), 16) + 0x20 * wrap;
  return domain.toString(16).toUpperCase().padStart(8, "0") + base.slice(8);
}

/** NCCL's `busId`: the address's hex digits as one number, printed in lower-case hex. */
export function ncclBusId(address: string): string {
  return parseInt(address.replace(/[:.]/g, ""), 16).toString(16);
}
