/**
 * Output styles: how a run's events read as lines. A style is a pure formatter; it may rewrite
 * any event's message (several lines joined by "\n"), or blank it so text output skips it.
 * JSON lines keep every typed event whatever the style.
 */
import type { OutputEvent } from "../sim/events.ts";
import type { RunConfig } from "../sim/run_config.ts";
import { formatNative } from "./native.ts";
import { TORCHRUN_STYLE } from "./torchrun.ts";
import { MEGATRON_STYLE } from "./megatron.ts";
import { DEEPSPEED_STYLE } from "./deepspeed.ts";
import { HF_STYLE } from "./hf.ts";
import { LIGHTNING_STYLE } from "./lightning.ts";
import { NANOGPT_STYLE } from "./nanogpt.ts";

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

/** Every style by name. */
export const STYLES: Readonly<Record<string, Style>> = {
  torchrun: TORCHRUN_STYLE,
  megatron: MEGATRON_STYLE,
  deepspeed: DEEPSPEED_STYLE,
  hf: HF_STYLE,
  lightning: LIGHTNING_STYLE,
  nanogpt: NANOGPT_STYLE,
  native: NATIVE_STYLE,
};

/** Fine-tunes of models up to this size look like the Hugging Face Trainer. */
export const HF_MAX_PARAMS = 2e10;

/**
 * The style `auto` picks for a run: Megatron for TP/PP, the HF Trainer for fine-tunes up to
 * 20B parameters, DeepSpeed for ZeRO, nanoGPT for DDP pre-training, and for FSDP torchrun
 * (pre-training) or Lightning (larger fine-tunes).
 */
export function autoStyle(cfg: RunConfig): Style {
  const s = cfg.plan.strategy;
  if (s === "megatron") return MEGATRON_STYLE;
  if (cfg.task === "finetune" && cfg.model.params <= HF_MAX_PARAMS) return HF_STYLE;
  if (s.startsWith("zero")) return DEEPSPEED_STYLE;
  if (s === "ddp") return NANOGPT_STYLE;
  return cfg.task === "pretrain" ? TORCHRUN_STYLE : LIGHTNING_STYLE;
}

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
