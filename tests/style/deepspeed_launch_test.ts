/**
 * How a DeepSpeed run is launched: DeepSpeed's runner on one node with local resources (bare,
 * `--num_gpus`, `--include`, and what it says of the devices Slurm set), pdsh across nodes, or
 * OpenMPI's mpirun with DeepSpeed's MPI discovery and mpirun's own abort report.
 */
import assert from "node:assert/strict";
import { drawRunConfig, type RunChoices, type RunConfig } from "../../src/sim/run_config.ts";
import { STYLES } from "../../src/style/style.ts";
import {
  detectedDevices,
  dsLauncher,
  type DsLaunchKind,
  type DsLocalForm,
  mpiDiscovery,
  mpirunAbort,
} from "../../src/style/deepspeed_launcher.ts";
import { dsScriptName } from "../../src/style/deepspeed_script.ts";
import { onSlurm } from "../../src/style/slurm_lines.ts";
import { START_MS, styledRun, textOf } from "./styled_run.ts";

const run = (choices: Omit<RunChoices, "startMs">) => {
  const r = styledRun(choices, STYLES.deepspeed);
  return { ...r, lines: textOf(r.events) };
};

/** The first seed from 1 whose drawn run matches `want`, with `choices`. */
function seedWhere(choices: Omit<RunChoices, "startMs" | "seed">, want: (c: RunConfig) => boolean) {
  for (let seed = 1;; seed++) {
    if (want(drawRunConfig({ ...choices, seed, startMs: START_MS }))) return seed;
  }
}

const launched = (kind: DsLaunchKind, form?: DsLocalForm) => (cfg: RunConfig) =>
  dsLauncher(cfg).kind === kind && (form === undefined || dsLauncher(cfg).form === form);

Deno.test("detectedDevices() prints the runner's notice of the devices Slurm set", () => {
  const cfg = drawRunConfig({ seed: 1, nodes: 1, startMs: START_MS });
  assert.equal(
    detectedDevices(cfg, "bare", "CUDA_VISIBLE_DEVICES"),
    "Detected CUDA_VISIBLE_DEVICES=0,1,2,3,4,5,6,7: setting --include=localhost:0,1,2,3,4,5,6,7",
  );
  assert.equal(
    detectedDevices({ ...cfg, gpusPerNode: 4 }, "num_gpus", "VISIBLE_DEVICES"),
    "Detected VISIBLE_DEVICES=0,1,2,3 but ignoring it because one or several of " +
      "--include/--exclude/--num_gpus/--num_nodes cl args were used. If you want to use " +
      "CUDA_VISIBLE_DEVICES don't pass any of these arguments to deepspeed.",
  );
});

Deno.test("dsLauncher(): DS-Chat's main.py only under DeepSpeed's runner; pdsh only across nodes", () => {
  const kinds = new Set<string>();
  for (let seed = 1; seed <= 120; seed++) {
    for (const nodes of [1, 2]) {
      const cfg = drawRunConfig({ seed, nodes, startMs: START_MS });
      const l = dsLauncher(cfg);
      kinds.add(`${l.kind}/${l.form}`);
      if (dsScriptName(cfg) === "main.py") assert.notEqual(l.kind, "mpirun", `seed ${seed}`);
      assert.equal(l.kind === "local", nodes === 1 && !["mpirun", "torchrun"].includes(l.kind));
      assert.equal(l.kind === "pdsh", nodes > 1 && !["mpirun", "torchrun"].includes(l.kind));
    }
  }
  const all = ["local/bare", "local/num_gpus", "local/include", "pdsh/bare", "mpirun/bare"];
  for (const k of [...all, "torchrun/bare"]) {
    assert.ok(kinds.has(k), `${k} never drawn: ${[...kinds].join(" ")}`);
  }
});

Deno.test("one node under Slurm: no hostfile, the devices Slurm set, then the launch command", () => {
  for (const form of ["bare", "num_gpus", "include"] as const) {
    const seed = seedWhere(
      { nodes: 1, chaos: "off" },
      (c) => launched("local", form)(c) && onSlurm(c),
    );
    const { lines } = run({ seed, nodes: 1, chaos: "off" });
    const at = lines.findIndex((l) => l.includes("Unable to find hostfile"));
    assert.ok(at > 0, `seed ${seed}`);
    assert.match(lines[at + 1], /^Detected (?:CUDA_)?VISIBLE_DEVICES=0,1,2,3,4,5,6,7/);
    assert.equal(
      lines[at + 1].endsWith(": setting --include=localhost:0,1,2,3,4,5,6,7"),
      form === "bare",
    );
    assert.match(
      lines[at + 2],
      /\[runner\.py:\d+:main\] cmd = \S+ -u -m deepspeed\.launcher\.launch /,
    );
    assert.match(lines[at + 2], / --master_addr=127\.0\.0\.1 /);
    const flags = {
      bare: "",
      num_gpus: " --num_gpus 8",
      include: " --include localhost:0,1,2,3,4,5,6,7",
    };
    const traced = lines.find((l) => l.startsWith("+ deepspeed"));
    if (traced) assert.ok(traced.startsWith(`+ deepspeed${flags[form]} `), traced);
    assert.ok(!lines.some((l) => l.includes("pdsh")), `seed ${seed}`);
  }
});

Deno.test("mpirun: no runner nor launch.py; every rank asks MPI for its place, rank 0 starts torch", () => {
  const seed = seedWhere({ nodes: 2, chaos: "off" }, launched("mpirun"));
  const { cfg, lines } = run({ seed, nodes: 2, chaos: "off" });
  assert.ok(!lines.some((l) => /runner\.py|launch\.py|pdsh|exits successfully/.test(l)));
  // OpenMPI puts no host prefix on its ranks' lines.
  assert.ok(lines.every((l) => !l.startsWith(`${cfg.cluster.masterAddr}: `)));
  assert.ok(!lines.some((l) => /^[\w.-]+: \[20\d\d-/.test(l)), "a host prefix");
  const found = lines.filter((l) => l.includes("Discovered MPI settings"));
  assert.equal(found.length, 16);
  for (let rank = 0; rank < 16; rank++) {
    assert.equal(
      found.filter((l) => l.endsWith(mpiDiscovery(cfg, rank))).length,
      1,
      `rank ${rank}`,
    );
  }
  assert.equal(
    mpiDiscovery(cfg, 13),
    `Discovered MPI settings of world_rank=13, local_rank=5, world_size=16, master_addr=${cfg.cluster.masterAddr}, master_port=29500`,
  );
  const detect = lines.filter((l) => l.endsWith("attempting to detect MPI environment..."));
  assert.equal(detect.length, 16);
  const backend = lines.findIndex((l) =>
    l.endsWith("Initializing TorchBackend in DeepSpeed with backend nccl")
  );
  const rank0 = lines.findIndex((l) => l.endsWith(mpiDiscovery(cfg, 0)));
  assert.ok(backend > rank0 && rank0 > lines.lastIndexOf(detect[15]));
  assert.equal(lines.filter((l) => l.includes("Initializing TorchBackend")).length, 1);
});

Deno.test("mpirunAbort() is OpenMPI's report of the first process that failed", () => {
  const cfg = drawRunConfig({ seed: 3, nodes: 2, startMs: START_MS });
  const rule = "-".repeat(74);
  const head = [
    rule,
    "Primary job  terminated normally, but 1 process returned",
    "a non-zero exit code. Per user-direction, the job has been aborted.",
    rule,
    rule,
  ];
  const byCode = mpirunAbort(cfg, 1, { rank: 11, pid: 4242, exitcode: 1 }).split("\n");
  assert.deepEqual(byCode.slice(0, 5), head);
  assert.deepEqual(byCode.slice(5, 8), [
    "mpirun detected that one or more processes exited with non-zero status, thus causing",
    "the job to be terminated. The first process to do so was:",
    "",
  ]);
  assert.match(byCode[8], /^ {2}Process name: \[\[\d+,1\],11\]$/);
  assert.deepEqual(byCode.slice(9), ["  Exit code:    1", rule]);
  const bySignal = mpirunAbort(cfg, 1, { rank: 9, pid: 4242, exitcode: -6 }).split("\n");
  assert.deepEqual(bySignal.slice(6), [rule]);
  assert.match(
    bySignal[5],
    /^mpirun noticed that process rank 9 with PID 4242 on node [\w.-]+ exited on signal 6 \(Aborted\)\.$/,
  );
});

Deno.test("mpirun: a rank's death aborts the job once; the job runs mpirun again", () => {
  const seed = seedWhere({ chaos: "high" }, launched("mpirun"));
  let found = 0;
  for (let s = seed; found < 1 && s < seed + 60; s++) {
    const cfg = drawRunConfig({ seed: s, chaos: "high", startMs: START_MS });
    if (!launched("mpirun")(cfg)) continue;
    const { lines } = run({ seed: s, chaos: "high" });
    const aborts = lines.filter((l) => l.startsWith("Primary job  terminated normally"));
    if (aborts.length === 0) continue;
    found += 1;
    const launches = lines.filter((l) => l.endsWith(mpiDiscovery(cfg, 0))).length;
    // One report per launch that failed: every launch but the last.
    assert.equal(aborts.length, launches - 1, `seed ${s}`);
    assert.ok(!lines.some((l) => /Killing subprocess|pdsh@|launch\.py/.test(l)), `seed ${s}`);
  }
  assert.equal(found, 1, "no mpirun run with a fault");
});

Deno.test("torchrun: each agent's OMP banner, no runner nor launch.py, the ranks join as usual", () => {
  const seed = seedWhere({ nodes: 2, chaos: "off" }, launched("torchrun"));
  const { cfg, lines } = run({ seed, nodes: 2, chaos: "off" });
  assert.ok(!lines.some((l) => /runner\.py|launch\.py|pdsh|exits successfully|MPI/.test(l)));
  assert.ok(!lines.some((l) => /^[\w.-]+: \[20\d\d-/.test(l)), "a host prefix");
  const banner = lines.filter((l) => l.includes("Setting OMP_NUM_THREADS environment variable"));
  assert.equal(banner.length, cfg.nodes);
  assert.equal(lines.filter((l) => l.endsWith("cdb=None")).length, 16);
  assert.equal(lines.filter((l) => l.includes("Initializing TorchBackend")).length, 1);
  const traced = lines.find((l) => l.startsWith("+ srun"));
  if (traced) {
    assert.ok(
      traced.startsWith(
        `+ srun --nodes=2 --ntasks-per-node=1 torchrun --nnodes=2 --nproc_per_node=8 ` +
          `--rdzv_backend=c10d --rdzv_endpoint=${cfg.cluster.masterAddr}:${cfg.cluster.masterPort} `,
      ),
      traced,
    );
  }
});

Deno.test("torchrun: a dead worker is reported by its agent's ChildFailedError summary", () => {
  const { cfg, lines } = run({ seed: 54, chaos: "high" });
  assert.equal(dsLauncher(cfg).kind, "torchrun");
  const failed = lines.findIndex((l) => l.endsWith(`${cfg.cluster.script} FAILED`));
  assert.ok(failed > 0, "no summary");
  assert.match(lines[failed - 1], /^=+$/);
  assert.ok(!lines.some((l) => /Killing subprocess|Primary job/.test(l)));
});
