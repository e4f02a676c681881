/**
 * How the process pauses and ends: signals, Ctrl-Z and `fg`, and the way out that hands the
 * terminal back without waiting long on a reader that takes nothing. With cli.ts, the only
 * module that touches signals and Deno.exit.
 */
import { type EndSignal, REPEAT_WINDOW_MS, SignalPolicy } from "./signals.ts";
import type { StopSignal } from "../driver/pacer.ts";
import type { Sink } from "../render/sink.ts";
import type { TtyRenderer } from "../render/tty.ts";
import { ansi } from "../render/ansi.ts";

/** Exit status for how the run stopped: 128 + the signal's number after a signal. */
export function exitCode(reason: StopSignal["reason"]): number {
  return reason === "sigint" ? 130 : reason === "sigterm" ? 143 : 0;
}

/** Where the run's bytes go, and whether they draw the live view (a terminal to hand back). */
export interface Output {
  sink: Sink;
  live: boolean;
  /** Set once the process is on its way out (see leave()). */
  leaving: boolean;
}

/**
 * The run's wall clock: performance.now() less the time the process spent stopped by Ctrl-Z,
 * so that after `fg` a paced run carries on where it was instead of racing to catch up (and the
 * telemetry pool does not take the pause for a stalled worker).
 */
export interface RunClock {
  stoppedMs: number;
  now(): number;
}

/** Bytes that hand a terminal back after the live view: colours reset, cursor shown. */
export const RESTORE = ansi.syncEnd + ansi.reset + ansi.showCursor;
/** Wall ms, on the way out, to wait for the terminal to take RESTORE (it may be paused). */
export const LEAVE_WAIT_MS = 200;
/** Wall ms a stopping run's write may stand still before its output is given up. */
const STALL_MS = 250;

/**
 * Ends the process with `code` at once: output not written yet is dropped, and the live view's
 * terminal is handed back first (a ^C echo may sit on the cursor's line, hence the newline).
 */
export async function leave(code: number, out: Output): Promise<void> {
  if (out.leaving) return;
  out.leaving = true;
  await out.sink.abandon(out.live ? RESTORE + "\n" : "", LEAVE_WAIT_MS);
  Deno.exit(code);
}

/** Runs `listener` on `signal`, where the platform has it. */
function listen(signal: Deno.Signal, listener: () => void): void {
  try {
    Deno.addSignalListener(signal, listener);
  } catch { /* signal not supported on this platform */ }
}

/**
 * SIGINT and SIGTERM stop the run, which writes its ending; the same signal again within a
 * moment is the same request (see SignalPolicy); a later one, SIGQUIT or SIGHUP exit at once
 * with 128 + the signal's number, the terminal handed back.
 */
export function listenForSignals(stop: StopSignal, out: Output): void {
  const policy = new SignalPolicy();
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT"] as EndSignal[]) {
    listen(signal, () => {
      const action = policy.decide(signal, performance.now(), stop.stopped);
      if (action.kind === "stop") stop.stop(action.reason);
      if (action.kind === "exit") leave(action.code, out);
    });
  }
  // A stopping run writes its ending, but does not wait on a reader that takes nothing (a
  // paused terminal, `| sleep 40`): once a write stands still, the rest is dropped.
  stop.onStop(() => {
    setInterval(() => {
      if (out.sink.stalledMs() >= STALL_MS) leave(exitCode(stop.reason), out);
    }, STALL_MS / 5);
  });
}

/** Wall ms to wait for the frames drawn so far and the terminal's hand-back before a stop. */
const SUSPEND_WAIT_MS = 500;

/**
 * Ctrl-Z hands the terminal back (cursor shown, colours reset) and then stops the process, as
 * a stop signal would have; on `fg` (SIGCONT) the live view takes the terminal again and draws
 * itself anew. Under `deno task` a stop cannot give the shell its terminal back (the runner
 * ignores SIGTSTP and only SIGSTOP from outside stops it, which needs --allow-run), so the run
 * says so and goes on instead of freezing the terminal.
 */
export function listenForJobControl(
  out: Output,
  live: () => TtyRenderer | null,
  clock: RunClock,
  underTaskRunner: boolean,
): void {
  let suspending = false, suspendedMs = -Infinity;
  listen("SIGTSTP", async () => {
    // The task runner passes a Ctrl-Z on as well: one key press, one suspend.
    if (suspending || performance.now() - suspendedMs < REPEAT_WINDOW_MS) return;
    suspending = true;
    try {
      const view = live();
      if (view) {
        try {
          out.sink.write(view.suspend());
        } catch { /* the terminal is gone: nothing to hand back */ }
        await out.sink.settle(SUSPEND_WAIT_MS);
      }
      if (underTaskRunner) {
        note(
          "not suspended: under deno task the terminal would stay frozen (the task runner " +
            "keeps it); Ctrl-C stops the run, and a run started with deno run can be suspended",
        );
        live()?.resume();
      } else {
        // Returns once the process is continued; SIGCONT then draws the live view anew.
        const stoppedAt = performance.now();
        Deno.kill(Deno.pid, "SIGSTOP");
        clock.stoppedMs += performance.now() - stoppedAt;
      }
    } finally {
      suspending = false;
      suspendedMs = performance.now();
    }
  });
  let continuedMs = -Infinity;
  listen("SIGCONT", () => {
    // The task runner passes a SIGCONT on as well: one continue, one new region.
    if (performance.now() - continuedMs < REPEAT_WINDOW_MS) return;
    continuedMs = performance.now();
    live()?.resume();
  });
}

/**
 * Stops the run once `clock` reaches `deadlineMs`: the driver checks its deadline when it wakes,
 * but a run held back by a reader that takes nothing does not wake.
 */
export function stopAt(stop: StopSignal, deadlineMs: number, clock: RunClock): void {
  const check = () => {
    const leftMs = deadlineMs - clock.now();
    if (leftMs <= 0) stop.stop("exit-after");
    else setTimeout(check, leftMs);
  };
  check();
}

/** Prints one line on stderr, on a line of its own (a ^Z echo may sit on the cursor's line). */
function note(message: string): void {
  try {
    Deno.stderr.writeSync(new TextEncoder().encode(`\nfauxtrain: ${message}\n`));
  } catch { /* stderr gone: nothing to tell */ }
}
