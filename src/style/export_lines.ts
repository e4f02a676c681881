/** The GGUF conversion every style ends with, as llama.cpp's `convert_hf_to_gguf.py` logs it. */
import type { DataEvent, LogEvent } from "../sim/events.ts";
import type { RunConfig } from "../sim/run_config.ts";
import { ggufTensorCount, hfArchitecture } from "./model_names.ts";
import { tqdmLine, tqdmSize } from "../format/tqdm.ts";
import { hasTensorListing, metadataLines, tensorLines } from "./gguf_tensors.ts";

type ExportEvent = Extract<DataEvent, { type: "export" }>;

/** Whether an `export.*` log line belongs to the GGUF conversion. */
export function isGgufLine(ev: LogEvent): boolean {
  if (ev.key === "export.format") return ev.data.format === "gguf";
  return ev.bar !== undefined && ev.bar.label.includes("GGUF");
}

/** The converter's opening lines, for the `export.format` line announcing GGUF. */
export function ggufStart(cfg: RunConfig): string {
  const m = cfg.model;
  const head = [
    `INFO:hf-to-gguf:Loading model: hf`,
    `INFO:hf-to-gguf:Model architecture: ${hfArchitecture(m)}`,
    `INFO:gguf.gguf_writer:gguf: This GGUF file is for Little Endian only`,
  ];
  if (hasTensorListing(m)) {
    return [
      ...head,
      "INFO:hf-to-gguf:Exporting model...",
      ...tensorLines(m),
      ...metadataLines(m),
      `INFO:gguf.gguf_writer:Writing the following files:`,
    ].join("\n");
  }
  return [
    ...head,
    `INFO:hf-to-gguf:Set model parameters`,
    `INFO:hf-to-gguf:gguf: context length = ${cfg.model.ctx}`,
    `INFO:hf-to-gguf:gguf: embedding length = ${cfg.model.hidden}`,
    `INFO:hf-to-gguf:gguf: feed forward length = ${cfg.model.ffn}`,
    `INFO:hf-to-gguf:gguf: head count = ${cfg.model.heads}`,
    `INFO:hf-to-gguf:gguf: key-value head count = ${cfg.model.kvHeads}`,
    `INFO:hf-to-gguf:Set model tokenizer`,
    `INFO:gguf.gguf_writer:Writing the following files:`,
  ].join("\n");
}

/** The converter's closing lines, from the `export` event of the GGUF file. */
export function ggufDone(ev: ExportEvent, cfg: RunConfig): string {
  const d = ev.data;
  const size = tqdmSize(d.bytes);
  return [
    `INFO:gguf.gguf_writer:${d.path}: n_tensors = ${ggufTensorCount(cfg.model)}, ` +
    `total_size = ${(d.bytes / 1e9).toFixed(1)}G`,
    tqdmLine(
      "Writing",
      `${size}`,
      `${size}`,
      1,
      d.time_s,
      0,
      `${tqdmSize(d.bytes / d.time_s)}byte/s`,
    ),
    `INFO:hf-to-gguf:Model successfully exported to ${d.path}`,
  ].join("\n");
}
