/**
 * The fixed lines of a speedrun record log: the rule between its sections, the versions the
 * script reports (Python's raw `sys.version`, PyTorch and the CUDA it was built for) and the
 * peak-memory line that ends it.
 */
import type { RunConfig } from "../sim/run_config.ts";
import { createRng } from "../sim/rng.ts";

/** The rule the script prints between its sections: 100 `=`. */
export const RULE = "=".repeat(100);

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** When each Python release came out ([year, month]): its builds are dated after it. */
const RELEASED: Record<string, [number, number]> = {
  "3.10.14": [2024, 3],
  "3.11.9": [2024, 4],
  "3.11.10": [2024, 9],
  "3.12.7": [2024, 10],
};

/** `sys.version` of the run's Python: version, build date and compiler of its distribution. */
export function pythonVersion(cfg: RunConfig): string {
  const rng = createRng(cfg.seed, "style:speedrun:python");
  const version = cfg.cluster.pythonVersion;
  const [year, month] = RELEASED[version] ?? [2024, 6];
  const months = month - 1 + rng.int(0, 4);
  const m = months % 12, y = year + Math.floor(months / 12);
  const day = String(rng.int(1, 28)).padStart(2, " ");
  const time = [rng.int(0, 23), rng.int(0, 59), rng.int(0, 59)]
    .map((n) => String(n).padStart(2, "0")).join(":");
  const build = `(main, ${MONTHS[m]} ${day} ${y}, ${time})`;
  const compiler = rng.pick(["[GCC 11.4.0]", "[GCC 13.2.0]", "[Clang 18.1.8 ]"]);
  return rng.chance(0.2)
    ? `${version} | packaged by conda-forge | ${build} [GCC 13.3.0]`
    : `${version} ${build} ${compiler}`;
}

/**
 * The PyTorch the record script runs on (FlexAttention needs 2.5 or later): the cluster's own
 * build when recent enough, else 2.5.1 built for the driver's CUDA.
 */
export function torchBuild(cfg: RunConfig): { version: string; cuda: string } {
  const own = cfg.cluster.torchVersion;
  const minor = Number(own.split(".")[1]);
  const version = minor >= 5 ? own : cfg.gpu.cuda === "12.2" ? "2.5.1+cu121" : "2.5.1+cu124";
  const tag = /\+cu(\d+)(\d)$/.exec(version);
  return { version, cuda: tag ? `${tag[1]}.${tag[2]}` : cfg.gpu.cuda };
}

/** The two version lines after the first rule. */
export function versionLines(cfg: RunConfig): string[] {
  const torch = torchBuild(cfg);
  return [
    `Running Python ${pythonVersion(cfg)}`,
    `Running PyTorch ${torch.version} compiled for CUDA ${torch.cuda}`,
  ];
}

/**
 * torch.cuda's peak memory, MiB: what the tensors held at most (a little under the memory
 * model's footprint, never equal to it) and the caching allocator's reserve, whole 2 MiB pages.
 */
export function peakMemoryLine(cfg: RunConfig): string {
  const rng = createRng(cfg.seed, "style:speedrun:memory");
  const m = cfg.plan.memory;
  const tensorsMiB = (m.totalGiB - m.overheadGiB) * 1024;
  const allocated = Math.floor(tensorsMiB * rng.range(0.8, 0.92));
  const reserved = 2 * Math.floor((allocated + rng.range(1500, 9000)) / 2);
  return `peak memory allocated: ${allocated} MiB reserved: ${reserved} MiB`;
}
