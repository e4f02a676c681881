/**
 * The DeepSpeed release a run uses and where in its source each printed statement sits: the
 * `[file.py:line:function]` DeepSpeed's logger puts on every record. One release per run, so
 * every line number agrees with the version the engine announces.
 */

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
  spawned: string;
  killing: string;
  exitCode: string;
  signalExit: string;
  exitOk: string;
  cdb: string;
  torchBackend: string;
  logDist: string;
  meshDevice: string;
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

/** A DeepSpeed release: its version string and its statements' sites. */
export interface DsRelease {
  version: string;
  sites: DsSites;
}

/** DeepSpeed 0.16.9 (2025), the release the style follows; sites read from its source. */
export const DEEPSPEED_0_16_9: DsRelease = {
  version: "0.16.9",
  sites: {
    accelerator: "real_accelerator.py:254:get_accelerator",
    noHostfile: "runner.py:215:fetch_hostfile",
    masterIp: "runner.py:494:main",
    runnerCmd: "runner.py:605:main",
    workers: "multinode_runner.py:85:get_cmd",
    launchEnv: "launch.py:139:main",
    worldInfo: "launch.py:146:main",
    nnodes: "launch.py:152:main",
    rankMapping: "launch.py:163:main",
    worldSize: "launch.py:164:main",
    visibleDevices: "launch.py:168:main",
    spawned: "launch.py:256:main",
    killing: "launch.py:319:sigkill_handler",
    exitCode: "launch.py:325:sigkill_handler",
    signalExit: "launch.py:328:sigkill_handler",
    exitOk: "launch.py:351:main",
    cdb: "comm.py:669:init_distributed",
    torchBackend: "comm.py:700:init_distributed",
    logDist: "logging.py:107:log_dist",
    meshDevice: "config.py:735:__init__",
    configHeader: "config.py:1003:print",
    configItem: "config.py:1007:print",
    userConfig: "config.py:993:print_user_config",
    zeroSupport: "utils.py:59:is_zero_supported_optimizer",
    memLabel: "utils.py:781:see_memory_usage",
    memGpu: "utils.py:782:see_memory_usage",
    memCpu: "utils.py:789:see_memory_usage",
    zero12Reduce: "stage_1_and_2.py:150:__init__",
    zero12Allgather: "stage_1_and_2.py:151:__init__",
    zero12Offload: "stage_1_and_2.py:152:__init__",
    zero12RoundRobin: "stage_1_and_2.py:153:__init__",
    zero12Ready: "stage_1_and_2.py:557:__init__",
    zero3Reduce: "stage3.py:170:__init__",
    zero3Prefetch: "stage3.py:171:__init__",
    zero3Ready: "stage3.py:534:_setup_for_real_optimizer",
    zeroInit: "partition_parameters.py:348:__exit__",
    overflowHalved: "loss_scaler.py:183:update_scale",
    overflowHysteresis: "loss_scaler.py:190:update_scale",
    throughput: "timer.py:264:stop",
    ckptSaving: "torch_checkpoint_engine.py:21:save",
    ckptSaved: "torch_checkpoint_engine.py:23:save",
    ckptCommit: "torch_checkpoint_engine.py:33:commit",
    ckptLoading: "torch_checkpoint_engine.py:27:load",
    ckptLoaded: "torch_checkpoint_engine.py:29:load",
    zeroSaved: "engine.py:3701:_save_zero_checkpoint",
    zeroRead: "engine.py:3241:_get_all_zero_checkpoint_state_dicts",
    zeroLoaded: "engine.py:3191:_load_zero_checkpoint",
  },
};
