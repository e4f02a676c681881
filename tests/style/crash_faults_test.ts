/** Crashes outside CUDA and the strike sites of job failures, as the styles print them. */
import assert from "node:assert/strict";
import { findModel } from "../../src/sim/catalog.ts";
import { STYLES } from "../../src/style/style.ts";
import { styledRun } from "./styled_run.ts";
import { oomKillLine } from "../../src/style/slurm_lines.ts";
import { childFailedSummary } from "../../src/style/torchrun_exit.ts";
import { drawRunConfig } from "../../src/sim/run_config.ts";
import { defaultFrames } from "../../src/style/torch_frames.ts";
import { titanFrames } from "../../src/style/titan_frames.ts";
import { hfFrames } from "../../src/style/hf_frames.ts";
import { nanogptFrames } from "../../src/style/nanogpt.ts";

const RUN = { chaos: "high" as const, model: findModel("gpt2-774m"), nodes: 2 };

/** The crash facts and their printed blocks of `style` over the first `seeds` seeds. */
function crashes(style: string, seeds: number | number[]) {
  const out: Array<{ seed: number; crash: string; site: string; msg: string }> = [];
  const list = typeof seeds === "number" ? Array.from({ length: seeds }, (_, i) => i + 1) : seeds;
  for (const seed of list) {
    for (const e of styledRun({ seed, ...RUN }, STYLES[style]).events) {
      if (e.type === "log" && e.key === "fault.crash") {
        out.push({ seed, crash: e.data.crash, site: e.data.site, msg: e.msg });
      }
    }
  }
  return out;
}

Deno.test("a DataLoader worker lost to /dev/shm raises the chained RuntimeError under hf", () => {
  const c = crashes("hf", 6).find((x) => x.crash === "loader_bus");
  assert.ok(c, "some seed loses a loader worker");
  assert.match(c.msg, /ERROR: Unexpected bus error encountered in worker\. This might be caused/);
  assert.match(c.msg, /is killed by signal: Bus error\. It is possible that dataloader's workers/);
  assert.match(c.msg, /The above exception was the direct cause of the following exception:/);
  assert.match(c.msg, /RuntimeError: DataLoader worker \(pid\(s\) \d+\) exited unexpectedly$/);
});

Deno.test("each crash kind appears under --chaos high for some seed of a style that shows it", () => {
  const seen = new Set([...crashes("hf", 40), ...crashes("hf", [18, 44])].map((c) => c.crash));
  for (const kind of ["loader_bus", "loader_killed", "host_oom", "disk_full", "segfault"]) {
    assert.ok(seen.has(kind), `${kind} appears`);
  }
});

Deno.test("a full disk fails torch.save with PytorchStreamWriter's two errors", () => {
  // (DeepSpeed-Chat's own main.py saves no checkpoint mid-run: these seeds run a team's copy.)
  const c = crashes("deepspeed", [39, 49]).find((x) => x.crash === "disk_full");
  assert.ok(c, "seed 39 or 49 fills the disk");
  assert.match(
    c.msg,
    /RuntimeError: \[enforce fail at inline_container\.cc:\d+\] \. PytorchStreamWriter failed writing file data\/\d+: file write failed/,
  );
  assert.match(c.msg, /During handling of the above exception, another exception occurred:/);
  assert.match(c.msg, /\. unexpected pos \d+ vs \d+$/);
});

Deno.test("torchrun (torchtitan) and megatron runs crash too", () => {
  assert.ok(crashes("torchrun", 20).length > 0);
  assert.ok(crashes("megatron", 20).some((c) => c.crash.startsWith("loader_")));
});

Deno.test("frames differ in structure by strike site, for every framework", () => {
  const cfg = drawRunConfig({ seed: 3, startMs: 0, ...RUN });
  for (const frames of [defaultFrames, titanFrames, hfFrames, nanogptFrames]) {
    const shapes = new Set(
      (["data", "forward", "backward", "optimizer", "sync", "save"] as const).map((s) =>
        frames(cfg, s).map((f) => `${f.file.split("/").pop()}:${f.fn}`).join(">")
      ),
    );
    assert.ok(shapes.size >= 5, `${frames.name}: ${shapes.size} distinct frame lists`);
  }
});

Deno.test("oomKillLine() words slurmstepd's count of OOM kills", () => {
  const cfg = drawRunConfig({ seed: 1, startMs: 0 });
  const line = oomKillLine(cfg, 1);
  const id = `StepId=${cfg.cluster.jobId}.0`;
  assert.ok(
    line === `slurmstepd: error: Detected 1 oom_kill event in ${id}. Some of the step tasks ` +
          "have been OOM Killed." ||
      line === `slurmstepd: error: Detected 1 oom-kill event(s) in ${id}. Some of your ` +
          "processes may have been killed by the cgroup out-of-memory handler.",
    line,
  );
});

Deno.test("torchrun's summary of a worker the OOM killer took reads Signal 9 (SIGKILL)", () => {
  const cfg = drawRunConfig({ seed: 1, startMs: Date.parse("2026-11-24T09:00:00Z") });
  const w = { rank: 3, pid: 4242, exitcode: -9, at_ms: Date.parse("2026-11-24T09:00:00Z") };
  const lines = childFailedSummary(cfg, { entrypoint: "train.py" }, 0, [w]);
  assert.ok(lines.includes("  exitcode  : -9 (pid: 4242)"));
  assert.ok(lines.includes("  error_file: <N/A>"));
  assert.ok(lines.includes("  traceback : Signal 9 (SIGKILL) received by PID 4242"));
  const segv = childFailedSummary(cfg, { entrypoint: "train.py" }, 0, [{ ...w, exitcode: -11 }]);
  assert.ok(segv.includes("  traceback : Signal 11 (SIGSEGV) received by PID 4242"));
});

Deno.test("two seeds' loader crashes print different fault blocks", () => {
  const blocks = crashes("hf", 40).filter((c) => c.crash.startsWith("loader_")).map((c) => c.msg);
  assert.ok(new Set(blocks).size >= 2);
});
