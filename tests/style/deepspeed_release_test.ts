/**
 * The modelled DeepSpeed releases: each statement's `[file.py:line:function]` as read from the
 * release's tag, the per-run draw by start date and torch, and runs that keep to one release.
 */
import assert from "node:assert/strict";
import { drawRunConfig, type RunConfig } from "../../src/sim/run_config.ts";
import { STYLES } from "../../src/style/style.ts";
import { DS_RELEASES, findDsRelease } from "../../src/style/deepspeed_release.ts";
import { dsRelease, releaseWeight } from "../../src/style/deepspeed_log.ts";
import { START_MS, styledRun, textOf } from "./styled_run.ts";

const DAY_MS = 86_400_000;

/** The run of `seed` starting at `startMs`, on the cluster's torch or on `torch`. */
function config(seed: number, startMs: number, torch?: string): RunConfig {
  const cfg = drawRunConfig({ seed, startMs });
  return torch ? { ...cfg, cluster: { ...cfg.cluster, torchVersion: torch } } : cfg;
}

Deno.test("each release's sites are the logger calls in its tag's source", () => {
  const pins: Array<[string, string, string | null]> = [
    ["0.9.5", "zeroInit", "partition_parameters.py:453:__exit__"],
    ["0.9.5", "throughput", "timer.py:215:stop"],
    ["0.9.5", "logDist", "logging.py:96:log_dist"],
    ["0.9.5", "cdb", "comm.py:594:init_distributed"],
    ["0.9.5", "zero12Reduce", "stage_1_and_2.py:133:__init__"],
    ["0.9.5", "spawned", null],
    ["0.10.3", "workers", "multinode_runner.py:72:get_cmd"],
    ["0.10.3", "memLabel", "utils.py:803:see_memory_usage"],
    ["0.10.3", "zeroSaved", "engine.py:3375:_save_zero_checkpoint"],
    ["0.10.3", "visibleDevices", "launch.py:165:main"],
    ["0.12.6", "accelerator", "real_accelerator.py:161:get_accelerator"],
    ["0.12.6", "zero12Ready", "stage_1_and_2.py:516:__init__"],
    ["0.12.6", "configHeader", "config.py:984:print"],
    ["0.12.6", "exitOk", "launch.py:347:main"],
    ["0.14.4", "spawned", "launch.py:256:main"],
    ["0.14.4", "zero3Reduce", "stage3.py:130:__init__"],
    ["0.14.4", "zeroRead", "engine.py:3018:_get_all_zero_checkpoint_state_dicts"],
    ["0.14.4", "runnerCmd", "runner.py:568:main"],
    ["0.14.4", "meshDevice", null],
    ["0.16.9", "accelerator", "real_accelerator.py:254:get_accelerator"],
    ["0.16.9", "meshDevice", "config.py:735:__init__"],
    ["0.16.9", "throughput", "timer.py:264:stop"],
    ["0.9.5", "mpiDetect", "comm.py:609:init_distributed"],
    ["0.9.5", "mpiDiscovered", "comm.py:659:mpi_discovery"],
    ["0.14.4", "mpiDiscovered", "comm.py:702:mpi_discovery"],
    ["0.16.9", "mpiDetect", "comm.py:684:init_distributed"],
    ["0.16.9", "mpiDiscovered", "comm.py:739:mpi_discovery"],
  ];
  for (const [version, key, site] of pins) {
    assert.equal(findDsRelease(version).sites[key as "cdb"], site, `${version} ${key}`);
  }
  for (const r of DS_RELEASES) {
    for (const [key, site] of Object.entries(r.sites)) {
      if (site !== null) assert.match(site, /^[a-z_0-9]+\.py:\d+:\w+$/, `${r.version} ${key}`);
    }
  }
  // The runner names the devices it found by their CUDA name until 0.14.5.
  assert.deepEqual(DS_RELEASES.map((r) => r.visibleDevicesName), [
    "VISIBLE_DEVICES",
    "CUDA_VISIBLE_DEVICES",
    "CUDA_VISIBLE_DEVICES",
    "CUDA_VISIBLE_DEVICES",
    "CUDA_VISIBLE_DEVICES",
  ]);
  // The checkpoint engine's records sit on the same lines in every release.
  const saving = new Set(DS_RELEASES.map((r) => r.sites.ckptSaving));
  assert.deepEqual([...saving], ["torch_checkpoint_engine.py:21:save"]);
});

Deno.test("releaseWeight() favours releases up to a year old, older ones keep a chance", () => {
  assert.equal(releaseWeight(10 * DAY_MS), 0.5);
  assert.equal(releaseWeight(200 * DAY_MS), 1);
  assert.ok(releaseWeight(600 * DAY_MS) < 1 && releaseWeight(600 * DAY_MS) > 0.5);
  assert.equal(releaseWeight(3000 * DAY_MS), 0.1);
});

Deno.test("dsRelease() draws per seed among the releases out by the run's start", () => {
  const counts = new Map<string, number>();
  for (let seed = 1; seed <= 400; seed++) {
    const cfg = config(seed, START_MS, "2.5.1+cu124");
    const r = dsRelease(cfg);
    assert.equal(dsRelease(cfg), r);
    counts.set(r.version, (counts.get(r.version) ?? 0) + 1);
  }
  assert.equal(counts.size, DS_RELEASES.length, JSON.stringify([...counts]));
  const newest = counts.get("0.16.9")!;
  for (const [version, n] of counts) {
    assert.ok(n >= 8 && n <= newest, `${version}: ${n}`);
  }
  // Late 2023: only what was out by then, 0.14.4 and 0.16.9 not yet.
  const late2023 = Date.parse("2023-11-01T00:00:00Z");
  const seen = new Set<string>();
  for (let seed = 1; seed <= 200; seed++) {
    seen.add(dsRelease(config(seed, late2023, "2.1.2+cu121")).version);
  }
  assert.deepEqual([...seen].sort(), ["0.10.3", "0.9.5"]);
  // Before the oldest modelled release: that one.
  assert.equal(
    dsRelease(config(5, Date.parse("2023-01-10T00:00:00Z"), "2.0.1+cu118")).version,
    "0.9.5",
  );
});

Deno.test("dsRelease() gives torch 2.6 clusters a release that loads checkpoints under it", () => {
  for (let seed = 1; seed <= 100; seed++) {
    assert.equal(dsRelease(config(seed, START_MS, "2.6.0+cu126")).version, "0.16.9");
  }
});

Deno.test("a run's every DeepSpeed record comes from the release its engine announces", () => {
  const versions = new Set<string>();
  for (let seed = 1; seed <= 60 && versions.size < 4; seed++) {
    const lines = textOf(styledRun({ seed, nodes: 2, chaos: "high" }, STYLES.deepspeed).events);
    const announced = lines.map((l) => / DeepSpeed info: version=([\d.]+),/.exec(l)?.[1])
      .filter((v) => v !== undefined);
    assert.ok(announced.length > 0, `seed ${seed}: no version line`);
    assert.equal(new Set(announced).size, 1, `seed ${seed}: ${announced}`);
    const release = findDsRelease(announced[0]!);
    versions.add(release.version);
    const sites = new Set(Object.values(release.sites));
    for (const line of lines) {
      for (
        const m of line.matchAll(/\] \[(?:INFO|WARNING|ERROR)\] \[([a-z_0-9]+\.py:\d+:\w+)\] /g)
      ) {
        assert.ok(sites.has(m[1]), `seed ${seed} (${release.version}): ${m[1]} in\n${line}`);
      }
      const parsed = /Parsing checkpoint created by deepspeed==([\d.]+)/.exec(line);
      if (parsed) assert.equal(parsed[1], release.version);
      if (line.includes("Config mesh_device")) assert.notEqual(release.sites.meshDevice, null);
      if (line.includes(" spawned with command: ")) assert.notEqual(release.sites.spawned, null);
    }
  }
  assert.ok(versions.size >= 3, [...versions].join(" "));
});
