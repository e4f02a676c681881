/**
 * Output styles: how a run's events read as lines. A style is a pure formatter; it may rewrite
 * any event's message (several lines joined by "\n"), or blank it so text output skips it.
 * JSON lines keep every typed event whatever the style. This module gathers them all.
 */
import type { RunConfig } from "../sim/run_config.ts";
import { NATIVE_STYLE, type Style } from "./apply.ts";
import { autoStyleName } from "./names.ts";
import { TORCHRUN_STYLE } from "./torchrun.ts";
import { MEGATRON_STYLE } from "./megatron.ts";
import { DEEPSPEED_STYLE } from "./deepspeed.ts";
import { HF_STYLE } from "./hf.ts";
import { LIGHTNING_STYLE } from "./lightning.ts";
import { NANOGPT_STYLE } from "./nanogpt.ts";
import { LLMC_STYLE } from "./llmc.ts";
import { SPEEDRUN_STYLE } from "./speedrun.ts";

export { applyStyle, NATIVE_STYLE, openStyle, type Style } from "./apply.ts";
export { autoStyleName, HF_MAX_PARAMS, STYLE_NAMES, type StyleName } from "./names.ts";

/** Every style by name, loaded together (tests and tools; the program loads one: load.ts). */
export const STYLES: Readonly<Record<string, Style>> = {
  torchrun: TORCHRUN_STYLE,
  megatron: MEGATRON_STYLE,
  deepspeed: DEEPSPEED_STYLE,
  hf: HF_STYLE,
  lightning: LIGHTNING_STYLE,
  nanogpt: NANOGPT_STYLE,
  llmc: LLMC_STYLE,
  speedrun: SPEEDRUN_STYLE,
  native: NATIVE_STYLE,
};

/** The style `auto` picks for a run (see autoStyleName). */
export function autoStyle(cfg: RunConfig): Style {
  return STYLES[autoStyleName(cfg)];
}
