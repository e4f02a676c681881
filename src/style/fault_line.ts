/** The native message of a `fault` event: what went wrong, where, and how training went on. */
import type { FaultData } from "../sim/events.ts";
import { formatDuration } from "../format/units.ts";

function where(d: FaultData): string {
  if (d.rank === null) return "";
  return ` on rank ${d.rank}${d.host ? ` (${d.host} GPU ${d.gpu})` : ""}`;
}

/** One line for a fault event. */
export function faultLine(d: FaultData): string {
  switch (d.kind) {
    case "loss_spike":
      return d.recovery === "skip_batch"
        ? `Grad-norm spike at step ${d.step}: grad_norm ${d.grad_norm?.toFixed(3)} (${d.cause}); ` +
          `skipping this batch, no update applied`
        : `Loss spike at step ${d.step}: loss ${d.loss?.toFixed(4)} (${d.cause}) after ` +
          `grad_norm peaked at ${d.grad_norm?.toFixed(3)}; continuing, the loss should recover`;
    case "fp16_overflow":
      return `Gradient overflow at step ${d.step} (${d.cause}): skipping update, ` +
        `loss scale reduced to ${d.loss_scale}`;
    case "nan":
      return `Non-finite gradients at step ${d.step}${where(d)}: ${d.cause}; ` +
        `skipping this batch, no update applied`;
    case "gpu_fault":
    case "crash":
      return `${d.kind === "crash" ? "Worker crash" : "GPU fault"} at step ${d.step}${where(d)}: ` +
        `${d.cause}; the job died and was ` +
        `launched again (launch ${d.restart}) from the checkpoint at step ${d.resume_step} ` +
        `(${d.lost_steps} steps to redo, ${formatDuration(d.downtime_s ?? 0)} down)`;
    case "straggler":
      return `Straggler found at step ${d.step}${where(d)}: ${d.cause}; every step since step ` +
        `${d.since_step} ran ${d.slowdown_pct?.toFixed(1)}% slow. GPU reset, clocks restored`;
    case "oom":
      return `CUDA out of memory at step ${d.step}${where(d)}: the job died and was launched ` +
        `again with micro batch ${d.micro_batch} and gradient accumulation ${d.grad_accum} ` +
        `(same global batch) from the checkpoint at step ${d.resume_step}`;
  }
}
