/**
 * How a run's GPUs appear to the host's tools: the driver the node runs (drawn per run, so the
 * CUDA version, memory total and nvidia-smi's layout follow it) and the clocks a monitor reads.
 * Data in data/gpu_hosts.json; the server platform and its PCI addresses are the cluster's
 * (src/sim/names.ts, data/platforms.json).
 */
import hostsJson from "../../data/gpu_hosts.json" with { type: "json" };
import type { GpuSpec } from "./catalog.ts";
import { createRng } from "./rng.ts";

/** A driver release and the newest CUDA it supports (what nvidia-smi's header shows). */
export interface DriverRelease {
  version: string;
  cuda: string;
  weight: number;
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
