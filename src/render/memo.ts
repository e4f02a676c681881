/**
 * Remembers a pure function's last result: called again with the same arguments (compared by
 * identity), it returns that result instead of computing it again. Live frames redraw many times
 * between telemetry ticks, so views of the telemetry are drawn once per tick.
 */

/** `fn` with its last call remembered; `fn` must be pure and its result never mutated. */
export function rememberLast<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R {
  let lastArgs: A | null = null;
  let lastResult: R;
  return (...args: A): R => {
    if (lastArgs && lastArgs.length === args.length && args.every((a, i) => a === lastArgs![i])) {
      return lastResult;
    }
    lastResult = fn(...args);
    lastArgs = args;
    return lastResult;
  };
}
