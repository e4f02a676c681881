/**
 * Faults as a `deepspeed` launch shows them. A lost GPU or an out-of-memory: its rank's traceback
 * (torch's `[rankN]: ` behind pdsh's `host: `, DeepSpeed's frames) and its node's launch.py
 * killing every local process; the other nodes' ranks hang until torch's NCCL watchdog fires,
 * and their launchers kill theirs too; pdsh reports each remote command that failed. Nothing
 * restarts by itself: the job runs `deepspeed` again and the new processes load the last
 * checkpoint.
 */
import type { LogEvent, LogEventOf } from "../sim/events.ts";
import { hostName } from "../sim/names.ts";
import type { RunConfig } from "../sim/run_config.ts";
import { hostPrefix, shownNodes, shownRanks } from "./deepspeed_log.ts";
import type { DsState } from "./deepspeed_state.ts";
import { killLines } from "./deepspeed_exit.ts";
import { dsScriptName, dsStage, dsWorkDir } from "./deepspeed_script.ts";
import { faultFactLines, type FaultStyle } from "./fault_lines.ts";
import { backwardFrames, moduleCall } from "./torch_frames.ts";
import { type FrameSite, loaderFrames } from "./torch_sites.ts";
import { callSpan, type PyFrame } from "./tracebacks.ts";
import { pythonPaths } from "./torch_source.ts";

/** A traceback frame: file, line, function, source and the span Python ≥ 3.11 underlines. */
type Frame = [string, number, string, string, string?];

/** The optimizer step's frames down to the gradient norm, where the CUDA error surfaces. */
function stepFrames(cfg: RunConfig): Frame[] {
  const site = `${pythonPaths(cfg).site}/deepspeed`,
    script = `${dsWorkDir(cfg)}/${dsScriptName(cfg)}`;
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

/** The script's own loop frames at the sites outside the engine's step and forward. */
function loopFrames(cfg: RunConfig, site: FrameSite): Frame[] | null {
  const ds = `${pythonPaths(cfg).site}/deepspeed`,
    script = `${dsWorkDir(cfg)}/${dsScriptName(cfg)}`;
  const main: Frame = [script, 401, "<module>", "main()"];
  switch (site) {
    case "data":
      return [main, [script, 349, "main", "for step, batch in enumerate(train_dataloader):"]];
    case "sync":
      return [main, [script, 363, "main", "mean_loss += loss.item()", "loss.item()"]];
    case "save":
      return [
        main,
        [script, 389, "main", "model.save_checkpoint(args.output_dir)", "model.save_checkpoint("],
        [
          `${ds}/runtime/engine.py`,
          3135,
          "save_checkpoint",
          "self._save_zero_checkpoint(save_dir, tag)",
          "self._save_zero_checkpoint(",
        ],
        [
          `${ds}/runtime/engine.py`,
          3498,
          "_save_zero_checkpoint",
          "self.checkpoint_engine.save(zero_sd, zero_checkpoint_name)",
          "self.checkpoint_engine.save(",
        ],
        [
          `${ds}/runtime/checkpoint_engine/torch_checkpoint_engine.py`,
          22,
          "save",
          "torch.save(state_dict, path)",
          "torch.save(",
        ],
      ];
    case "backward":
    case "interrupt":
      return [
        main,
        [script, 367, "main", "model.backward(loss)", "model.backward("],
        [
          `${ds}/utils/nvtx.py`,
          18,
          "wrapped_fn",
          "ret_val = func(*args, **kwargs)",
          "func(*args, **kwargs)",
        ],
        [
          `${ds}/runtime/engine.py`,
          2227,
          "backward",
          "self.optimizer.backward(loss, retain_graph=retain_graph)",
          "self.optimizer.backward(",
        ],
      ];
    default:
      return null;
  }
}

/** DeepSpeed's frames for a worker failing at `site`. */
function dsFrames(cfg: RunConfig, site: FrameSite): PyFrame[] {
  const toFrame = ([file, line, fn, code, span]: Frame): PyFrame => ({
    file,
    line,
    fn,
    code,
    ...(span ? { caret: callSpan(code, span.replace(/\(.*$/s, "")) } : {}),
  });
  const loop = loopFrames(cfg, site);
  if (loop) {
    const tail = site === "data"
      ? loaderFrames(cfg)
      : site === "backward" || site === "interrupt"
      ? backwardFrames(cfg)
      : [];
    return [...loop.map(toFrame), ...tail];
  }
  if (site === "optimizer") return [...stepFrames(cfg).map(toFrame)];
  const ds = `${pythonPaths(cfg).site}/deepspeed`,
    script = `${dsWorkDir(cfg)}/${dsScriptName(cfg)}`;
  return [
    toFrame([script, 401, "<module>", "main()"]),
    toFrame([script, 356, "main", "outputs = model(**batch, use_cache=False)", "model(**batch"]),
    ...moduleCall(cfg),
    toFrame([
      `${ds}/utils/nvtx.py`,
      18,
      "wrapped_fn",
      "ret_val = func(*args, **kwargs)",
      "func(*args, **kwargs)",
    ]),
    toFrame([
      `${ds}/runtime/engine.py`,
      1914,
      "forward",
      "loss = self.module(*inputs, **kwargs)",
      "self.module(*inputs, **kwargs)",
    ]),
    ...moduleCall(cfg),
  ];
}

/** How a DeepSpeed job shows a worker's fault: pdsh's host prefix, the shown ranks. */
function dsFaults(cfg: RunConfig): FaultStyle {
  const shown = new Set(shownRanks(cfg));
  return {
    style: "deepspeed",
    view: {
      tee: (rank) => hostPrefix(cfg, Math.floor(rank / cfg.gpusPerNode)),
      shows: (rank) => shown.has(rank),
      frames: dsFrames,
    },
    agent: { entrypoint: dsScriptName(cfg) },
  };
}

/** A worker's own lines: its CUDA error or out-of-memory, or a hung rank's watchdog. */
export function workerFault(ev: LogEvent, cfg: RunConfig): string {
  return faultFactLines(ev, cfg, dsFaults(cfg));
}

/** A node's launch.py finding a child dead: it kills every local process and exits. */
export function launcherExit(ev: LogEventOf<"fault.exit">, cfg: RunConfig, st: DsState): string {
  const d = ev.data;
  if (!shownNodes(cfg).includes(d.node)) return "";
  return killLines(cfg, st, d.node, ev.simMs, d.failed[0]?.exitcode ?? 1);
}

/**
 * pdsh's report of each node's launcher that exited non-zero (a multi-node job only; pdsh
 * reaches the first node by ssh too).
 */
export function pdshExit(ev: LogEventOf<"fault.srun">, cfg: RunConfig): string {
  if (cfg.nodes === 1) return "";
  const local = hostName(cfg.cluster, 0);
  return ev.data.tasks.map((t) =>
    `pdsh@${local}: ${hostName(cfg.cluster, t.node)}: ssh exited with exit code ${t.exit_code}`
  ).join("\n");
}
