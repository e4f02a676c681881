/**
 * torch's own Python frames under a training script's call at each place a step can fail:
 * the DataLoader's `__next__` down to the raise of a lost worker, the optimizer's step, and
 * `torch.save` down to a record's write, at the lines of the run's torch release.
 */
import type { StrikeSite } from "../sim/facts.ts";
import type { RunConfig } from "../sim/run_config.ts";
import { frame } from "./torch_frames.ts";
import type { PyFrame } from "./tracebacks.ts";
import { pythonPaths, torchAtLeast, torchSource } from "./torch_source.ts";

/** Where a traceback's frames end: a step's site, or where Ctrl-C lands. */
export type FrameSite = StrikeSite | "interrupt";

/** torch's DataLoader from `next(...)` to the RuntimeError it raises for a lost worker. */
export function loaderFrames(cfg: RunConfig): PyFrame[] {
  const file = `${pythonPaths(cfg).site}/torch/utils/data/dataloader.py`;
  const l = torchSource(cfg).loader;
  const pids = 'raise RuntimeError(f"DataLoader worker (pid(s) {pids_str}) exited unexpectedly")';
  return [
    frame(file, l.next, "__next__", "data = self._next_data()", "self._next_data"),
    frame(file, l.nextData, "_next_data", "idx, data = self._get_data()", "self._get_data"),
    frame(
      file,
      l.getData,
      "_get_data",
      "success, data = self._try_get_data()",
      "self._try_get_data",
    ),
    frame(file, l.tryRaise, "_try_get_data", `${pids} from e`),
  ];
}

/** torch's optimizer step: the hooks wrapper, `_use_grad`, and AdamW's (Adam's from 2.6) step. */
export function optimizerFrames(cfg: RunConfig): PyFrame[] {
  const optim = `${pythonPaths(cfg).site}/torch/optim`, o = torchSource(cfg).optim;
  const adam = torchAtLeast(cfg, 6);
  return [
    frame(`${optim}/optimizer.py`, o.wrapper, "wrapper", "out = func(*args, **kwargs)", "func"),
    frame(
      `${optim}/optimizer.py`,
      o.useGrad,
      "_use_grad",
      "ret = func(self, *args, **kwargs)",
      "func",
    ),
    frame(`${optim}/${adam ? "adam" : "adamw"}.py`, o.step, "step", adam ? "adam(" : "adamw("),
  ];
}

/** `torch.save`'s frames down to the write of one record (the failing write). */
export function saveFrames(cfg: RunConfig): PyFrame[] {
  const file = `${pythonPaths(cfg).site}/torch/serialization.py`, s = torchSource(cfg).save;
  return [
    frame(file, s.save, "save", "_save("),
    frame(
      file,
      s.record,
      "_save",
      "zip_file.write_record(name, storage, num_bytes)",
      "zip_file.write_record",
    ),
  ];
}

/** `torch.save`'s frames as its writer's `__exit__` finishes the archive (the second error). */
export function saveExitFrames(cfg: RunConfig): PyFrame[] {
  const file = `${pythonPaths(cfg).site}/torch/serialization.py`, s = torchSource(cfg).save;
  return [
    frame(file, s.open, "save", "with _open_zipfile_writer(f) as opened_zipfile:"),
    frame(
      file,
      s.exit,
      "__exit__",
      "self.file_like.write_end_of_file()",
      "self.file_like.write_end_of_file",
    ),
  ];
}
