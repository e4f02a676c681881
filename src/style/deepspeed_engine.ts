/**
 * `deepspeed.initialize()` on the console: the fused Adam op loading on every rank, then rank
 * 0's engine records (version, optimizer, the ZeRO stage's set-up with its `see_memory_usage`
 * readings, scheduler, step 0) before the configuration dump. Memory figures come from the
 * run's memory plan, as the allocator would report them (never the bare theoretical bytes).
 */
import type { RunConfig } from "../sim/run_config.ts";
import { createRng, type Rng } from "../sim/rng.ts";
import { pyFloat, pyRound } from "../format/python_repr.ts";
import { ggufTensorCount } from "./model_names.ts";
import { nodeRecord, printed, rank0, rankRecord, shownRanks } from "./deepspeed_log.ts";
import type { DsState } from "./deepspeed_state.ts";
import { dsStage } from "./deepspeed_script.ts";

const GIB = 1024 ** 3;

/** `2.0`, `0.87`, `46.61`: Python's `round(x, 2)` of a GiB figure, as printed. */
export function gib2(x: number): string {
  return pyFloat(pyRound(x, 2));
}

/** Lines with their instants, in the order they were produced. */
type Timed = Array<[number, string]>;

/** One `see_memory_usage` call: label, GPU line (9-space gaps, trailing space), host line. */
function memoryUsage(
  cfg: RunConfig,
  st: DsState,
  ms: number,
  label: string,
  ma: number,
  maxMa: number,
  rng: Rng,
): Timed {
  const s = st.release.sites, t = st.traits;
  const ca = Math.max(ma, maxMa) * rng.range(1.0, 1.08) + rng.range(0.01, 0.3);
  const maxCa = Math.round(ca + rng.range(0, 0.4));
  const used = t.hostUsedGiB + rng.range(-0.6, 0.9);
  const gpu = `MA ${gib2(ma)} GB         Max_MA ${gib2(Math.max(ma, maxMa))} GB         ` +
    `CA ${gib2(ca)} GB         Max_CA ${maxCa} GB `;
  const host = `CPU Virtual Memory:  used = ${gib2(used)} GB, percent = ${
    (used / t.hostRamGiB * 100).toFixed(1)
  }%`;
  return [
    [ms, nodeRecord(cfg, 0, ms, s.memLabel, label)],
    [ms + 1, nodeRecord(cfg, 0, ms + 1, s.memGpu, gpu)],
    [ms + 1, nodeRecord(cfg, 0, ms + 1, s.memCpu, host)],
  ];
}

/** Small tensors ZeRO-3 keeps whole on every rank: norms (and biases where the family has them). */
function persistentParams(cfg: RunConfig): [number, number] {
  const m = cfg.model, h = m.hidden, kv = (h / m.heads) * m.kvHeads;
  const perLayer: number[] = m.family === "qwen"
    ? [h, h, h, kv, kv]
    : m.family === "gpt2" || m.family === "gpt-neox" || m.family === "bloom" ||
        m.family === "falcon"
    ? [h, h, h, h, h, h, 3 * h, h]
    : m.family === "gemma"
    ? [h, h, h, h]
    : [h, h];
  const small = perLayer.filter((n) => n <= 1e5);
  const total = m.layers * small.reduce((a, b) => a + b, 0) + h;
  return [total, m.layers * small.length + 1];
}

/** Each rank constructing FusedAdam: torch's extension loader and its timing. */
function fusedAdam(cfg: RunConfig, ms: number): Timed {
  const rng = createRng(cfg.seed, "style:deepspeed:fused_adam");
  const py = cfg.cluster.pythonVersion.split(".").slice(0, 2).join("");
  // torch names the folder after its CUDA version, `cpu` where it has none (ROCm builds).
  const cu = cfg.gpu.vendor === "amd" ? "cpu" : cfg.cluster.torchVersion.split("+")[1];
  const root = `/root/.cache/torch_extensions/py${py}_${cu}`;
  const out: Timed = [];
  for (const r of shownRanks(cfg)) {
    const node = Math.floor(r / cfg.gpusPerNode);
    const at = ms + rng.range(0, 400);
    out.push([at, printed(cfg, node, `Using ${root} as PyTorch extensions root...`)]);
    if (r === 0) {
      if (cfg.gpu.vendor !== "amd") {
        out.push([at + 1, printed(cfg, 0, "Detected CUDA files, patching ldflags")]);
      }
      out.push([
        at + 2,
        printed(cfg, 0, `Emitting ninja build file ${root}/fused_adam/build.ninja...`),
      ]);
      out.push([at + 3, printed(cfg, 0, "Building extension module fused_adam...")]);
      out.push([
        at + 3,
        printed(
          cfg,
          0,
          "Allowing ninja to set a default number of workers... (overridable by setting the environment variable MAX_JOBS=N)",
        ),
      ]);
      out.push([at + 40, printed(cfg, 0, "ninja: no work to do.")]);
    }
    const took = r === 0 ? rng.range(0.08, 0.4) : rng.range(0.25, 1.6);
    out.push([at + took * 1000, printed(cfg, node, "Loading extension module fused_adam...")]);
    out.push([
      at + took * 1000 + 1,
      printed(cfg, node, `Time to load fused_adam op: ${pyFloat(took)} seconds`),
    ]);
  }
  return out;
}

/** ZeRO-1/2's optimizer set-up, from `ms`; returns the lines and when they end. */
function zero12(cfg: RunConfig, st: DsState, ms: number, rng: Rng): [Timed, number] {
  const s = st.release.sites, m = cfg.plan.memory, f = st.traits.stateFactor;
  const master = m.optimizerGiB / 3;
  const before = (m.weightsGiB + master) * f;
  const after = (m.weightsGiB + m.optimizerGiB) * f;
  const out: Timed = [
    [ms, nodeRecord(cfg, 0, ms, s.zero12Reduce, "Reduce bucket size 500000000")],
    [ms, nodeRecord(cfg, 0, ms, s.zero12Allgather, "Allgather bucket size 500000000")],
    [ms, nodeRecord(cfg, 0, ms, s.zero12Offload, "CPU Offload: False")],
    [
      ms + 1,
      nodeRecord(cfg, 0, ms + 1, s.zero12RoundRobin, "Round robin gradient partitioning: False"),
    ],
  ];
  let t = ms + rng.range(300, 1400);
  out.push(
    ...memoryUsage(cfg, st, t, "Before initializing optimizer states", before, before * 1.02, rng),
  );
  t += rng.range(150, 600);
  out.push(
    ...memoryUsage(cfg, st, t, "After initializing optimizer states", after, after + master, rng),
  );
  out.push([t + 1, nodeRecord(cfg, 0, t + 1, s.zero12Ready, "optimizer state initialized")]);
  t += rng.range(60, 350);
  out.push(
    ...memoryUsage(
      cfg,
      st,
      t,
      "After initializing ZeRO optimizer",
      after + st.traits.bufferGiB,
      after + master,
      rng,
    ),
  );
  return [out, t + 2];
}

/** ZeRO-3's partitioning and optimizer set-up, from `ms`; returns the lines and their end. */
function zero3(cfg: RunConfig, st: DsState, ms: number, rng: Rng): [Timed, number] {
  const s = st.release.sites, m = cfg.plan.memory, f = st.traits.stateFactor;
  const w = m.weightsGiB * f, master = m.optimizerGiB / 3;
  const [persist, persistCount] = persistentParams(cfg);
  const groups = 1 + Math.ceil(cfg.model.params / cfg.plan.dp / 1e9);
  const out: Timed = [];
  let t = ms;
  const mem = (label: string, ma: number, peak: number, gapMs: [number, number]) => {
    t += rng.range(gapMs[0], gapMs[1]);
    out.push(...memoryUsage(cfg, st, t, label, ma, peak, rng));
  };
  mem("Stage 3 initialize beginning", w, w * 1.01, [0, 1]);
  out.push([t + 2, nodeRecord(cfg, 0, t + 2, s.zero3Reduce, "Reduce bucket size 500000000")]);
  out.push([t + 2, nodeRecord(cfg, 0, t + 2, s.zero3Prefetch, "Prefetch bucket size 50000000")]);
  mem("DeepSpeedZeRoOffload initialize [begin]", w, w, [200, 700]);
  out.push([
    t + 5,
    printed(
      cfg,
      0,
      `Parameter Offload: Total persistent parameters: ${persist} in ${persistCount} params`,
    ),
  ]);
  const withPersist = w + (persist * 2) / GIB;
  mem("DeepSpeedZeRoOffload initialize [end]", withPersist, withPersist, [200, 700]);
  mem("Before creating fp16 partitions", withPersist, withPersist, [200, 600]);
  mem(`After creating fp16 partitions: ${groups}`, withPersist, withPersist * 2, [400, 2500]);
  mem("Before creating fp32 partitions", withPersist, withPersist, [200, 600]);
  mem("After creating fp32 partitions", withPersist + master, withPersist + master * 1.5, [
    250,
    1200,
  ]);
  mem("Before initializing optimizer states", withPersist + master, withPersist + master, [
    200,
    500,
  ]);
  const ready = withPersist + m.optimizerGiB;
  mem("After initializing optimizer states", ready, ready + master / 2, [250, 900]);
  out.push([t + 1, nodeRecord(cfg, 0, t + 1, s.zero3Ready, "optimizer state initialized")]);
  mem(
    "After initializing ZeRO optimizer",
    ready + m.gradsGiB + st.traits.bufferGiB,
    ready + m.gradsGiB * 1.5,
    [200, 500],
  );
  return [out, t + 2];
}

/** ZeRO-3's `zero.Init` closing, at the end of the model's construction (rank 0). */
export function zeroInitLine(cfg: RunConfig, st: DsState, ms: number): string {
  if (dsStage(cfg) !== 3) return "";
  const elems = (cfg.model.params / 1e9).toFixed(2);
  const msg = st.release.zeroInitCounts === "billions"
    ? `finished initializing model with ${elems}B parameters`
    : `finished initializing model - num_params = ${
      ggufTensorCount(cfg.model)
    }, num_elems = ${elems}B`;
  return nodeRecord(cfg, 0, ms, st.release.sites.zeroInit, msg);
}

/** From the fused Adam op to the `step=0` record; the config dump follows at the returned ms. */
export function engineInit(cfg: RunConfig, st: DsState, ms: number): [Timed, number] {
  const s = st.release.sites, stage = dsStage(cfg);
  const rng = createRng(cfg.seed, `style:deepspeed:engine:${st.launch}`);
  const dtype = cfg.precision === "fp16" ? "torch.float16" : "torch.bfloat16";
  const out: Timed = fusedAdam(cfg, ms - rng.range(1800, 3000));
  const d = (dt: number, msg: string) => {
    ms += dt;
    out.push([ms, rank0(cfg, st.release.sites, ms, msg)]);
  };
  d(0, `DeepSpeed info: version=${st.release.version}, git-hash=unknown, git-branch=unknown`);
  // Each rank's config announces its mesh device from 0.15 on.
  const mesh = s.meshDevice;
  for (const r of mesh === null ? [] : shownRanks(cfg)) {
    const at = r === 0 ? ms : ms + rng.range(-40, 60);
    const msg = `Config mesh_device None world_size = ${cfg.worldSize}`;
    if (mesh !== null) out.push([at, rankRecord(cfg, r, at, mesh, msg)]);
  }
  d(rng.range(5, 90), "DeepSpeed Flops Profiler Enabled: False");
  const adopt = "Using client Optimizer as basic optimizer";
  if (st.release.prunesClientGroupsFirst) {
    d(rng.range(0, 2), "Removing param_group that has no 'params' in the client Optimizer");
    d(rng.range(0, 2), adopt);
  } else {
    d(rng.range(0, 2), adopt);
    d(rng.range(0, 2), "Removing param_group that has no 'params' in the basic Optimizer");
  }
  d(rng.range(8, 30), "DeepSpeed Basic Optimizer = FusedAdam");
  const check =
    "Checking ZeRO support for optimizer=FusedAdam type=<class 'deepspeed.ops.adam.fused_adam.FusedAdam'>";
  out.push([ms, nodeRecord(cfg, 0, ms, s.zeroSupport, check)]);
  if (stage === 3) {
    d(
      0,
      "Creating fp16 ZeRO stage 3 optimizer, MiCS is enabled False, Hierarchical params gather False",
    );
  }
  d(stage === 3 ? 1 : 0, `Creating ${dtype} ZeRO stage ${stage} optimizer`);
  const [lines, end] = stage === 3
    ? zero3(cfg, st, ms + rng.range(200, 900), rng)
    : zero12(cfg, st, ms + 1, rng);
  out.push(...lines);
  ms = end;
  const wrapper = stage === 3 ? "DeepSpeedZeroOptimizer_Stage3" : "DeepSpeedZeroOptimizer";
  d(0, `DeepSpeed Final Optimizer = ${st.release.finalOptimizerIsClient ? "FusedAdam" : wrapper}`);
  d(0, "DeepSpeed using client LR scheduler");
  d(
    0,
    `DeepSpeed LR Scheduler = <torch.optim.lr_scheduler.LambdaLR object at ${st.traits.schedulerAddr}>`,
  );
  d(0, "step=0, skipped=0, lr=[0.0, 0.0], mom=[(0.9, 0.95), (0.9, 0.95)]");
  return [out, ms + rng.range(1, 4)];
}
