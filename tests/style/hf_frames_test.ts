import assert from "node:assert/strict";
import type { StrikeSite } from "../../src/sim/facts.ts";
import { drawRunConfig, type RunConfig } from "../../src/sim/run_config.ts";
import { keyboardInterrupt } from "../../src/style/hf_end.ts";
import { hfFrames } from "../../src/style/hf_frames.ts";
import { hfProfile } from "../../src/style/hf_profile.ts";
import { hfRelease } from "../../src/style/hf_release.ts";
import type { PyFrame } from "../../src/style/tracebacks.ts";
import { HF_STYLE } from "../../src/style/hf.ts";
import { START_MS, styledRun, textOf } from "./styled_run.ts";

/** The first run_clm.py run from seed 1 up that draws transformers `version`. */
function runOf(version: string): RunConfig {
  for (let seed = 1; seed < 500; seed++) {
    const cfg = drawRunConfig({ seed, startMs: START_MS });
    if (hfRelease(cfg).version === version && !hfProfile(cfg).lf) return cfg;
  }
  throw new Error(`no seed draws ${version}`);
}

/** `file:line fn | code` of each transformers and run_clm.py frame. */
function ours(frames: PyFrame[]): string[] {
  return frames
    .filter((f) => /\/(transformers\/trainer|run_clm)\.py$/.test(f.file))
    .map((f) => `${f.file.split("/").pop()}:${f.line} ${f.fn} | ${f.code}`);
}

// Read off each tag's trainer.py and examples/pytorch/language-modeling/run_clm.py.
const PINNED: Array<[string, StrikeSite, string[]]> = [
  ["4.40.2", "forward", [
    "run_clm.py:670 <module> | main()",
    "run_clm.py:618 main | train_result = trainer.train(resume_from_checkpoint=checkpoint)",
    "trainer.py:1859 train | return inner_training_loop(",
    "trainer.py:2203 _inner_training_loop | tr_loss_step = self.training_step(model, inputs)",
    "trainer.py:3138 training_step | loss = self.compute_loss(model, inputs)",
    "trainer.py:3161 compute_loss | outputs = model(**inputs)",
  ]],
  ["4.40.2", "data", [
    "run_clm.py:670 <module> | main()",
    "run_clm.py:618 main | train_result = trainer.train(resume_from_checkpoint=checkpoint)",
    "trainer.py:1859 train | return inner_training_loop(",
    "trainer.py:2165 _inner_training_loop | for step, inputs in enumerate(epoch_iterator):",
  ]],
  ["4.44.2", "backward", [
    "run_clm.py:657 <module> | main()",
    "run_clm.py:605 main | train_result = trainer.train(resume_from_checkpoint=checkpoint)",
    "trainer.py:1938 train | return inner_training_loop(",
    "trainer.py:2279 _inner_training_loop | tr_loss_step = self.training_step(model, inputs)",
    "trainer.py:3349 training_step | self.accelerator.backward(loss, **kwargs)",
  ]],
  ["4.46.3", "data", [
    "run_clm.py:657 <module> | main()",
    "run_clm.py:605 main | train_result = trainer.train(resume_from_checkpoint=checkpoint)",
    "trainer.py:2123 train | return inner_training_loop(",
    "trainer.py:2427 _inner_training_loop | batch_samples, num_items_in_batch = self.get_batch_samples(epoch_iterator, num_batches)",
    "trainer.py:5045 get_batch_samples | batch_samples += [next(epoch_iterator)]",
  ]],
  ["4.51.3", "optimizer", [
    "run_clm.py:657 <module> | main()",
    "run_clm.py:605 main | train_result = trainer.train(resume_from_checkpoint=checkpoint)",
    "trainer.py:2245 train | return inner_training_loop(",
    "trainer.py:2611 _inner_training_loop | self.optimizer.step()",
  ]],
  ["4.51.3", "sync", [
    "run_clm.py:657 <module> | main()",
    "run_clm.py:605 main | train_result = trainer.train(resume_from_checkpoint=checkpoint)",
    "trainer.py:2245 train | return inner_training_loop(",
    "trainer.py:2565 _inner_training_loop | and (torch.isnan(tr_loss_step) or torch.isinf(tr_loss_step))",
  ]],
  ["4.57.6", "save", [
    "run_clm.py:729 <module> | main()",
    "run_clm.py:670 main | train_result = trainer.train(resume_from_checkpoint=checkpoint)",
    "trainer.py:2325 train | return inner_training_loop(",
    "trainer.py:2756 _inner_training_loop | self._maybe_log_save_evaluate(",
    "trainer.py:3228 _maybe_log_save_evaluate | self._save_checkpoint(model, trial)",
    "trainer.py:3345 _save_checkpoint | self._save_optimizer_and_scheduler(output_dir)",
    "trainer.py:3472 _save_optimizer_and_scheduler | torch.save(self.optimizer.state_dict(), os.path.join(output_dir, OPTIMIZER_NAME))",
  ]],
  ["4.57.6", "forward", [
    "run_clm.py:729 <module> | main()",
    "run_clm.py:670 main | train_result = trainer.train(resume_from_checkpoint=checkpoint)",
    "trainer.py:2325 train | return inner_training_loop(",
    "trainer.py:2674 _inner_training_loop | tr_loss_step = self.training_step(model, inputs, num_items_in_batch)",
    "trainer.py:4020 training_step | loss = self.compute_loss(model, inputs, num_items_in_batch=num_items_in_batch)",
    "trainer.py:4110 compute_loss | outputs = model(**inputs)",
  ]],
];

Deno.test("hfFrames() gives each release's own lines and source text", () => {
  for (const [version, where, want] of PINNED) {
    assert.deepEqual(ours(hfFrames(runOf(version), where)), want, `${version} ${where}`);
  }
});

Deno.test("hfFrames() goes through get_batch_samples only from 4.46 on", () => {
  for (const version of ["4.40.2", "4.44.2", "4.46.3", "4.51.3", "4.57.6"]) {
    const frames = hfFrames(runOf(version), "data");
    const has = frames.some((f) => f.fn === "get_batch_samples");
    assert.equal(has, version >= "4.46", version);
    // Either way the next frame is Accelerate's loader.
    const i = frames.findLastIndex((f) => f.file.endsWith("transformers/trainer.py"));
    assert.ok(frames[i + 1].file.endsWith("accelerate/data_loader.py"), version);
  }
});

Deno.test("keyboardInterrupt() stops at the release's NaN check, with carets on 3.11+", () => {
  const cfg = runOf("4.44.2");
  const text = keyboardInterrupt(cfg, hfProfile(cfg));
  assert.ok(text.includes('trainer.py", line 1938, in train\n    return inner_training_loop(\n'));
  assert.ok(text.includes('trainer.py", line 2284, in _inner_training_loop\n'), text);
  assert.ok(text.endsWith("KeyboardInterrupt\n"));
  const minor = Number(cfg.cluster.pythonVersion.split(".")[1]);
  assert.equal(text.includes("^^^^^^^^^^^^^^^^^^^^^^^^^"), minor >= 11);
});

Deno.test("hf: every run's frames are its drawn release's, over many seeds", () => {
  const sites: StrikeSite[] = ["data", "forward", "backward", "optimizer", "sync", "save"];
  const versions = new Set<string>();
  for (let seed = 1; seed <= 80; seed++) {
    const cfg = drawRunConfig({ seed, startMs: START_MS });
    const rel = hfProfile(cfg).release;
    versions.add(rel.version);
    const known = new Set(
      Object.values(rel.frames).map((s) => `${s.line} | ${s.code}`),
    );
    for (const where of sites) {
      for (const f of ours(hfFrames(cfg, where))) {
        const [, line, code] = f.match(/^[^:]+:(\d+) \S+ \| (.*)$/) ?? [];
        assert.ok(known.has(`${line} | ${code}`), `seed ${seed} ${f}`);
      }
    }
    const stop = keyboardInterrupt(cfg, hfProfile(cfg));
    assert.ok(stop.includes(`line ${rel.frames.loopNanCheck.line}, in _inner_training_loop`));
    // A LLaMA-Factory job's traceback enters through its own workflow instead.
    const entry = hfProfile(cfg).lf ? "in run_sft" : `line ${rel.frames.runClmMain.line}, in main`;
    assert.ok(stop.includes(entry));
  }
  assert.equal(versions.size, 5, [...versions].join(" "));
});

Deno.test("hf: the tracebacks a chaotic run prints stand at its release's trainer.py lines", () => {
  let seen = 0;
  for (let seed = 1; seed <= 16; seed++) {
    const { cfg, events } = styledRun({ seed, nodes: 2, chaos: "high" }, HF_STYLE);
    const rel = hfProfile(cfg).release;
    const lines = new Set(Object.values(rel.frames).map((s) => s.line));
    for (const l of textOf(events)) {
      const m = l.match(/transformers\/trainer\.py", line (\d+), in (\w+)$/);
      if (!m) continue;
      seen++;
      assert.ok(lines.has(Number(m[1])), `seed ${seed} ${rel.version}: ${l}`);
    }
  }
  assert.ok(seen > 0);
});
