/**
 * The DeepSpeed releases the style models and where in each one's source every printed statement
 * sits: the `[file.py:line:function]` DeepSpeed's logger puts on every record, read from the
 * release's tag (data/deepspeed_releases.json). One release per run, so every line number
 * agrees with the version the engine announces.
 */
import releasesJson from "../../data/deepspeed_releases.json" with { type: "json" };

/** The statements the style prints, by what they say. */
export interface DsSites {
  accelerator: string;
  noHostfile: string;
  masterIp: string;
  runnerCmd: string;
  workers: string;
  launchEnv: string;
  worldInfo: string;
  nnodes: string;
  rankMapping: string;
  worldSize: string;
  visibleDevices: string;
  /** launch.py's `process N spawned with command` (from 0.13.x; null before). */
  spawned: string | null;
  killing: string;
  exitCode: string;
  signalExit: string;
  exitOk: string;
  cdb: string;
  /** comm.py's notice that no launcher set the rank variables (it asks MPI instead). */
  mpiDetect: string;
  /** mpi_discovery's `Discovered MPI settings of ...`. */
  mpiDiscovered: string;
  torchBackend: string;
  logDist: string;
  /** config.py's `Config mesh_device` (from 0.15.0; null before). */
  meshDevice: string | null;
  configHeader: string;
  configItem: string;
  userConfig: string;
  zeroSupport: string;
  memLabel: string;
  memGpu: string;
  memCpu: string;
  zero12Reduce: string;
  zero12Allgather: string;
  zero12Offload: string;
  zero12RoundRobin: string;
  zero12Ready: string;
  zero3Reduce: string;
  zero3Prefetch: string;
  zero3Ready: string;
  zeroInit: string;
  overflowHalved: string;
  overflowHysteresis: string;
  throughput: string;
  ckptSaving: string;
  ckptSaved: string;
  ckptCommit: string;
  ckptLoading: string;
  ckptLoaded: string;
  zeroSaved: string;
  zeroRead: string;
  zeroLoaded: string;
}

/** A traceback frame under `site-packages/deepspeed/`: path, line, function, source, caret span. */
export type DsFrame = readonly [string, number, string, string, string?];

/** The DeepSpeed frames a crash can show, by the call each one makes. */
export interface DsFrames {
  forward: DsFrame;
  backward: DsFrame;
  step: DsFrame;
  takeModelStep: DsFrame;
  nvtx: DsFrame;
  z3Step: DsFrame;
  z3NormGroups: DsFrame;
  z3GradNorm: DsFrame;
  z12Step: DsFrame;
  z12GlobalNorm: DsFrame;
  z12GradNorm: DsFrame;
  saveCheckpoint: DsFrame;
  saveZero: DsFrame;
  torchSave: DsFrame;
}

/** A DeepSpeed release: its version, date, statements' sites and the facts its wording follows. */
export interface DsRelease {
  version: string;
  /** When the release was tagged, epoch ms (UTC midnight of the day). */
  releasedMs: number;
  /** The variable the runner names when it finds the devices preset (`CUDA_VISIBLE_DEVICES`). */
  visibleDevicesName: string;
  sites: DsSites;
  /** Where its crash tracebacks pass through DeepSpeed, read from the release's tag. */
  frames: DsFrames;
  /** `DeepSpeedZeroConfig`'s fields in declaration order with their defaults as printed. */
  zeroConfigFields: ReadonlyArray<readonly [string, string]>;
  /** `DeepSpeedMonitorConfig`'s fields in declaration order (`comet` from 0.14). */
  monitorFields: readonly string[];
  /** `DeepSpeedConfig` attributes newer releases print that this one does not have. */
  configAbsent: readonly string[];
  /** What `zero.Init` reports when it closes: parameter and element counts, or billions only. */
  zeroInitCounts: "elements" | "billions";
  /** Whether empty param groups are pruned from the client optimizer before it is adopted. */
  prunesClientGroupsFirst: boolean;
  /** Whether `DeepSpeed Final Optimizer` names the client optimizer's class (not the wrapper's). */
  finalOptimizerIsClient: boolean;
  /** Whether checkpoint loads pass `weights_only=False` (torch 2.6 made `True` the default). */
  loadsPicklesUnderTorch26: boolean;
}

/** The modelled releases, newest first. */
export const DS_RELEASES: readonly DsRelease[] = releasesJson.releases.map((r) => ({
  version: r.version,
  releasedMs: Date.parse(`${r.released}T00:00:00Z`),
  visibleDevicesName: r.visibleDevicesName,
  sites: r.sites,
  frames: r.frames as unknown as DsFrames,
  zeroConfigFields: r.zeroConfigFields as Array<[string, string]>,
  monitorFields: r.monitorFields,
  configAbsent: r.configAbsent,
  zeroInitCounts: r.zeroInitCounts as DsRelease["zeroInitCounts"],
  prunesClientGroupsFirst: r.prunesClientGroupsFirst,
  finalOptimizerIsClient: r.finalOptimizerIsClient,
  loadsPicklesUnderTorch26: r.loadsPicklesUnderTorch26,
}));

/** The modelled release of `version` (e.g. "0.14.4"); throws for one not modelled. */
export function findDsRelease(version: string): DsRelease {
  const found = DS_RELEASES.find((r) => r.version === version);
  if (!found) throw new Error(`DeepSpeed ${version} is not modelled`);
  return found;
}
