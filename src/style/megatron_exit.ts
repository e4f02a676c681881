/**
 * How the worker processes of a Megatron job end: Megatron never destroys its process groups,
 * so PyTorch 2.4 and later warn from the ranks' `ProcessGroupNCCL` destructors as they exit.
 */
import type { RunConfig } from "../sim/run_config.ts";
import type { Rng } from "../sim/rng.ts";
import { teePrefix } from "./ranks.ts";
import { shownRanks } from "./megatron_ranks.ts";

const OLD_TEXT = "WARNING: process group has NOT been destroyed before we destruct " +
  "ProcessGroupNCCL. On normal program exit, the application should call destroy_process_group " +
  "to ensure that any pending NCCL operations have finished in this process. In rare cases this " +
  "process can exit before this point and block the progress of another member of the process " +
  "group. This constraint has always been present,  but this warning has only been added since " +
  "PyTorch 2.4 (function operator())";
const NEW_TEXT = "WARNING: destroy_process_group() was not called before program exit, which " +
  "can leak resources. For more info, please see " +
  "https://pytorch.org/docs/stable/distributed.html#shutdown (function operator())";

/** The destructor's warning by PyTorch minor version: source line, text, every rank or not. */
const DESTRUCTOR: Record<number, [number, string, boolean]> = {
  4: [1187, OLD_TEXT, true],
  5: [1250, OLD_TEXT, true],
  6: [1374, OLD_TEXT, false],
  7: [1479, NEW_TEXT, true],
  8: [1505, NEW_TEXT, true],
};

/** glog's `W1124 09:00:03.123456789` with nanoseconds, as c10 warnings carry it. */
function glogNanos(simMs: number, rng: Rng): string {
  const d = new Date(simMs), two = (n: number) => String(n).padStart(2, "0");
  const nanos = String(d.getUTCMilliseconds() * 1e6 + Math.floor(rng.next() * 1e6))
    .padStart(9, "0");
  return `W${two(d.getUTCMonth() + 1)}${two(d.getUTCDate())} ${two(d.getUTCHours())}:` +
    `${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}.${nanos}`;
}

/** Each exiting rank's destructor warning, ranks finishing a little apart; "" before 2.4. */
export function exitWarnings(cfg: RunConfig, simMs: number, rng: Rng): string {
  const minor = Number(cfg.cluster.torchVersion.split(".")[1]);
  const entry = DESTRUCTOR[Math.min(8, minor)];
  if (!entry) return "";
  const [line, text, everyRank] = entry;
  const ranks = shownRanks(cfg).filter((r) => everyRank || r % cfg.gpusPerNode === 0);
  const exits = ranks.map((rank) => ({ rank, ms: simMs + rng.range(0, 1800) }));
  exits.sort((a, b) => a.ms - b.ms);
  return exits.map(({ rank, ms }) =>
    `${teePrefix(cfg, rank)}[rank${rank}]:[${glogNanos(ms, rng)} ProcessGroupNCCL.cpp:${line}] ` +
    `Warning: ${text}`
  ).join("\n");
}
