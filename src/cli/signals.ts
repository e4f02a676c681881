/**
 * What a signal that ends the run asks for, as a pure decision main carries out: the run's own
 * ending, an exit at once, or nothing (a copy of a signal just handled).
 */

/** Signals that end the run. */
export type EndSignal = "SIGINT" | "SIGTERM" | "SIGHUP" | "SIGQUIT";

/** Exit status after each signal: 128 + its number, as a shell reports a process it killed. */
export const SIGNAL_EXIT_CODE: Readonly<Record<EndSignal, number>> = {
  SIGHUP: 129,
  SIGINT: 130,
  SIGQUIT: 131,
  SIGTERM: 143,
};

/**
 * Wall ms within which a repeat of a signal is the same request. One Ctrl-C under
 * `deno task start` arrives two or three times within a few ms: from the terminal, and again
 * from the task runner, which passes signals on to its child.
 */
export const REPEAT_WINDOW_MS = 400;

/** What main does about a signal. */
export type SignalAction =
  /** Stop the run: it writes its ending (interrupt line, emergency checkpoint, summary). */
  | { kind: "stop"; reason: "sigint" | "sigterm" }
  /** Exit now with `code`, the terminal handed back; the run writes no ending. */
  | { kind: "exit"; code: number }
  /** A repeat of a signal just acted on. */
  | { kind: "ignore" };

/**
 * Decides what each signal does: SIGINT or SIGTERM stop the run, which ends itself; the same
 * signal again within REPEAT_WINDOW_MS is the same request; a later or different one, once the
 * run is stopping, exits at once with the first stop's status. SIGQUIT (Ctrl-\) and SIGHUP (the
 * terminal closed) exit at once, without an ending: nobody is there to read one.
 */
export class SignalPolicy {
  /** When each signal was last acted on (wall ms). */
  #actedMs = new Map<EndSignal, number>();
  /** The signal that stopped the run, if one did. */
  #first: "SIGINT" | "SIGTERM" | null = null;

  /** What to do about `signal` at wall time `nowMs`; `stopping`: the run is ending already. */
  decide(signal: EndSignal, nowMs: number, stopping: boolean): SignalAction {
    const last = this.#actedMs.get(signal);
    if (last !== undefined && nowMs - last < REPEAT_WINDOW_MS) return { kind: "ignore" };
    this.#actedMs.set(signal, nowMs);
    if (signal === "SIGHUP" || signal === "SIGQUIT") {
      return { kind: "exit", code: SIGNAL_EXIT_CODE[signal] };
    }
    if (!stopping) {
      this.#first = signal;
      return { kind: "stop", reason: signal === "SIGINT" ? "sigint" : "sigterm" };
    }
    return { kind: "exit", code: SIGNAL_EXIT_CODE[this.#first ?? signal] };
  }
}
