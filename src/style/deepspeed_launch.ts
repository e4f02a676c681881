/**
 * The `deepspeed` launcher's lines: the runner on the node where the job script types
 * `deepspeed` (its pdsh command), each node's launch.py (world info, ranks, spawned processes,
 * their exits or the kill of all of them) and each process joining the process group.
 */
import { traced } from "./job_script.ts";
import type { RunConfig } from "../sim/run_config.ts";
import { hostName, workerPid } from "../sim/names.ts";
import { createRng } from "../sim/rng.ts";
import { pyStr } from "../format/python_repr.ts";
import {
  byTime,
  dsRecord,
  nodeRecord,
  rankRecord,
  shownNodes,
  shownRanks,
} from "./deepspeed_log.ts";
import type { DsState } from "./deepspeed_state.ts";
import { dsScriptArgs, dsScriptName, dsWorkDir } from "./deepspeed_script.ts";
import {
  detectedDevices,
  dsLauncher,
  dsRunner,
  localFlags,
  mpiDiscovery,
  mpirunCommand,
  torchrunCommand,
} from "./deepspeed_launcher.ts";
import { onSlurm } from "./slurm_lines.ts";

/** True when the job runs on one node without a hostfile (no pdsh, `localhost`). */
function isLocal(cfg: RunConfig): boolean {
  return dsLauncher(cfg).kind === "local";
}

/** Host names as the hostfile lists them (`localhost` for a local launch). */
function hosts(cfg: RunConfig): string[] {
  if (isLocal(cfg)) return ["localhost"];
  return Array.from({ length: cfg.nodes }, (_, n) => hostName(cfg.cluster, n));
}

/** The world info dict: each host's local GPU ids, or with `global` their global ranks. */
function worldInfo(cfg: RunConfig, global: boolean, quote: string): string {
  const g = cfg.gpusPerNode;
  return `{${
    hosts(cfg).map((h, n) => {
      const ids = Array.from({ length: g }, (_, i) => (global ? n * g : 0) + i);
      return `${quote}${h}${quote}: [${ids.join(", ")}]`;
    }).join(", ")
  }}`;
}

/** `--world_info=`: the dict as `json.dumps` writes it, URL-safe base64. */
export function worldInfoBase64(cfg: RunConfig): string {
  const bytes = new TextEncoder().encode(worldInfo(cfg, false, '"'));
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replaceAll("+", "-").replaceAll("/", "_");
}

/** The address launch.py gets as `--master_addr`. */
function masterAddr(cfg: RunConfig): string {
  return isLocal(cfg) ? "127.0.0.1" : cfg.cluster.masterAddr;
}

/** NCCL variables the job exports (the runner forwards them to every node). */
function ncclExports(cfg: RunConfig): Array<[string, string]> {
  const rng = createRng(cfg.seed, "style:deepspeed:env");
  const out: Array<[string, string]> = [["NCCL_DEBUG", "INFO"]];
  if (cfg.nodes > 1 && rng.chance(0.6)) {
    out.push(["NCCL_IB_HCA", rng.pick(["mlx5", "^mlx5_bond_0"])]);
  }
  if (cfg.nodes > 1 && rng.chance(0.5)) out.push(["NCCL_SOCKET_IFNAME", rng.pick(["ib0", "eth0"])]);
  return out;
}

/** The job script's `set -x` trace of the command it runs. */
export function jobCommand(cfg: RunConfig, st: DsState): string {
  const launcher = dsLauncher(cfg);
  const head = launcher.kind === "local"
    ? `deepspeed${localFlags(cfg, launcher.form)}`
    : `deepspeed --hostfile ${dsWorkDir(cfg)}/hostfile`;
  const master = !isLocal(cfg) && st.traits.masterGiven
    ? ` --master_addr ${cfg.cluster.masterAddr}`
    : "";
  const port = cfg.cluster.masterPort === 29500 ? "" : ` --master_port ${cfg.cluster.masterPort}`;
  const command = launcher.kind === "mpirun"
    ? mpirunCommand(cfg, ncclExports(cfg))
    : launcher.kind === "torchrun"
    ? torchrunCommand(cfg)
    : `${head}${master}${port} ${dsScriptName(cfg)} ${dsScriptArgs(cfg).join(" ")}`;
  // The script's `cd` precedes its first launch; a retry loop runs the launch alone again.
  const commands = st.launch > 1 ? [command] : [`cd ${dsWorkDir(cfg)}`, command];
  return traced(st.script, commands).join("\n");
}

/** The launch.py invocation and the user script, as the runner joins them. */
function launchArgs(cfg: RunConfig): string[] {
  return [
    cfg.cluster.venv,
    "-u",
    "-m",
    "deepspeed.launcher.launch",
    `--world_info=${worldInfoBase64(cfg)}`,
    ...(isLocal(cfg) ? [] : ["--node_rank=%n"]),
    `--master_addr=${masterAddr(cfg)}`,
    `--master_port=${cfg.cluster.masterPort}`,
    "--enable_each_rank_log=None",
    dsScriptName(cfg),
    ...dsScriptArgs(cfg),
  ];
}

/** The runner's records on the launching node (no pdsh prefix), from `simMs` to `endMs`. */
export function runnerLines(cfg: RunConfig, st: DsState, simMs: number, endMs: number): string {
  const launcher = dsLauncher(cfg);
  // mpirun and torchrun start the ranks themselves: there is no runner.
  if (!dsRunner(cfg)) return "";
  const s = st.release.sites, rng = createRng(cfg.seed, `style:deepspeed:runner:${st.launch}`);
  const lines = [dsRecord(simMs, s.accelerator, "Setting ds_accelerator to cuda (auto detect)")];
  // The runner's imports take about two seconds; it has spoken by the time the job starts.
  let t = simMs + Math.min(rng.range(1800, 2900), Math.max(50, endMs - simMs - 902));
  if (isLocal(cfg)) {
    const msg = "Unable to find hostfile, will proceed with training with local resources only.";
    lines.push(dsRecord(t, s.noHostfile, msg, "WARNING"));
    // Slurm sets CUDA_VISIBLE_DEVICES for the job's GPUs; the runner notices it.
    if (onSlurm(cfg)) {
      lines.push(detectedDevices(cfg, launcher.form, st.release.visibleDevicesName));
    }
    lines.push(dsRecord(t, s.runnerCmd, `cmd = ${launchArgs(cfg).join(" ")}`));
    return lines.join("\n");
  }
  if (!st.traits.masterGiven) {
    t += rng.range(300, 900);
    lines.push(
      dsRecord(
        t,
        s.masterIp,
        `Using IP address of ${cfg.cluster.masterAddr} for node ${hosts(cfg)[0]}`,
      ),
    );
  }
  lines.push(dsRecord(t, s.workers, `Running on the following workers: ${hosts(cfg).join(",")}`));
  const exports = [...ncclExports(cfg), ["PYTHONPATH", dsWorkDir(cfg)]]
    .map(([k, v]) => `export ${k}=${v}; `).join("");
  const cmd = [
    "pdsh",
    "-S",
    "-f",
    "1024",
    "-w",
    hosts(cfg).join(","),
    exports,
    `cd ${dsWorkDir(cfg)};`,
  ]
    .concat(launchArgs(cfg));
  lines.push(dsRecord(t + 1, s.runnerCmd, `cmd = ${cmd.join(" ")}`));
  return lines.join("\n");
}

/** Process id of local rank `local` on `node` in the current launch. */
export function childPid(cfg: RunConfig, st: DsState, node: number, local: number): number {
  return workerPid(cfg, node, local) + (st.launch - 1) * 7919;
}

/** The argv launch.py starts local rank `local` with, as Python prints the list. */
export function childArgv(cfg: RunConfig, local: number): string {
  const argv = [
    cfg.cluster.venv,
    "-u",
    dsScriptName(cfg),
    `--local_rank=${local}`,
    ...dsScriptArgs(cfg),
  ];
  return `[${argv.map(pyStr).join(", ")}]`;
}

/** One node's launch.py report, starting at `simMs`. */
function nodeLauncher(
  cfg: RunConfig,
  st: DsState,
  node: number,
  simMs: number,
): Array<[number, string]> {
  const s = st.release.sites, g = cfg.gpusPerNode;
  const at = (
    ms: number,
    where: string,
    msg: string,
  ): [number, string] => [ms, nodeRecord(cfg, node, ms, where, msg)];
  const env: Array<[string, string]> = [
    ...(st.traits.ncclVersionEnv
      ? [["NCCL_VERSION", cfg.cluster.ncclVersion.split("+")[0]] as [string, string]]
      : []),
    ...(isLocal(cfg) ? [] : ncclExports(cfg)),
  ];
  const t = simMs + 1650;
  const out: Array<[number, string]> = [
    at(simMs, s.accelerator, "Setting ds_accelerator to cuda (auto detect)"),
    ...env.map(([k, v]) => at(t, s.launchEnv, `${node} ${k}=${v}`)),
    at(t, s.worldInfo, `WORLD INFO DICT: ${worldInfo(cfg, false, "'")}`),
    at(t, s.nnodes, `nnodes=${cfg.nodes}, num_local_procs=${g}, node_rank=${node}`),
    at(
      t,
      s.rankMapping,
      `global_rank_mapping=defaultdict(<class 'list'>, ${worldInfo(cfg, true, "'")})`,
    ),
    at(t + 1, s.worldSize, `dist_world_size=${cfg.worldSize}`),
    at(
      t + 1,
      s.visibleDevices,
      `Setting CUDA_VISIBLE_DEVICES=${Array.from({ length: g }, (_, i) => i).join(",")}`,
    ),
  ];
  // Releases before 0.13 spawn their children without a word.
  for (let local = 0; s.spawned !== null && local < g; local++) {
    const pid = childPid(cfg, st, node, local);
    out.push(
      at(
        t + 1 + Math.floor(local / 3),
        s.spawned,
        `process ${pid} spawned with command: ${childArgv(cfg, local)}`,
      ),
    );
  }
  return out;
}

/** Every shown node's launch.py report up to `simMs`, nodes' lines mixed as pdsh delivers them. */
export function launcherLines(cfg: RunConfig, st: DsState, simMs: number): string {
  if (!dsRunner(cfg)) {
    st.spawnMs = simMs;
    return "";
  }
  const rng = createRng(cfg.seed, `style:deepspeed:nodes:${st.launch}`);
  // Each launch.py has spawned its children by the instant the simulation starts them.
  const lines = shownNodes(cfg).flatMap((node) =>
    nodeLauncher(cfg, st, node, simMs - 1915 + rng.range(0, 260))
  );
  st.spawnMs = Math.max(...lines.map(([ms]) => ms));
  return byTime(lines);
}

/**
 * Each process importing DeepSpeed, then joining the process group (rank 0 creates it); under
 * mpirun every rank first asks MPI for its place, the ranks meeting in its broadcast.
 */
export function rankInitLines(cfg: RunConfig, st: DsState, simMs: number): string {
  const s = st.release.sites, rng = createRng(cfg.seed, `style:deepspeed:ranks:${st.launch}`);
  const mpi = dsLauncher(cfg).kind === "mpirun";
  const lines: Array<[number, string]> = [];
  const at = (r: number, ms: number, where: string, msg: string) =>
    lines.push([ms, rankRecord(cfg, r, ms, where, msg)]);
  const joins = shownRanks(cfg).map((r) => {
    // A child imports DeepSpeed a second or two after its launcher spawned it.
    const imported = Math.max(simMs - rng.range(900, 2600), st.spawnMs + rng.range(700, 2200));
    at(r, imported, s.accelerator, "Setting ds_accelerator to cuda (auto detect)");
    const joined = Math.max(simMs - 420, imported + 400) + rng.range(0, 420);
    at(r, joined, s.cdb, "cdb=None");
    if (mpi) {
      at(
        r,
        joined,
        s.mpiDetect,
        "Not using the DeepSpeed or dist launchers, attempting to detect MPI environment...",
      );
    }
    return [r, joined] as const;
  });
  // MPI discovery ends in an allgather: every rank reports once the last has arrived.
  const met = Math.max(...joins.map(([, ms]) => ms)) + rng.range(20, 80);
  st.joinedMs = met;
  for (const [r, joined] of joins) {
    const ms = mpi ? met + rng.range(0, 2.5) : joined;
    if (mpi) at(r, ms, s.mpiDiscovered, mpiDiscovery(cfg, r));
    if (r === 0) {
      at(
        0,
        ms + (mpi ? 1 : 0),
        s.torchBackend,
        "Initializing TorchBackend in DeepSpeed with backend nccl",
      );
    }
  }
  return byTime(lines);
}
