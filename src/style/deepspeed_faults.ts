/**
 * Faults as a `deepspeed` launch shows them. A lost GPU: its rank's traceback, its node's
 * launch.py killing every local process; the other nodes' ranks hang until torch's NCCL
 * watchdog fires, and their launchers kill theirs too. Nothing restarts by itself: the job
 * runs `deepspeed` again and the new processes load the last checkpoint.
 */
import type { LogEventOf } from "../sim/events.ts";
import type { RunConfig } from "../sim/run_config.ts";
import { createRng } from "../sim/rng.ts";
import { formatNativeLog } from "./native.ts";
import { hostPrefix, printed, shownNodes, shownRanks } from "./deepspeed_log.ts";
import type { DsState } from "./deepspeed_state.ts";
import { killLines } from "./deepspeed_exit.ts";
import { dsScriptName, dsStage, dsWorkDir } from "./deepspeed_script.ts";

/** Where the Python packages of the run's interpreter live. */
function sitePackages(cfg: RunConfig): string {
  const py = `python${cfg.cluster.pythonVersion.split(".").slice(0, 2).join(".")}`;
  if (cfg.cluster.venv.startsWith("/usr/bin")) return `/usr/local/lib/${py}/dist-packages`;
  return `${cfg.cluster.venv.replace(/\/bin\/python3?$/, "")}/lib/${py}/site-packages`;
}

/** A traceback frame: file, line, function, source and the span Python ≥ 3.11 underlines. */
type Frame = [string, number, string, string, string?];

/** The optimizer step's frames down to the gradient norm, where the CUDA error surfaces. */
function stepFrames(cfg: RunConfig): Frame[] {
  const site = `${sitePackages(cfg)}/deepspeed`, script = `${dsWorkDir(cfg)}/${dsScriptName(cfg)}`;
  const head: Frame[] = [
    [script, 401, "<module>", "main()"],
    [script, 372, "main", "model.step()"],
    [`${site}/runtime/engine.py`, 2378, "step", "self._take_model_step(lr_kwargs)"],
    [`${site}/runtime/engine.py`, 2281, "_take_model_step", "self.optimizer.step()"],
    [
      `${site}/utils/nvtx.py`,
      20,
      "wrapped_fn",
      "ret_val = func(*args, **kwargs)",
      "func(*args, **kwargs)",
    ],
  ];
  if (dsStage(cfg) === 3) {
    const z = `${site}/runtime/zero/stage3.py`;
    return [
      ...head,
      [z, 2108, "step", "norm_groups = self._get_norm_groups()", "self._get_norm_groups()"],
      [
        z,
        1887,
        "_get_norm_groups",
        "norm_groups.append(self.get_grad_norm_direct(self.averaged_gradients[i], self.fp16_groups[i]))",
        "self.get_grad_norm_direct(self.averaged_gradients[i], self.fp16_groups[i])",
      ],
      [
        z,
        1793,
        "get_grad_norm_direct",
        "grad_norms.append(g.to(get_accelerator().device_name(), non_blocking=True).double().norm(2))",
      ],
    ];
  }
  const z = `${site}/runtime/zero/stage_1_and_2.py`;
  return [
    ...head,
    [
      z,
      1866,
      "step",
      "scaled_global_grad_norm = self.scaled_global_norm()",
      "self.scaled_global_norm()",
    ],
    [
      z,
      1807,
      "scaled_global_norm",
      "norm_groups.append(self.get_grad_norm_direct(self.averaged_gradients[i], self.params_in_partition[i]))",
      "self.get_grad_norm_direct(self.averaged_gradients[i], self.params_in_partition[i])",
    ],
    [z, 1712, "get_grad_norm_direct", "torch.linalg.vector_norm(g.data.double().detach(),"],
  ];
}

/** The failing rank's Python traceback for a CUDA error, each line with its node's prefix. */
export function cudaTraceback(cfg: RunConfig, rank: number, ecc: boolean): string {
  const carets = Number(cfg.cluster.pythonVersion.split(".")[1]) >= 11;
  const lines = ["Traceback (most recent call last):"];
  for (const [file, line, fn, src, span] of stepFrames(cfg)) {
    lines.push(`  File "${file}", line ${line}, in ${fn}`, `    ${src}`);
    if (carets && span) lines.push(" ".repeat(4 + src.indexOf(span)) + "^".repeat(span.length));
  }
  const api = cfg.gpu.vendor === "amd" ? "HIP" : "CUDA";
  lines.push(
    `RuntimeError: ${api} error: ${
      ecc ? "uncorrectable ECC error encountered" : "unspecified launch failure"
    }`,
    `${api} kernel errors might be asynchronously reported at some other API call, so the stacktrace below might be incorrect.`,
    `For debugging consider passing ${
      api === "HIP" ? "AMD_SERIALIZE_KERNEL=3" : "CUDA_LAUNCH_BLOCKING=1"
    }`,
    `Compile with \`TORCH_USE_${api}_DSA\` to enable device-side assertions.`,
    "",
  );
  const node = Math.floor(rank / cfg.gpusPerNode);
  return lines.map((l) => printed(cfg, node, l)).join("\n");
}

/** The failing node's launcher killing its processes, a moment after the traceback. */
export function failedNodeKill(cfg: RunConfig, st: DsState, rank: number, ms: number): string {
  const node = Math.floor(rank / cfg.gpusPerNode);
  const rng = createRng(cfg.seed, `style:deepspeed:poll:${st.launch}`);
  return killLines(cfg, st, node, ms + rng.range(200, 1000), 1);
}

/** Ranks still hanging in a collective: the shown ranks off the failed node. */
function hungRanks(cfg: RunConfig, failedNode: number): number[] {
  return shownRanks(cfg).filter((r) => Math.floor(r / cfg.gpusPerNode) !== failedNode);
}

/**
 * The NCCL watchdog's report on hung ranks (torch's own line, with the pdsh prefix): the one
 * rank the fact names, or for its `more` every other hung rank shown, then their nodes'
 * launchers killing what aborted.
 */
export function watchdogLines(
  ev: LogEventOf<"fault.watchdog">,
  cfg: RunConfig,
  st: DsState,
  failedNode: number,
): string {
  const hung = hungRanks(cfg, failedNode);
  const d = ev.data;
  const line = (rank: number) =>
    hostPrefix(cfg, Math.floor(rank / cfg.gpusPerNode)) +
    formatNativeLog({
      ...ev,
      data: { ...d, rank, more: 0, ran_ms: d.ran_ms || 600011 + (rank % 40) },
    }, cfg);
  if (d.rank >= 0) {
    st.watchdogNamed.push(d.rank);
    return hung.includes(d.rank) ? line(d.rank) : "";
  }
  const named = new Set(st.watchdogNamed);
  const rest = hung.filter((r) => !named.has(r)).map(line);
  const nodes = shownNodes(cfg).filter((n) => n !== failedNode);
  const kills = nodes.map((n, i) => killLines(cfg, st, n, ev.simMs + 1500 + i * 37, -6));
  return [...rest, ...kills].join("\n");
}
