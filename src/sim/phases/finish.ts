/** After training: export to safetensors and GGUF, then the run's summary. */
import type { SimEvent } from "../events.ts";
import type { Rng } from "../rng.ts";
import { advance, logLine, progress, type Timeline } from "../timeline.ts";
import { exportFormats, exportShards } from "../model/storage.ts";
import type { RunConfig } from "../run_config.ts";
import type { TrainState } from "./train_state.ts";

/** Converts the final checkpoint to each export format. */
export function* exportPhase(t: Timeline, s: TrainState, rng: Rng): Generator<SimEvent> {
  const cfg = t.cfg;
  yield { type: "phase", simMs: t.simMs, phase: "export", epoch: cfg.epochs };
  const base = `${cfg.outputDir}/export`;
  yield logLine(t, "export.start", { step: s.step });
  yield* advance(t, rng.range(5000, 30000) * Math.log10(cfg.model.params / 1e7), "export");
  for (const f of exportFormats(cfg.task)) {
    const shards = exportShards(cfg.model.params, f);
    const bytes = shards.reduce((a, b) => a + b, 0);
    const gguf = f.format === "gguf";
    const path = gguf ? `${base}/${cfg.model.id}-Q8_0.gguf` : `${base}/hf`;
    const seconds = bytes / (rng.range(0.8, 2.5) * 1e9) + 1;
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
  const params = cfg.model.params;
  const formats = exportFormats(cfg.task);
  const consolidate = 17.5 * Math.log10(params / 1e7);
  const bytes = formats.reduce((sum, f) => sum + params * f.bytesPerParam, 0);
  return consolidate + bytes / 1.65e9 + 2 * formats.length;
}
