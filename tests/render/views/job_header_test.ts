/** The live region's title reads as a job monitor's header, with as many fields as fit. */
import assert from "node:assert/strict";
import {
  type JobHeader,
  jobHeaderFor,
  jobHeaderLine,
  slurmDuration,
} from "../../../src/render/views/job_header.ts";
import { visibleWidth } from "../../../src/render/ansi.ts";
import { drawRunConfig } from "../../../src/sim/run_config.ts";
import { nodeList } from "../../../src/sim/names.ts";

const JOB: JobHeader = {
  jobId: 4182734,
  name: "llama-3-8b-pt-20261207-636f",
  user: "jlee",
  partition: "h100-prod",
  nodes: 16,
  nodeList: "nid-a2[001-016]",
  gpus: "128 × NVIDIA H200",
  startMs: Date.parse("2026-12-07T16:55:00Z"),
  limitS: 4 * 3600,
};

Deno.test("slurmDuration() prints HH:MM:SS, and D-HH:MM:SS from a day on, as sacct does", () => {
  const table: Array<[number, string]> = [
    [0, "00:00:00"],
    [59.99, "00:00:59"],
    [155, "00:02:35"],
    [3600, "01:00:00"],
    [86_399, "23:59:59"],
    [86_400, "1-00:00:00"],
    [2 * 86_400 + 3723, "2-01:02:03"],
    [-5, "00:00:00"],
  ];
  for (const [seconds, text] of table) assert.equal(slurmDuration(seconds), text, String(seconds));
});

Deno.test("jobHeaderLine() keeps the fields that fit, by use, in reading order", () => {
  const table: Array<[width: number, line: string]> = [
    [
      220,
      "job 4182734 llama-3-8b-pt-20261207-636f · user jlee · partition h100-prod · " +
      "16 nodes nid-a2[001-016] · 128 × NVIDIA H200 · elapsed 00:02:35 / 04:00:00",
    ],
    [
      120,
      "job 4182734 llama-3-8b-pt-20261207-636f · partition h100-prod · " +
      "16 nodes nid-a2[001-016] · elapsed 00:02:35 / 04:00:00",
    ],
    [80, "job 4182734 llama-3-8b-pt-20261207-636f · 16 nodes · elapsed 00:02:35 / 04:00:00"],
    [79, "job 4182734 llama-3-8b-pt-20261207-636f · elapsed 00:02:35 / 04:00:00"],
    [60, "job 4182734 llama-3-8b-pt-20261207-636f · 00:02:35/04:00:00"],
    [45, "job 4182734 llama-3-8b-pt-20261207-636f"],
    [20, "job 4182734 llama-3-"],
  ];
  for (const [width, line] of table) {
    assert.equal(jobHeaderLine(JOB, 155, width, false), line, `at ${width} columns`);
  }
});

Deno.test("jobHeaderLine() without a time limit shows the run time alone; one node by name", () => {
  const one = { ...JOB, nodes: 1, nodeList: "nid-a2001", gpus: "8 × NVIDIA H200", limitS: null };
  assert.equal(
    jobHeaderLine(one, 90_061, 120, false),
    "job 4182734 llama-3-8b-pt-20261207-636f · partition h100-prod · 1 node nid-a2001 · " +
      "8 × NVIDIA H200 · elapsed 1-01:01:01",
  );
});

Deno.test("jobHeaderLine() never names the program or the seed, and fits every width", () => {
  for (let width = 1; width <= 300; width++) {
    for (const color of [false, true]) {
      const line = jobHeaderLine(JOB, 155, width, color);
      assert.ok(visibleWidth(line) <= width, `${width}: ${line}`);
      assert.doesNotMatch(line, /fauxtrain|seed/);
    }
  }
});

Deno.test("jobHeaderFor() takes the scheduler's facts from the run, its limit when one applies", () => {
  const startMs = Date.parse("2026-12-07T16:55:00Z");
  const cfg = drawRunConfig({ seed: 7, startMs, nodes: 16, timeLimitS: 245 });
  const job = jobHeaderFor(cfg);
  assert.equal(job.jobId, cfg.cluster.jobId);
  assert.equal(job.name, cfg.runId);
  assert.equal(job.nodeList, nodeList(cfg));
  // Slurm's compressed list of the allocation (not always one contiguous range).
  assert.match(job.nodeList, /^[\w.\-\[\],]+$/);
  assert.equal(job.gpus, `128 × ${cfg.gpu.name}`);
  assert.equal(job.limitS, 245);
  assert.equal(jobHeaderFor(drawRunConfig({ seed: 7, startMs })).limitS, null);
  assert.match(jobHeaderLine(job, 61, 300, false), / · elapsed 00:01:01 \/ 00:04:05$/);
});
