/**
 * Crash tracebacks and the config dump follow the run's DeepSpeed release: each frame's line,
 * function and source as in that release's tag, and each config repr with that release's fields.
 */
import assert from "node:assert/strict";
import { drawRunConfig } from "../../src/sim/run_config.ts";
import type { StrikeSite } from "../../src/sim/facts.ts";
import { STYLES } from "../../src/style/style.ts";
import { configEntries, monitorRepr, zeroRepr } from "../../src/style/deepspeed_config.ts";
import { dsFrames } from "../../src/style/deepspeed_faults.ts";
import { dsRelease } from "../../src/style/deepspeed_log.ts";
import { DS_RELEASES, type DsFrames, findDsRelease } from "../../src/style/deepspeed_release.ts";
import { dsStage } from "../../src/style/deepspeed_script.ts";
import { initialState } from "../../src/style/deepspeed_state.ts";
import { START_MS, styledRun, textOf } from "./styled_run.ts";

/** `file:line:function  source` of a release's frame, as a pin reads it. */
function shown(version: string, key: keyof DsFrames): string {
  const [path, line, fn, code] = findDsRelease(version).frames[key];
  return `${path.split("/").pop()}:${line}:${fn}  ${code}`;
}

Deno.test("each release's traceback frames are its tag's lines, functions and source", () => {
  const pins: Array<[string, keyof DsFrames, string]> = [
    ["0.9.5", "step", "engine.py:2053:step  self._take_model_step(lr_kwargs)"],
    ["0.9.5", "nvtx", "nvtx.py:15:wrapped_fn  ret_val = func(*args, **kwargs)"],
    [
      "0.9.5",
      "z12GradNorm",
      "stage_1_and_2.py:1508:get_grad_norm_direct  param_norm = g.data.double().norm(2)",
    ],
    [
      "0.9.5",
      "saveZero",
      "engine.py:3239:_save_zero_checkpoint  self.checkpoint_engine.save(zero_sd, zero_checkpoint_name)",
    ],
    ["0.10.3", "forward", "engine.py:1801:forward  loss = self.module(*inputs, **kwargs)"],
    [
      "0.10.3",
      "saveCheckpoint",
      "engine.py:3025:save_checkpoint  self._save_zero_checkpoint(save_dir, tag)",
    ],
    [
      "0.12.6",
      "backward",
      "engine.py:1955:backward  self.optimizer.backward(loss, retain_graph=retain_graph)",
    ],
    ["0.12.6", "z3Step", "stage3.py:1951:step  norm_groups = self._get_norm_groups()"],
    ["0.14.4", "takeModelStep", "engine.py:2066:_take_model_step  self.optimizer.step()"],
    [
      "0.14.4",
      "z12GradNorm",
      "stage_1_and_2.py:1690:get_grad_norm_direct  torch.norm(g.data.double().detach(), norm_type).to(get_accelerator().current_device_name()))",
    ],
    ["0.16.9", "nvtx", "nvtx.py:18:wrapped_fn  ret_val = func(*args, **kwargs)"],
    [
      "0.16.9",
      "saveZero",
      "engine.py:3696:_save_zero_checkpoint  self.checkpoint_engine.save(zero_sd, zero_checkpoint_name)",
    ],
    ["0.16.9", "torchSave", "torch_checkpoint_engine.py:22:save  torch.save(state_dict, path)"],
  ];
  for (const [version, key, want] of pins) {
    assert.equal(shown(version, key), want, `${version} ${key}`);
  }
  for (const r of DS_RELEASES) {
    // The zero checkpoint's record sits five lines below the save that a crash passes through.
    const [, line, fn] = r.frames.saveZero;
    assert.equal(`engine.py:${line + 5}:${fn}`, r.sites.zeroSaved, r.version);
  }
});

Deno.test("zeroRepr() prints the release's ZeRO fields: pydantic v1's pp_int before 0.16", () => {
  assert.equal(
    zeroRepr(findDsRelease("0.9.5"), 2),
    "stage=2 contiguous_gradients=True reduce_scatter=True reduce_bucket_size=500,000,000 " +
      "allgather_partitions=True allgather_bucket_size=500,000,000 overlap_comm=True " +
      "load_from_fp32_weights=True elastic_checkpoint=False offload_param=None offload_optimizer=None " +
      "sub_group_size=1,000,000,000 cpu_offload_param=None cpu_offload_use_pin_memory=None " +
      "cpu_offload=None prefetch_bucket_size=50,000,000 param_persistence_threshold=100,000 " +
      "model_persistence_threshold=sys.maxsize max_live_parameters=1,000,000,000 " +
      "max_reuse_distance=1,000,000,000 gather_16bit_weights_on_model_save=False " +
      "stage3_gather_fp16_weights_on_model_save=False ignore_unused_parameters=True " +
      "legacy_stage1=False round_robin_gradients=False mics_shard_size=-1 " +
      "mics_hierarchical_params_gather=False memory_efficient_linear=True",
  );
  assert.equal(
    zeroRepr(findDsRelease("0.16.9"), 3),
    "stage=3 contiguous_gradients=True reduce_scatter=True reduce_bucket_size=500000000 " +
      "use_multi_rank_bucket_allreduce=True allgather_partitions=True allgather_bucket_size=500000000 " +
      "overlap_comm=True load_from_fp32_weights=True elastic_checkpoint=False offload_param=None " +
      "offload_optimizer=None sub_group_size=1000000000 cpu_offload_param=None " +
      "cpu_offload_use_pin_memory=None cpu_offload=None prefetch_bucket_size=50000000 " +
      "param_persistence_threshold=100000 model_persistence_threshold=9223372036854775807 " +
      "max_live_parameters=1000000000 max_reuse_distance=1000000000 " +
      "gather_16bit_weights_on_model_save=True module_granularity_threshold=0 " +
      "use_all_reduce_for_fetch_params=False stage3_gather_fp16_weights_on_model_save=False " +
      "ignore_unused_parameters=True legacy_stage1=False round_robin_gradients=False " +
      "zero_hpz_partition_size=1 zero_quantized_weights=False zero_quantized_nontrainable_weights=False " +
      "zero_quantized_gradients=False zeropp_loco_param=None mics_shard_size=-1 " +
      "mics_hierarchical_params_gather=False memory_efficient_linear=True " +
      "pipeline_loading_checkpoint=False override_module_apply=True log_trace_cache_warnings=False",
  );
  assert.doesNotMatch(monitorRepr(findDsRelease("0.12.6")), /comet/);
  assert.match(
    monitorRepr(findDsRelease("0.14.4")),
    /^tensorboard=TensorBoardConfig\(.*\) comet=CometConfig\(/,
  );
});

Deno.test("over many seeds a run's frames and config dump agree with its drawn release", () => {
  const sites: StrikeSite[] = ["data", "forward", "backward", "optimizer", "sync", "save"];
  const seen = new Set<string>();
  for (let seed = 1; seed <= 300; seed++) {
    const cfg = drawRunConfig({ seed, startMs: START_MS });
    const release = dsRelease(cfg);
    seen.add(release.version);
    const own = new Set(Object.values(release.frames).map(([p, l, f, c]) => `${p}:${l}:${f}:${c}`));
    for (const site of sites) {
      for (const f of dsFrames(cfg, site)) {
        const at = f.file.indexOf("/site-packages/deepspeed/");
        if (at < 0) continue;
        const key = `${f.file.slice(at + 25)}:${f.line}:${f.fn}:${f.code}`;
        assert.ok(own.has(key), `seed ${seed} (${release.version}) ${site}: ${key}`);
      }
    }
    const optimizer = dsFrames(cfg, "optimizer").map((f) => f.fn);
    assert.equal(optimizer.includes("wrapped_fn"), dsStage(cfg) === 3, `seed ${seed}`);
    const dump = new Map(configEntries(cfg, initialState(cfg), 10));
    const zero = dump.get("zero_config")!;
    const names = zero.split(" ").map((kv) => kv.split("=")[0]);
    assert.deepEqual(names, release.zeroConfigFields.map(([k]) => k), `seed ${seed}`);
    const minor = Number(release.version.split(".")[1]);
    assert.equal(zero.includes("reduce_bucket_size=500,000,000"), minor < 16, `seed ${seed}`);
    assert.equal(dump.get("monitor_config")!.includes("comet="), minor >= 14, `seed ${seed}`);
    assert.equal(dump.has("compile_config"), release.version === "0.16.9", `seed ${seed}`);
  }
  assert.equal(seen.size, DS_RELEASES.length);
});

Deno.test("a crashed run's printed DeepSpeed frames are its release's", () => {
  const versions = new Set<string>();
  for (let seed = 1; seed <= 40 && versions.size < 3; seed++) {
    const r = styledRun({ seed, chaos: "high" }, STYLES.deepspeed);
    const release = dsRelease(r.cfg);
    const want = new Set(
      Object.values(release.frames).map(([p, l, f]) => `deepspeed/${p}", line ${l}, in ${f}`),
    );
    const frames = textOf(r.events).join("\n").match(/deepspeed\/[\w/]+\.py", line \d+, in \w+/g) ??
      [];
    for (const f of frames) assert.ok(want.has(f), `seed ${seed} (${release.version}): ${f}`);
    if (frames.length > 0) versions.add(release.version);
  }
  assert.ok(versions.size >= 3, [...versions].join(" "));
});
