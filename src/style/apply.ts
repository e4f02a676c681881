/**
 * The style contract and how a style fills in a line, without any framework style loaded: the
 * driver imports only this, and the chosen style is loaded on its own (src/style/load.ts).
 */
import type { OutputEvent } from "../sim/events.ts";
import type { RunConfig } from "../sim/run_config.ts";
import { formatNative } from "./native.ts";

/** A framework look. */
export interface Style {
  readonly name: string;
  /**
   * The message for an event: a string (may hold several lines joined by "\n"; "" prints
   * nothing in text and tty modes), or null to keep the native message.
   */
  message(ev: OutputEvent, cfg: RunConfig): string | null;
}

/** fauxtrain's own look: native messages everywhere. */
export const NATIVE_STYLE: Style = { name: "native", message: () => null };

/**
 * Fills in an event's message through a style, falling back to the native formatter. Steps that
 * are not logged keep an empty message: no output mode prints them, and formatting every one of
 * a long run's steps cost more than simulating them.
 */
export function applyStyle(style: Style, ev: OutputEvent, cfg: RunConfig): OutputEvent {
  if (ev.type === "step" && !ev.logged) return ev;
  const styled = style.message(ev, cfg);
  if (styled !== null) ev.msg = styled;
  else if (ev.type !== "log" && ev.msg === "") ev.msg = formatNative(ev);
  return ev;
}
