/**
 * Loads one style on demand, so start-up pays only for the style in use. Each import names its
 * module literally, which keeps it in the module graph of URL runs and compiled binaries.
 */
import { NATIVE_STYLE, type Style } from "./apply.ts";
import type { StyleName } from "./names.ts";

/** The style called `name`. */
export async function loadStyle(name: StyleName): Promise<Style> {
  switch (name) {
    case "torchrun":
      return (await import("./torchrun.ts")).TORCHRUN_STYLE;
    case "megatron":
      return (await import("./megatron.ts")).MEGATRON_STYLE;
    case "deepspeed":
      return (await import("./deepspeed.ts")).DEEPSPEED_STYLE;
    case "hf":
      return (await import("./hf.ts")).HF_STYLE;
    case "lightning":
      return (await import("./lightning.ts")).LIGHTNING_STYLE;
    case "nanogpt":
      return (await import("./nanogpt.ts")).NANOGPT_STYLE;
    case "llmc":
      return (await import("./llmc.ts")).LLMC_STYLE;
    case "speedrun":
      return (await import("./speedrun.ts")).SPEEDRUN_STYLE;
    case "native":
      return NATIVE_STYLE;
  }
}
