/**
 * Lines every rank or every node prints in a Hugging Face job: the example script's
 * "Process rank" warning per process, INFO records from each node's local rank 0
 * (`log_on_each_node`), and a "Loading checkpoint shards" bar per rank, frames interleaved.
 */
import type { RunConfig } from "../sim/run_config.ts";
import { createRng } from "../sim/rng.ts";
import { TqdmBar } from "../format/tqdm.ts";
import { shuffled, startupNodes } from "./ranks.ts";
import { mainRecord, type TimedRecord } from "./hf_setup.ts";
import type { HfRun } from "./hf_run.ts";

/** Each process's "Process rank" warning (local rank), rank 0's on its buffered stdout. */
export function processRanks(r: HfRun, simMs: number): void {
  const cfg = r.cfg;
  const rng = createRng(cfg.seed, `style:hf:ranks:${simMs}`);
  const fp16 = cfg.precision === "fp16" ? "True" : "False";
  const nodes = startupNodes(cfg);
  const ranks = nodes.flatMap((n) =>
    Array.from({ length: cfg.gpusPerNode }, (_, i) => ({ node: n, local: i }))
  );
  // Each process logs when it gets there; the job's log has them in that order.
  const timed = shuffled(ranks, rng).map(({ node, local }) => {
    // Rank 0 logs its line before it goes on to its own next records (the arguments dump at
    // the next fact); the other processes come up on either side of it.
    const main = node === 0 && local === 0;
    return { main, local, at: main ? simMs : simMs + rng.int(-400, 900) };
  }).sort((a, b) => a.at - b.at);
  for (const { main, local, at } of timed) {
    const line = mainRecord(
      at,
      "warn",
      `Process rank: ${local}, device: cuda:${local}, n_gpu: 1, distributed training: True, ` +
        `16-bits training: ${fp16}`,
    );
    if (main) r.loop.log.out(line);
    else if (!r.prof.buffered) r.loop.log.err(line);
  }
}

/**
 * The same records from each node's local rank 0 (`make(at)`), a few ms apart, merged into one
 * log in the order they were written: one node's record can fall between another's. Records of
 * one printed millisecond keep node order, then their own.
 */
export function nodeRecords(
  cfg: RunConfig,
  simMs: number,
  make: (at: number) => TimedRecord[],
): string {
  const rng = createRng(cfg.seed, `style:hf:nodes:${simMs}`);
  const starts = startupNodes(cfg).map((n) => n === 0 ? simMs : simMs + rng.int(-3, 40));
  const records = starts.flatMap((at, node) =>
    make(at).map(([ms, text], i) => ({ ms: Math.floor(ms), node, i, text }))
  );
  records.sort((a, b) => a.ms - b.ms || a.node - b.node || a.i - b.i);
  return records.map((r) => r.text).join("");
}

/** Every local rank of the first node loading the shards: its frames, then close()'s frame. */
export function loadingShards(
  cfg: RunConfig,
  shards: number,
  totalS: number,
  endMs: number,
): string {
  // transformers shows the bar only for a sharded checkpoint: one file loads without a word.
  if (shards <= 1) return "";
  const rng = createRng(cfg.seed, `style:hf:shards:${endMs}`);
  const writes: Array<[number, string]> = [];
  for (let rank = 0; rank < cfg.gpusPerNode; rank++) {
    // Ranks reach from_pretrained a little apart and share the file system's bandwidth.
    const speed = Math.exp(0.1 * rng.normal());
    const bar = new TqdmBar(shards, 0, null, false, "Loading checkpoint shards");
    const offset = rng.range(0, rng.chance(0.3) ? 2.5 : 0.6);
    writes.push([offset, `\r${bar.frame(0)}`]);
    let t = 0;
    for (let i = 1; i <= shards; i++) {
      t += (totalS / shards) * speed * Math.exp(0.05 * rng.normal());
      const f = bar.update(1, t);
      if (f) writes.push([offset + t, `\r${f}`]);
    }
    writes.push([offset + t + 0.001, `\r${bar.closeFrame(t + 0.001)}\n`]);
  }
  return writes.sort((a, b) => a[0] - b[0]).map(([, w]) => w).join("");
}
