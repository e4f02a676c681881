/**
 * torchtitan's and torchrun's own arithmetic and formats, pinned to exact strings: the metrics
 * line, FLOPs per token, FFN arguments, the allocator's sizes, the error summary's rule width;
 * and, over whole runs, the metrics window and one statement per `file:line`.
 */
import assert from "node:assert/strict";
import { torchBuild } from "../../src/style/speedrun_lines.ts";
import { findGpu, findModel } from "../../src/sim/catalog.ts";
import type { DeadWorker } from "../../src/sim/events.ts";
import { STYLES } from "../../src/style/style.ts";
import {
  ffnArgs,
  metricsLine,
  titanFlopsPerToken,
  type TitanJob,
  titanPeakFlops,
} from "../../src/style/titan_lines.ts";
import { formatTorchSize } from "../../src/style/torch_sizes.ts";
import { childFailedSummary } from "../../src/style/torchrun_exit.ts";
import { drawRunConfig } from "../../src/sim/run_config.ts";
import { styledRun, textOf } from "./styled_run.ts";

const JOB: TitanJob = {
  name: "llama3",
  flavor: "8B",
  description: "Llama 3 8B training",
  configFile: "./torchtitan/models/llama3/train_configs/llama3_8b.toml",
  filtered: true,
  v2: false,
  ncclDebug: "",
  logFreq: 10,
  gcFreq: 50,
  profileFreq: 100,
  device: "NVIDIA H100 80GB HBM3",
  capacityGiB: 79.1,
  peakFlops: 989e12,
  flopsPerToken: 57914449920,
};

Deno.test("titanFlopsPerToken() is 6 × non-embedding parameters + 12 × L × H × Q × T", () => {
  const cfg = { model: findModel("llama-3.1-8b")!, seqLen: 8192 } as Parameters<
    typeof titanFlopsPerToken
  >[0];
  assert.equal(titanFlopsPerToken(cfg), 6 * (8030261248 - 128256 * 4096) + 12 * 32 * 4096 * 8192);
  assert.equal(titanFlopsPerToken(cfg), 57914449920);
});

Deno.test("metricsLine() prints torchtitan's widths, thousands separators and its own MFU", () => {
  const m = { step: 200, loss: 6.13841, gradNorm: 0.4, memGiB: 49.6625, tps: 5856.2 };
  assert.equal(
    metricsLine(JOB, m),
    "step: 200  loss:  6.1384  memory: 49.66GiB(62.78%)  tps: 5,856  tflops: 339.16  mfu: 34.29%",
  );
  assert.equal(
    metricsLine({ ...JOB, v2: true }, {
      ...m,
      step: 1,
      loss: 12.2465,
      gradNorm: 4.52531,
      tps: 86.4,
    }),
    "step:  1  loss: 12.2465  grad_norm:  4.5253  memory: 49.66GiB(62.78%)  tps: 86  tflops: 5.00  mfu: 0.51%",
  );
  assert.match(
    metricsLine(JOB, { ...m, tps: 25000 }),
    /tps: 25,000 {2}tflops: 1,447\.86 {2}mfu: 146\.40%/,
  );
});

Deno.test("titanPeakFlops() knows torchtitan's table and falls back to the A100's", () => {
  assert.equal(titanPeakFlops("NVIDIA H100 80GB HBM3"), 989e12);
  assert.equal(titanPeakFlops("NVIDIA H100 PCIe"), 756e12);
  assert.equal(titanPeakFlops("NVIDIA B200"), 2.25e15);
  assert.equal(titanPeakFlops("NVIDIA L40S"), 312e12, "torchtitan matches 'l40s' in lower case");
});

Deno.test("ffnArgs() finds the multiplier and rounding that give the model's FFN width", () => {
  assert.deepEqual(ffnArgs(4096, 14336), ["1.3", 1024]);
  assert.deepEqual(ffnArgs(8192, 28672), ["1.3", 4096]);
  assert.deepEqual(ffnArgs(4096, 11008), ["None", 256]);
});

Deno.test("formatTorchSize() prints the caching allocator's units with two decimals", () => {
  assert.equal(formatTorchSize(748.56 * 2 ** 20), "748.56 MiB");
  assert.equal(formatTorchSize(2.03 * 2 ** 30), "2.03 GiB");
  assert.equal(formatTorchSize(2 ** 20), "1024.00 KiB");
  assert.equal(formatTorchSize(512), "512 bytes");
});

Deno.test("childFailedSummary() rules are as wide as the longest row, at most 60", () => {
  const cfg = drawRunConfig({ seed: 7, startMs: 0, nodes: 1, gpu: findGpu("h100") });
  const w = (exitcode: number): DeadWorker => ({ rank: 3, pid: 208585, exitcode, at_ms: 0 });
  const long = childFailedSummary(cfg, { entrypoint: "train.py" }, 0, [w(1)]);
  assert.equal(long[0], "=".repeat(60), "the URL row is longer than 60");
  const short = childFailedSummary(cfg, { entrypoint: "train.py" }, 0, [w(-9)]);
  const rows = short.slice(1, -1).filter((l) => !/^[=-]+$/.test(l));
  assert.equal(short[0].length, Math.min(60, Math.max(...rows.map((r) => r.length))));
  assert.ok(short.includes("  traceback : Signal 9 (SIGKILL) received by PID 208585"));
  assert.ok(short.includes("  error_file: <N/A>"), "no space before error_file's colon");
});

Deno.test("torchrun: tps is tokens per device over the whole log window, pauses included", () => {
  const { cfg, events } = styledRun({ seed: 7, nodes: 1 }, STYLES.torchrun);
  const tps = new Map<number, number>();
  for (const e of events) {
    const m = e.type === "step" ? / - step: +(\d+) .* tps: ([\d,]+) /.exec(e.msg) : null;
    if (m) tps.set(Number(m[1]), Number(m[2].replaceAll(",", "")));
  }
  const saves = events.filter((e) => e.type === "ckpt").map((e) =>
    e.type === "ckpt" ? e.data.step : 0
  );
  const interval = Math.min(...[...tps.keys()].filter((s) => s > 1));
  const after = saves.map((s) => Math.ceil((s + 1) / interval) * interval).filter((s) =>
    tps.has(s)
  );
  assert.ok(after.length > 0);
  for (const s of after) {
    assert.ok(
      tps.get(s)! < tps.get(s - interval)! * 0.97,
      `the window after the save at ${s} is slower`,
    );
  }
  assert.ok(tps.get(1)! < tps.get(interval)! / 3, "step 1's window holds the start-up");
  const steady = events.find((e) => e.type === "step" && e.data.step === 3 * interval);
  assert.ok(steady?.type === "step");
  const per = steady.data.tokens_per_s / cfg.worldSize;
  assert.ok(
    Math.abs(tps.get(3 * interval)! / per - 1) < 0.05,
    "a steady window is the step's rate",
  );
});

Deno.test("every style: one statement per file:line of torch and torchrun, per torch version", () => {
  // Each style draws torch's and torchrun's source locations from the shared per-version table,
  // so across styles no line of torch's sources says two things, nor one statement two lines.
  const seen = new Map<string, string>();
  const where = new Map<string, string>();
  // GPUs whose clusters run torch 2.4 to 2.8.
  const runs = [
    { seed: 3, gpu: findGpu("h100") },
    { seed: 15, gpu: findGpu("a100-80gb") },
    { seed: 16, gpu: findGpu("h200") },
    { seed: 22, gpu: findGpu("b200") },
    { seed: 5, gpu: findGpu("b200") },
  ];
  for (const name of Object.keys(STYLES) as (keyof typeof STYLES)[]) {
    for (const run of runs) {
      const { cfg, events } = styledRun({ ...run, nodes: 2, chaos: "high" }, STYLES[name]);
      // The speedrun records run their own PyTorch build, not the cluster's.
      const torch = name === "speedrun" ? torchBuild(cfg).version : cfg.cluster.torchVersion;
      const minor = torch.split(".").slice(0, 2).join(".");
      for (const line of textOf(events)) {
        const m = /((?:torch|c10d?)\/[\w/.-]+\.(?:py|cpp)|ProcessGroupNCCL\.cpp):(\d+)\] (.*)$/
          .exec(
            line,
          );
        // A multi-line message (torchrun's banner) repeats its head on every line.
        if (!m || m[3] === "" || /^\*+$|^Setting OMP/.test(m[3])) continue;
        // The process group's header names the group, not the statement.
        const what = m[3].replace(/^\[PG [^\]]*\] */, "").replace(/-?\d+/g, "#").slice(0, 40);
        const key = `${minor} ${m[1]}:${m[2]}`;
        assert.equal(seen.get(key) ?? what, what, `${name}: ${key} says two things`);
        seen.set(key, what);
        const statement = `${minor} ${m[1]} ${what.replace(/\[Rank #\]/g, "")}`;
        assert.equal(where.get(statement) ?? m[2], m[2], `${name}: ${statement} on two lines`);
        where.set(statement, m[2]);
      }
    }
  }
  assert.ok(seen.size > 25, `${seen.size} statements`);
});

/** The styled text of a torchtitan run of Llama 3 8B on `nodes` nodes (seed 12: no filter). */
function titanText(nodes: number, seed = 12): string[] {
  const model = findModel("llama-3-8b");
  return textOf(
    styledRun({ seed, nodes, model, gpu: findGpu("h100") }, STYLES.torchrun).events,
  );
}

Deno.test("torchrun: one node's run_train.sh tees rank 0 as [rank0]:; srun torchrun on many prefixes nothing", () => {
  const one = titanText(1), many = titanText(4);
  assert.ok(one.some((l) => /--local-ranks-filter 0 --role rank --tee 3/.test(l)));
  assert.ok(one.filter((l) => l.includes("[titan]")).every((l) => l.startsWith("[rank0]:[titan]")));
  // This seed's sbatch script lets every rank through; another's filters as run_train.sh does.
  assert.ok(!many.some((l) => /--local-ranks-filter|--tee|^\[rank\d+\]:/.test(l)));
  const filtered = titanText(4, 11);
  assert.ok(
    filtered.some((l) =>
      /^\+ srun torchrun .* --local-ranks-filter 0 --role rank --tee 3 /.test(l)
    ),
  );
  const shown = filtered.filter((l) => /\[titan\] .* step: {2}1 /.test(l));
  assert.ok(shown.length > 0 && shown.every((l) => l.startsWith("[rank0]:[titan]")), shown[0]);
  // Every local rank logs: each metrics line comes once per shown rank, 16 for two nodes.
  const first = many.filter((l) => /^\[titan\] .* step: {2}1 /.test(l));
  assert.equal(first.length, 16);
  // NCCL's lines come from every local GPU, not only GPU 0.
  const devs = new Set(many.flatMap((l) => /^\S+:\d+:\d+ \[(\d)\] NCCL INFO/.exec(l)?.[1] ?? []));
  if (devs.size > 0) assert.equal(devs.size, 8);
});

Deno.test("torchrun: torchtitan's own flavour and count for its Llamas", () => {
  const text = titanText(2).join("\n");
  assert.match(text, /Model llama3 8B size: 8,030,261,248 total parameters/);
  assert.match(text, /Starting job: Llama 3 8B training/);
  assert.match(
    text,
    /--job\.config_file \.\/torchtitan\/models\/llama3?\/train_configs\/llama3_8b\.toml/,
  );
});

Deno.test("torchtitan: HSDP only on a mesh that replicates across nodes and shards within", () => {
  let hsdp = 0, fsdp = 0;
  for (let seed = 1; seed <= 30; seed++) {
    let lines: string[];
    try {
      lines = textOf(
        styledRun({ seed, nodes: 2 + (seed % 3), model: findModel("llama-3-8b") }, STYLES.torchrun)
          .events,
      );
    } catch {
      continue;
    }
    const mesh = lines.find((l) => l.includes("device mesh with"));
    const applied = lines.find((l) => /Applied [HF]SDP to the model/.test(l));
    if (!mesh || !applied) continue;
    if (applied.includes("HSDP")) {
      hsdp++;
      assert.match(mesh, /2-D device mesh with \['dp_replicate', 'dp_shard'\], \[\d+, \d+\]/);
    } else {
      fsdp++;
      assert.doesNotMatch(mesh, /dp_replicate/);
    }
  }
  assert.ok(hsdp > 0 && fsdp > 0, `HSDP ${hsdp}, FSDP ${fsdp}`);
});
