/**
 * How torchrun's elastic agent reports dead workers: SIGTERM to the node's other workers, the
 * `failed (exitcode: ...)` line, its own traceback and the `ChildFailedError` summary with its
 * Root Cause; and, on a signal, `Received Signals.SIGINT death signal` and `SignalException`.
 */
import type { DeadWorker, LogEventOf } from "../sim/events.ts";
import { hostFqdn } from "../sim/names.ts";
import type { RunConfig } from "../sim/run_config.ts";
import { glogHead } from "../format/clock.ts";
import { agentPid, launchOf, nodeClockMs } from "./ranks.ts";
import { callSpan, type PyFrame, pyTraceback } from "./tracebacks.ts";
import { loggedPath, pythonMinor, pythonPaths, torchSource } from "./torch_source.ts";
import { mix32 } from "../sim/rng.ts";

/** What the agent's report needs beyond the facts: the entry point and the children's tracebacks. */
export interface AgentView {
  /** The entry point as torchrun names it (`train.py`, `torchtitan.train` for `-m`). */
  entrypoint: string;
  /**
   * The Python traceback a worker's `@record` wrote to its error file, or null when the
   * worker records none (its row then reads `error_file: <N/A>`).
   */
  recorded?: (w: DeadWorker) => string[] | null;
}

const SIGNALS: Record<number, string> = {
  2: "SIGINT",
  6: "SIGABRT",
  7: "SIGBUS",
  9: "SIGKILL",
  11: "SIGSEGV",
  15: "SIGTERM",
};

/** The interpreter path torchrun reports as the workers' binary. */
function binary(cfg: RunConfig): string {
  const p = pythonPaths(cfg).python;
  return p.includes("conda") ? `${p}3.${pythonMinor(cfg)}` : p;
}

function head(
  cfg: RunConfig,
  sev: string,
  node: number,
  simMs: number,
  launch: number,
  line: string,
) {
  return glogHead(
    sev,
    nodeClockMs(cfg, node, simMs),
    agentPid(cfg, node, launch),
    loggedPath(cfg, line),
  );
}

/** torchrun's own frames from `main()` down to `launch_agent`. */
function launcherFrames(cfg: RunConfig): PyFrame[] {
  const { site, torchrun } = pythonPaths(cfg), s = torchSource(cfg);
  const f = (file: string, line: number, fn: string, code: string, call?: string): PyFrame => ({
    file,
    line,
    fn,
    code,
    ...(call ? { caret: callSpan(code, call) } : {}),
  });
  const launch = "return launch_agent(self._config, self._entrypoint, list(args))";
  return [
    f(torchrun, 8, "<module>", "sys.exit(main())", "main()"),
    f(
      `${site}/torch/distributed/elastic/multiprocessing/errors/__init__.py`,
      s.errorsWrapper,
      "wrapper",
      "return f(*args, **kwargs)",
      "f(",
    ),
    f(`${site}/torch/distributed/run.py`, s.runMain, "main", "run(args)"),
    f(`${site}/torch/distributed/run.py`, s.runRun, "run", "elastic_launch("),
    f(
      `${site}/torch/distributed/launcher/api.py`,
      s.launcherCall,
      "__call__",
      launch,
      "launch_agent",
    ),
  ];
}

/** `2026-11-24_09:41:07`: when a worker failed, in the node's local time, to the second. */
function failureTime(cfg: RunConfig, node: number, ms: number): string {
  const iso = new Date(nodeClockMs(cfg, node, ms)).toISOString();
  return `${iso.slice(0, 10)}_${iso.slice(11, 19)}`;
}

/** One `[k]:` entry of the error summary. */
function entry(cfg: RunConfig, view: AgentView, node: number, k: number, w: DeadWorker): string[] {
  const tb = view.recorded?.(w) ?? null;
  const sig = SIGNALS[-w.exitcode];
  const salt = mix32(cfg.cluster.layout.salt, w.pid);
  const tmp = (n: number) => (salt >>> n).toString(36).padStart(8, "x").slice(-8);
  const errorFile = tb
    ? `/tmp/torchelastic_${tmp(0)}/none_${tmp(3)}/attempt_0/${w.rank % cfg.gpusPerNode}/error.json`
    : "<N/A>";
  const trace = tb
    ? tb.join("\n  ")
    : w.exitcode < 0
    ? `Signal ${-w.exitcode} (${sig}) received by PID ${w.pid}`
    : "To enable traceback see: https://pytorch.org/docs/stable/elastic/errors.html";
  return [
    `[${k}]:`,
    `  time      : ${failureTime(cfg, node, w.at_ms)}`,
    `  host      : ${hostFqdn(cfg.cluster, node)}`,
    `  rank      : ${w.rank} (local_rank: ${w.rank % cfg.gpusPerNode})`,
    `  exitcode  : ${w.exitcode} (pid: ${w.pid})`,
    `  error_file: ${errorFile}`,
    ...`  traceback : ${trace}`.split("\n"),
  ];
}

/** The `ChildFailedError` summary: rules as wide as its longest line, at most 60. */
export function childFailedSummary(
  cfg: RunConfig,
  view: AgentView,
  node: number,
  failed: readonly DeadWorker[],
): string[] {
  const [root, ...others] = failed;
  const failures = others.length === 0
    ? ["  <NO_OTHER_FAILURES>"]
    : others.flatMap((w, i) => entry(cfg, view, node, i + 1, w));
  const body = [
    `${view.entrypoint} FAILED`,
    "Failures:",
    ...failures,
    "Root Cause (first observed failure):",
    ...entry(cfg, view, node, 0, root),
  ];
  const width = Math.min(60, Math.max(...body.map((l) => l.length)));
  const eq = "=".repeat(width), dash = "-".repeat(width);
  return [
    eq,
    body[0],
    dash,
    ...body.slice(1, 2 + failures.length),
    dash,
    ...body.slice(2 + failures.length),
    eq,
  ];
}

/** A node's launcher finding dead workers: its SIGTERMs, its error line, traceback and summary. */
export function agentExitLines(
  ev: LogEventOf<"fault.exit">,
  cfg: RunConfig,
  view: AgentView,
): string {
  const d = ev.data, launch = launchOf(ev), s = torchSource(cfg), first = d.failed[0];
  const sigterm = d.terminated.map((pid, i) =>
    head(
      cfg,
      "W",
      d.node,
      ev.simMs + i * 0.3,
      launch,
      `distributed/elastic/multiprocessing/api.py:${s.mpSigterm}`,
    ) +
    `Sending process ${pid} closing signal SIGTERM`
  );
  const failedAt = ev.simMs + 15 + d.terminated.length * 2;
  const failedLine = head(
    cfg,
    "E",
    d.node,
    failedAt,
    launch,
    `distributed/elastic/multiprocessing/api.py:${s.mpFailed}`,
  ) +
    `failed (exitcode: ${first.exitcode}) local_rank: ${first.rank % cfg.gpusPerNode} ` +
    `(pid: ${first.pid}) of binary: ${binary(cfg)}`;
  const frames = [...launcherFrames(cfg), {
    file: `${pythonPaths(cfg).site}/torch/distributed/launcher/api.py`,
    line: s.launcherRaise,
    fn: "launch_agent",
    code: "raise ChildFailedError(",
  }];
  const tb = pyTraceback(
    frames,
    "torch.distributed.elastic.multiprocessing.errors.ChildFailedError: ",
    pythonMinor(cfg) >= 11,
  );
  return [...sigterm, failedLine, ...tb, ...childFailedSummary(cfg, view, d.node, d.failed)].join(
    "\n",
  );
}

/** The nodes whose launcher lines a signal shows (all of a small job, a few of a big one). */
function agentNodes(cfg: RunConfig): number[] {
  return cfg.nodes <= 4 ? Array.from({ length: cfg.nodes }, (_, i) => i) : [0, 1, cfg.nodes - 1];
}

/** Each shown node's launcher passing a signal on to its workers. */
export function agentSignalLines(
  ev: LogEventOf<"interrupt">,
  cfg: RunConfig,
  pids: (node: number) => number[],
): string {
  const d = ev.data, launch = launchOf(ev), s = torchSource(cfg);
  return agentNodes(cfg).flatMap((node) => [
    head(
      cfg,
      "W",
      node,
      ev.simMs + 2,
      launch,
      `distributed/elastic/agent/server/api.py:${s.agentDeath}`,
    ) +
    `Received Signals.${d.signal} death signal, shutting down workers`,
    ...pids(node).map((pid, i) =>
      head(
        cfg,
        "W",
        node,
        ev.simMs + 3 + i * 0.4,
        launch,
        `distributed/elastic/multiprocessing/api.py:${s.mpSigterm}`,
      ) +
      `Sending process ${pid} closing signal ${d.signal}`
    ),
  ]).join("\n");
}

/** Each shown launcher's own traceback, ending in the SignalException that stops it. */
export function agentSignalTraceback(ev: LogEventOf<"interrupt.shutdown">, cfg: RunConfig): string {
  const { site } = pythonPaths(cfg), s = torchSource(cfg), launch = launchOf(ev);
  const num = ev.data.signal === "SIGINT" ? 2 : 15;
  const agent = `${site}/torch/distributed/elastic/agent/server/api.py`;
  const mp = `${site}/torch/distributed/elastic/multiprocessing/api.py`;
  const frames: PyFrame[] = [
    ...launcherFrames(cfg),
    {
      file: `${site}/torch/distributed/launcher/api.py`,
      line: s.launcherRun,
      fn: "launch_agent",
      code: "result = agent.run()",
      caret: [9, 11],
    },
    {
      file: `${site}/torch/distributed/elastic/metrics/api.py`,
      line: 137,
      fn: "wrapper",
      code: "result = f(*args, **kwargs)",
      caret: [9, 18],
    },
    {
      file: agent,
      line: s.agentRun,
      fn: "run",
      code: "result = self._invoke_run(role)",
      caret: [9, 22],
    },
    { file: agent, line: s.agentInvoke, fn: "_invoke_run", code: "time.sleep(monitor_interval)" },
    {
      file: mp,
      line: s.mpSignal,
      fn: "_terminate_process_handler",
      code: 'raise SignalException(f"Process {os.getpid()} got signal: {sigval}", sigval=sigval)',
    },
  ];
  return agentNodes(cfg).flatMap((node) =>
    pyTraceback(
      frames,
      `torch.distributed.elastic.multiprocessing.api.SignalException: Process ` +
        `${agentPid(cfg, node, launch)} got signal: ${num}`,
      pythonMinor(cfg) >= 11,
    )
  ).join("\n");
}
