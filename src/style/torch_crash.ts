/**
 * What a crash looks like in a torchrun job's output, for scripts that print nothing of their own
 * about it (nanoGPT, the speedrun records): the failing worker's Python traceback, the NCCL
 * watchdog of the workers left waiting, torchrun's agent closing the others down, and the agent
 * passing a signal on. torchrun's INFO lines (rendezvous, "Starting worker group") stay hidden
 * at its default log level, so a restart shows only as the script starting over.
 */
import { workerPid } from "../sim/names.ts";
import type { RunConfig } from "../sim/run_config.ts";
import { glogHead, pyLogTime } from "../format/clock.ts";
import { agentPid, prefixLines } from "./ranks.ts";

/** PyTorch's minor version (2.4.1+cu124 → 4). */
export function torchMinor(cfg: RunConfig): number {
  return Number(cfg.cluster.torchVersion.split(".")[1]);
}

/** Where torch's package sits, as Python prints frame paths. */
export function sitePackages(cfg: RunConfig): string {
  const py = cfg.cluster.pythonVersion.split(".").slice(0, 2).join(".");
  const venv = cfg.cluster.venv;
  if (venv.startsWith("/usr/bin")) return `/usr/local/lib/python${py}/dist-packages`;
  return `${venv.replace(/\/bin\/python3?$/, "")}/lib/python${py}/site-packages`;
}

/** One of torchrun's own log records: glog from PyTorch 2.4 on, Python logging before. */
function agentLine(cfg: RunConfig, level: "W" | "E", simMs: number, node: number, text: string) {
  const minor = torchMinor(cfg);
  if (minor < 4) {
    const name = level === "W" ? "WARNING" : "ERROR";
    return `[${pyLogTime(simMs)}] torch.distributed.elastic.multiprocessing.api: [${name}] ${text}`;
  }
  const [sending, failed] = minor === 4 ? [900, 874] : [908, 882];
  const line = text.startsWith("Sending") ? sending : failed;
  return glogHead(level, simMs, agentPid(cfg, node), agentFile(minor, line)) + text;
}

function agentFile(minor: number, line: number): string {
  const prefix = minor >= 5 ? "site-packages/" : "";
  return `${prefix}torch/distributed/elastic/multiprocessing/api.py:${line}`;
}

/**
 * torchrun on `node` after worker `failedLocal` died with `exitcode`: SIGTERM to the others,
 * then the failure record, a few milliseconds apart.
 */
export function agentFailure(
  cfg: RunConfig,
  node: number,
  failedLocal: number,
  exitcode: number,
  simMs: number,
  pidBase: number,
): string[] {
  const out: string[] = [];
  let t = simMs;
  for (let local = 0; local < cfg.gpusPerNode; local++) {
    if (local === failedLocal) continue;
    t += 0.4 + (local * 0.37) % 1;
    out.push(
      agentLine(cfg, "W", t, node, `Sending process ${pidBase + local} closing signal SIGTERM`),
    );
  }
  const pid = pidBase + failedLocal;
  out.push(agentLine(
    cfg,
    "E",
    t + 1800 + (pid % 900),
    node,
    `failed (exitcode: ${exitcode}) local_rank: ${failedLocal} (pid: ${pid}) of binary: ` +
      cfg.cluster.venv,
  ));
  return out;
}

/** torchrun passing SIGINT or SIGTERM on to its workers, on every node shown. */
export function agentSignal(
  cfg: RunConfig,
  signal: "SIGINT" | "SIGTERM",
  simMs: number,
  nodes: number[],
): string[] {
  const minor = torchMinor(cfg);
  return nodes.flatMap((node) => {
    const t = simMs + node * 2.3;
    const text = `Received Signals.${signal} death signal, shutting down workers`;
    const head = minor < 4
      ? `[${pyLogTime(t)}] torch.distributed.elastic.agent.server.api: [WARNING] `
      : glogHead(
        "W",
        t,
        agentPid(cfg, node),
        `${minor >= 5 ? "site-packages/" : ""}` +
          `torch/distributed/elastic/agent/server/api.py:${minor === 4 ? 704 : 719}`,
      );
    return [
      head + text,
      ...Array.from({ length: cfg.gpusPerNode }, (_, local) =>
        agentLine(
          cfg,
          "W",
          t + 0.2 + local * 0.05,
          node,
          `Sending process ${workerPid(cfg, node, local)} closing signal ${signal}`,
        )),
    ];
  });
}

/** Frames of `loss.backward()` inside torch, by minor version: [_tensor.py, __init__, graph]. */
const BACKWARD_LINES: Record<number, [number, number, number]> = {
  3: [525, 267, 744],
  4: [521, 289, 768],
  5: [581, 347, 825],
  6: [626, 347, 823],
  7: [648, 353, 824],
  8: [647, 354, 829],
};

/**
 * A traceback from the backward pass of `script` at `frame` ending in `error` (its lines), as
 * Python prints it; a torchrun worker's lines carry PyTorch's `[rankN]: ` prefix (`rank` ≥ 0).
 */
export function backwardTraceback(
  cfg: RunConfig,
  rank: number,
  script: string,
  frame: { line: number; code: string },
  error: string[],
): string {
  const site = sitePackages(cfg);
  const [tensor, init, graph] = BACKWARD_LINES[torchMinor(cfg)] ?? BACKWARD_LINES[6];
  const lines = [
    "Traceback (most recent call last):",
    `  File "${script}", line ${frame.line}, in <module>`,
    `    ${frame.code}`,
    `  File "${site}/torch/_tensor.py", line ${tensor}, in backward`,
    "    torch.autograd.backward(",
    `  File "${site}/torch/autograd/__init__.py", line ${init}, in backward`,
    "    _engine_run_backward(",
    `  File "${site}/torch/autograd/graph.py", line ${graph}, in _engine_run_backward`,
    "    return Variable._execution_engine.run_backward(  # Calls into the C++ engine to run " +
    "the backward pass",
    ...error,
  ];
  return rank < 0 ? lines.join("\n") : prefixLines(`[rank${rank}]: `, lines.join("\n"));
}

/** What PyTorch raises for a CUDA error `text`, with its hints and the closing blank line. */
export function cudaErrorLines(text: string): string[] {
  return [
    `RuntimeError: CUDA error: ${text}`,
    "CUDA kernel errors might be asynchronously reported at some other API call, so the " +
    "stacktrace below might be incorrect.",
    "For debugging consider passing CUDA_LAUNCH_BLOCKING=1",
    "Compile with `TORCH_USE_CUDA_DSA` to enable device-side assertions.",
    "",
  ];
}
