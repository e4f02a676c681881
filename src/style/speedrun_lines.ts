/**
 * The fixed lines of a speedrun record log: the rule between its sections, the versions the
 * script reports (Python's raw `sys.version`, PyTorch and the CUDA it was built for), what its
 * header ends with and the peak-memory line that ends it.
 */
import type { RunConfig } from "../sim/run_config.ts";
import { createRng } from "../sim/rng.ts";
import { isRecord, speedrunEra, type SpeedrunWarmup, stageStarts } from "./speedrun_eras.ts";

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
  const { plain, conda } = COMPILERS[version] ?? { plain: ["[GCC 11.4.0]"] };
  return conda && rng.chance(0.25)
    ? `${version} | packaged by conda-forge | ${build} ${conda}`
    : `${version} ${build} ${rng.pick(plain)}`;
}

/**
 * The compilers each Python of the record machines was built with, as their logs show them:
 * Ubuntu's system builds and the deadsnakes ones with Ubuntu's GCC, the standalone builds uv
 * installs with the Clang of their day, and conda-forge's with its GCC.
 */
const COMPILERS: Record<string, { plain: string[]; conda?: string }> = {
  "3.10.12": { plain: ["[GCC 11.4.0]"] },
  "3.11.10": { plain: ["[GCC 11.4.0]"] },
  "3.12.3": { plain: ["[GCC 13.3.0]"] },
  "3.12.7": { plain: ["[GCC 13.2.0]", "[GCC 13.2.0]", "[Clang 18.1.8 ]"] },
  "3.12.11": { plain: ["[Clang 20.1.4 ]"] },
  "3.12.12": { plain: ["[Clang 21.1.4 ]"], conda: "[GCC 14.3.0]" },
};

/** The PyTorch the replayed record ran on, and the CUDA it was built for. */
export function torchBuild(cfg: RunConfig): { version: string; cuda: string } {
  const era = speedrunEra(cfg);
  return { version: era.torch, cuda: era.cuda };
}

/**
 * The version lines after the first rule (Triton's since the autumn of 2025); the December 2024
 * script spells them in lower case and announces nvidia-smi's output.
 */
export function versionLines(cfg: RunConfig): string[] {
  const torch = torchBuild(cfg);
  const era = speedrunEra(cfg);
  const [python, pytorch] = era.legacyHeader ? ["python", "pytorch"] : ["Python", "PyTorch"];
  return [
    `Running ${python} ${pythonVersion(cfg)}`,
    `Running ${pytorch} ${torch.version} compiled for CUDA ${torch.cuda}`,
    ...(era.triton ? [`Running Triton version ${era.triton}`] : []),
    ...(era.legacyHeader ? ["nvidia-smi:"] : []),
  ];
}

/**
 * What follows the header's closing rule: the December 2024 script's data loaders (the ten
 * training shards and the validation shard a record downloads) between rules, or the warm-up
 * announcements of the scripts of 2026.
 */
export function afterHeaderLines(cfg: RunConfig): string[] {
  const era = speedrunEra(cfg);
  if (era.legacyHeader) {
    return [
      "Training DataLoader: total number of tokens: 1000000000 across 10 files",
      "Validation DataLoader: total number of tokens: 100000000 across 1 files",
      RULE,
    ];
  }
  return era.warmup ? warmupLines(cfg.totalSteps, era.extension ?? 0, era.warmup) : [];
}

/**
 * The warm-up announcements of a run of `steps` whose script runs `extension` steps past its
 * schedule: the steps sampled are the first few and a few around each transition of the
 * three-stage schedule (at its thirds and at its end).
 */
export function warmupLines(steps: number, extension: number, warmup: SpeedrunWarmup): string[] {
  const sampled = new Set(warmup.first);
  for (const at of stageStarts(steps, extension)) {
    for (const off of warmup.offsets) if (at + off >= 0) sampled.add(at + off);
  }
  return [
    "Compiling model and warming up kernels (~7 minutes on first execution)",
    `Sampling steps [${[...sampled].sort((a, b) => a - b).join(", ")}] for warmup`,
    "Resetting Model",
  ];
}

/**
 * torch.cuda's peak memory, MiB: in the record itself what its logs show; in any other run of
 * the script what the tensors held at most (a little under the memory model's footprint, never
 * equal to it) and the caching allocator's reserve above it, whole 2 MiB pages. Scripts until
 * mid-December 2024 print the allocated peak alone, as `consumption`.
 */
export function peakMemoryLine(cfg: RunConfig): string {
  const rng = createRng(cfg.seed, "style:speedrun:memory");
  const era = speedrunEra(cfg);
  const m = cfg.plan.memory;
  const [aLo, aHi] = isRecord(cfg)
    ? era.peakAllocatedMiB
    : [(m.totalGiB - m.overheadGiB) * 1024 * 0.8, (m.totalGiB - m.overheadGiB) * 1024 * 0.92];
  const allocated = Math.floor(rng.range(aLo, aHi + 1));
  if (!era.peakReservedMiB) return `peak memory consumption: ${allocated} MiB`;
  const [rLo, rHi] = isRecord(cfg) ? era.peakReservedMiB : [allocated + 1500, allocated + 9000];
  const reserved = 2 * Math.floor(Math.max(allocated + 2, rng.range(rLo, rHi + 2)) / 2);
  return `peak memory allocated: ${allocated} MiB reserved: ${reserved} MiB`;
}
