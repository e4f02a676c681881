/**
 * The fixed lines of a speedrun record log: the rule between its sections, the versions the
 * script reports (Python's raw `sys.version`, PyTorch and the CUDA it was built for) and the
 * peak-memory line that ends it.
 */
import type { RunConfig } from "../sim/run_config.ts";
import { createRng } from "../sim/rng.ts";
import { speedrunEra } from "./speedrun_eras.ts";

/** The rule the script prints between its sections: 100 `=`. */
export const RULE = "=".repeat(100);

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/**
 * `sys.version` of the record machine's Python: one its era ran, built between its first build
 * and the record's date, by its distribution's compiler.
 */
export function pythonVersion(cfg: RunConfig): string {
  const rng = createRng(cfg.seed, "style:speedrun:python");
  const era = speedrunEra(cfg);
  const [version, [year, month]] = rng.pick(era.pythons);
  const [eraYear, eraMonth] = era.date.split("-").map(Number);
  const span = Math.max(0, (eraYear - year) * 12 + eraMonth - month - 1);
  const months = month - 1 + rng.int(0, span);
  const m = months % 12, y = year + Math.floor(months / 12);
  const day = String(rng.int(1, 28)).padStart(2, " ");
  const time = [rng.int(0, 23), rng.int(0, 59), rng.int(0, 59)]
    .map((n) => String(n).padStart(2, "0")).join(":");
  const build = `(main, ${MONTHS[m]} ${day} ${y}, ${time})`;
  // Ubuntu's system Pythons are built with its GCC; others by their distribution.
  const compiler = version === "3.10.12"
    ? "[GCC 11.4.0]"
    : version === "3.12.3"
    ? "[GCC 13.3.0]"
    : rng.pick(["[GCC 11.4.0]", "[GCC 13.2.0]", "[Clang 18.1.8 ]"]);
  return rng.chance(0.2) && version !== "3.10.12" && version !== "3.12.3"
    ? `${version} | packaged by conda-forge | ${build} [GCC 13.3.0]`
    : `${version} ${build} ${compiler}`;
}

/** The PyTorch the replayed record ran on, and the CUDA it was built for. */
export function torchBuild(cfg: RunConfig): { version: string; cuda: string } {
  const era = speedrunEra(cfg);
  return { version: era.torch, cuda: era.cuda };
}

/** The version lines after the first rule (Triton's since the autumn of 2025). */
export function versionLines(cfg: RunConfig): string[] {
  const torch = torchBuild(cfg);
  const triton = speedrunEra(cfg).triton;
  return [
    `Running Python ${pythonVersion(cfg)}`,
    `Running PyTorch ${torch.version} compiled for CUDA ${torch.cuda}`,
    ...(triton ? [`Running Triton version ${triton}`] : []),
  ];
}

/**
 * The announcements of the scripts that warm their kernels up before the timed loop (from late
 * December 2025): the steps sampled are the first two and four at each third of the run, where
 * the batch and window schedules change shape.
 */
export function warmupLines(cfg: RunConfig): string[] {
  if (!speedrunEra(cfg).warmupLines) return [];
  const n = cfg.totalSteps;
  const sampled = [0, 1];
  for (const at of [Math.floor(n / 3) - 5, Math.floor((2 * n) / 3) - 8, n - 12]) {
    sampled.push(at, at + 1, at + 2, at + 3);
  }
  return [
    "Compiling model and warming up kernels (~7 minutes on first execution)",
    `Sampling steps [${sampled.join(", ")}] for warmup`,
    "Resetting Model",
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
