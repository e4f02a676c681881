/**
 * The llama-recipes script's Python frames at the moment a worker fails: the example script's
 * `fire.Fire(main)`, python-fire's three frames, `main()` calling `train()`, and the batch loop's
 * failing call (the loader, the forward, `loss.backward()` or `optimizer.step()`), with the line
 * numbers of the release the cluster runs.
 */
import type { RunConfig } from "../sim/run_config.ts";
import { backwardFrames, frame, moduleCall } from "./torch_frames.ts";
import { type FrameSite, loaderFrames, optimizerFrames } from "./torch_sites.ts";
import type { PyFrame } from "./tracebacks.ts";
import { pythonPaths } from "./torch_source.ts";
import { recipesRelease } from "./recipes_lines.ts";
import releasesJson from "../../data/llama_recipes_releases.json" with { type: "json" };

const FIRE: Record<string, { Fire: number; _Fire: number; _CallAndUpdateTrace: number }> =
  releasesJson.fire;

/** Where the repository is checked out (the example runs from its root). */
export function recipesRoot(cfg: RunConfig): string {
  const repo = recipesRelease(cfg).package === "llama_cookbook"
    ? "llama-cookbook"
    : "llama-recipes";
  return cfg.cluster.layout.salt % 2 === 0 ? `/workspace/${repo}` : `${cfg.cluster.home}/${repo}`;
}

/** The frames of a worker failing at `site` (a CUDA error or Ctrl-C lands in the backward). */
export function recipesFrames(cfg: RunConfig, site: FrameSite): PyFrame[] {
  const rel = recipesRelease(cfg), l = rel.lines, site_ = pythonPaths(cfg).site;
  const core = `${site_}/fire/core.py`, fire = FIRE[rel.fire];
  const utils = `${site_}/${rel.package}/utils/train_utils.py`;
  const head = [
    frame(`${recipesRoot(cfg)}/${rel.entrypoint}`, 8, "<module>", "fire.Fire(main)", "fire.Fire"),
    frame(
      core,
      fire.Fire,
      "Fire",
      "component_trace = _Fire(component, args, parsed_flag_args, context, name)",
      "_Fire",
    ),
    frame(core, fire._Fire, "_Fire", "component, remaining_args = _CallAndUpdateTrace("),
    frame(
      core,
      fire._CallAndUpdateTrace,
      "_CallAndUpdateTrace",
      "component = fn(*varargs, **kwargs)",
      "fn",
    ),
    frame(`${site_}/${rel.package}/finetuning.py`, l.main, "main", "results = train("),
  ];
  switch (site) {
    case "data":
      return [
        ...head,
        frame(utils, l.loop, "train", "for step, batch in enumerate(train_dataloader):"),
        ...loaderFrames(cfg),
      ];
    case "forward":
      return [
        ...head,
        frame(utils, l.forward, "train", "loss = model(**batch).loss", "model"),
        ...moduleCall(cfg),
      ];
    case "optimizer":
      return [
        ...head,
        frame(utils, l.step, "train", "optimizer.step()", "optimizer.step"),
        ...optimizerFrames(cfg),
      ];
    default:
      return [
        ...head,
        frame(utils, l.backward, "train", "loss.backward()", "loss.backward"),
        ...backwardFrames(cfg),
      ];
  }
}
