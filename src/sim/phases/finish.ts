/** After training: export to safetensors and GGUF, then the run's summary. */
import type { SimEvent } from "../events.ts";
import { createRng, type Rng } from "../rng.ts";
import { advance, logLine, progress, type Timeline } from "../timeline.ts";
import { exportFormats, exportShards } from "../model/storage.ts";
import type { RunConfig } from "../run_config.ts";
import type { TrainState } from "./train_state.ts";

/** Converts the final checkpoint to each export format. */
export function* exportPhase(t: Timeline, s: TrainState, _rng: Rng): Generator<SimEvent> {
  const cfg = t.cfg;
  yield { type: "phase", simMs: t.simMs, phase: "export", epoch: cfg.epochs };
  const base = `${cfg.outputDir}/export`;
  yield logLine(t, "export.start", { step: s.step });
  const plan = exportPlan(cfg);
  yield* advance(t, plan.consolidateS * 1000, "export");
  for (const [i, f] of exportFormats(cfg.task).entries()) {
    const shards = exportShards(cfg.model.params, f);
    const bytes = shards.reduce((a, b) => a + b, 0);
    const gguf = f.format === "gguf";
    const path = gguf ? `${base}/${cfg.model.id}-Q8_0.gguf` : `${base}/hf`;
    const seconds = bytes / plan.bytesPerS[i] + 1;
    yield logLine(t, "export.format", { format: f.format, path, files: shards.length });
    yield* progress(
      t,
      "export",
      gguf ? "Writing GGUF tensors" : "Writing safetensors",
      shards.length > 1 ? shards.length : cfg.model.layers,
      gguf ? "layer" : "file",
      seconds * 1000,
      "export",
      8,
    );
    if (!gguf && shards.length > 1) {
      yield logLine(t, "export.index", { path, files: shards.length });
    }
    if (!gguf) {
      yield logLine(t, "export.extra", { path });
    }
    yield {
      type: "export",
      simMs: t.simMs,
      level: "info",
      msg: "",
      data: { format: f.format, path, bytes, files: shards.length, time_s: seconds },
    };
  }
}

/** The closing summary of the run. */
export function* summaryPhase(t: Timeline, s: TrainState): Generator<SimEvent> {
  const cfg = t.cfg;
  yield* advance(t, 500, "idle");
  const tokens = s.step * cfg.tokensPerStep;
  yield {
    type: "summary",
    simMs: t.simMs,
    level: "info",
    msg: "",
    data: {
      total_time_s: (t.simMs - cfg.startMs) / 1000,
      steps: s.step,
      tokens,
      final_loss: s.lastLoss,
      final_ppl: Math.exp(s.lastLoss),
      best_val_loss: s.bestValLoss,
      checkpoints: s.checkpoints,
      output_dir: cfg.outputDir,
      ...(s.faults > 0 ? { faults: s.faults, steps_replayed: s.stepsReplayed } : {}),
    },
  };
  yield logLine(t, "summary.size", {});
  yield { type: "phase", simMs: t.simMs, phase: "done", epoch: cfg.epochs };
}

/** Typical simulated seconds of the export phase (consolidation plus every format), for pacing. */
export function estimateExportSeconds(cfg: RunConfig): number {
  if (!cfg.pacing.exports) return 0;
  const plan = exportPlan(cfg);
  const files = exportFormats(cfg.task).map((f, i) =>
    exportShards(cfg.model.params, f).reduce((a, b) => a + b, 0) / plan.bytesPerS[i]
  );
  return plan.consolidateS + files.reduce((a, b) => a + b, 0) + 2 * files.length;
}

/**
 * How long the run's export takes: gathering the final checkpoint into one state dict (longer
 * for bigger models), then each format written at the storage's speed that day. Drawn from the
 * run's seed alone, so the pacing that fits a run in its slot plans for the export it will see.
 */
export function exportPlan(cfg: RunConfig): { consolidateS: number; bytesPerS: number[] } {
  const rng = createRng(cfg.seed, "export-plan");
  const consolidateS = rng.range(5, 30) * Math.log10(cfg.model.params / 1e7);
  const rate = rng.range(0.8, 2.5) * 1e9;
  // The formats go to the same disk, one after the other, at about the same speed.
  const bytesPerS = exportFormats(cfg.task).map(() => rate * rng.range(0.95, 1.05));
  return { consolidateS, bytesPerS };
}
