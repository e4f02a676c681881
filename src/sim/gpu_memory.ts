/** GPU memory as PyTorch sees it: the capacity it reports, and its caching allocator's blocks. */
import type { GpuSpec } from "./catalog.ts";

/** Capacity torch reports (`total_memory`), GiB: the card's memory less what the driver keeps. */
const TORCH_CAPACITY_GIB: Record<string, number> = {
  "a100-40gb": 39.38,
  "a100-80gb": 79.15,
  "a100-pcie": 79.15,
  "h100-sxm": 79.1,
  "h100-pcie": 79.1,
  "h200": 139.81,
  "b200": 178.35,
  "gb200": 184.31,
  "mi300x": 191.98,
  "l40s": 44.39,
  "v100": 31.74,
};

/** What `torch.cuda.get_device_properties(...).total_memory` gives for `gpu`, GiB. */
export function torchCapacityGiB(gpu: GpuSpec): number {
  return TORCH_CAPACITY_GIB[gpu.id] ?? Math.floor((gpu.memMiB - 600) / 10.24) / 100;
}

/** Memory the caching allocator holds for `gib` of tensors: whole 2 MiB blocks, GiB. */
export function reservedBlocksGiB(gib: number): number {
  return Math.ceil(gib * 512) / 512;
}
