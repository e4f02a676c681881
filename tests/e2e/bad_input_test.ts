/**
 * Bad invocations of main.ts: each prints exactly one line on stderr that names the flag and
 * what is accepted, nothing on stdout, and exits with status 2.
 */
import assert from "node:assert/strict";
import { type MainResult, runMain } from "./run_main.ts";

/** argv, and a pattern the one error line must match (it names the flag at fault). */
const CASES: Array<[string, string[], RegExp]> = [
  // unknown flags and stray arguments
  ["unknown long flag", ["--frobnicate"], /unknown flag --frobnicate; run fauxtrain --help/],
  ["a flag one letter short", ["--node", "4"], /unknown flag --node; did you mean --nodes\?$/],
  ["a flag with one dash", ["-seed", "4"], /unknown flag -seed; did you mean --seed\?$/],
  ["a short flag in the wrong case", ["-v"], /unknown flag -v; did you mean -V\?$/],
  ["a mistyped --no-color", ["--no-colour"], /did you mean --no-color\?$/],
  ["unknown short flag", ["-x"], /unknown flag -x/],
  ["flags are case-sensitive", ["--Nodes", "4"], /unknown flag --Nodes/],
  ["bundled short flags", ["-sl"], /unknown flag -sl/],
  ["positional argument", ["train"], /unexpected argument "train"/],
  [
    "a flag name without dashes",
    ["nodes", "4"],
    /unexpected argument "nodes".*did you mean --nodes\?/,
  ],
  ["a flag after --", ["--", "--nodes", "4"], /unexpected argument "--nodes" after "--"/],
  ["a flag after -- after others", ["--seed", "1", "--", "-s"], /unexpected argument "-s" after/],
  // control characters and huge values are escaped and shortened, never echoed raw
  [
    "escape sequences in a value",
    ["--model", "\x1b[?25l\x1b[2J\x1b[31m"],
    // deno-lint-ignore no-control-regex
    /^[^\x1b]*"\\e\[\?25l\\e\[2J\\e\[31m" is not known/,
  ],
  ["a newline in a value", ["--model", "foo\nbar"], /--model "foo\\nbar" is not known/],
  ["a bidirectional override", ["--gpu", "\u202eh100"], /--gpu "\\u202eh100" is not known/],
  ["escape sequences in a flag name", ["--\x1b[2J"], /unknown flag "--\\e\[2J"/],
  ["a 100 KB value", ["--nodes", "7".repeat(100_000)], /got "7{40}…" \(100000 characters\)$/],
  // missing values
  ["--seed at the end", ["--seed"], /--seed needs a value: a whole number/],
  ["--nodes followed by a flag", ["--nodes", "--instant"], /--nodes needs a value: a whole/],
  ["--gpu at the end", ["--gpu"], /--gpu needs a value: a GPU name/],
  ["--exit-after at the end", ["--exit-after"], /--exit-after needs a value: a duration/],
  ["--start followed by a short flag", ["--start", "-s"], /--start needs a value: an ISO/],
  ["empty --format=", ["--format="], /--format must be one of auto, tty, text, jsonl, got ""/],
  // wrong types
  ["--nodes abc", ["--nodes", "abc"], /--nodes must be a whole number from 1 to 16384/],
  ["--epochs two", ["--epochs", "two"], /--epochs must be a whole number from 1 to 100/],
  ["fractional --seed", ["--seed", "1.5"], /--seed must be a whole number/],
  ["hex --seed", ["--seed", "0x10"], /--seed must be a whole number/],
  [
    "--speed fast",
    ["--speed", "fast"],
    /--speed must be a number from 0.001 to 1000000, such as 0.5/,
  ],
  ["fractional --gpus-per-node", ["--gpus-per-node", "2.5"], /--gpus-per-node must be a whole/],
  ["a value on a switch", ["--instant=yes"], /--instant takes no value, got "yes"/],
  ["--workers 4x", ["--workers", "4x"], /--workers must be a whole number from 1 to 64/],
  // negative
  ["negative --nodes", ["--nodes", "-4"], /--nodes must be a whole number.*"-4"/],
  [
    "negative --speed",
    ["--speed", "-2"],
    /--speed must be a number from 0.001 to 1000000, such as 0.5/,
  ],
  ["negative --seed", ["--seed", "-1"], /--seed must be a whole number/],
  ["negative --exit-after", ["--exit-after", "-5s"], /--exit-after must be a duration/],
  // zero
  ["zero --nodes", ["--nodes", "0"], /--nodes must be a whole number from 1/],
  ["zero --epochs", ["--epochs", "0"], /--epochs must be a whole number from 1/],
  ["zero --speed", ["--speed", "0"], /--speed must be a number from 0.001 to 1000000, such as 0.5/],
  ["zero --workers", ["--workers", "0"], /--workers must be a whole number from 1/],
  ["zero --gpus-per-node", ["--gpus-per-node", "0"], /--gpus-per-node must be a whole number/],
  ["zero --exit-after", ["--exit-after", "0s"], /--exit-after must be a duration/],
  // NaN and infinities
  [
    "--speed NaN",
    ["--speed", "NaN"],
    /--speed must be a number from 0.001 to 1000000, such as 0.5/,
  ],
  ["--nodes NaN", ["--nodes", "NaN"], /--nodes must be a whole number/],
  [
    "--speed Infinity",
    ["--speed", "Infinity"],
    /--speed must be a number from 0.001 to 1000000, such as 0.5/,
  ],
  ["--speed 1e400", ["--speed", "1e400"], /--speed must be a number from 0.001 to 1000000/],
  // huge
  ["--nodes 16385", ["--nodes", "16385"], /--nodes must be a whole number from 1 to 16384/],
  ["--nodes beyond 2^53", ["--nodes", "99999999999999999999999"], /--nodes must be a whole/],
  ["--seed 2^32", ["--seed", "4294967296"], /--seed must be a whole number from 0 to 4294967295/],
  ["--speed below 0.001", ["--speed", "1e-400"], /--speed must be a number from 0.001 to/],
  ["--speed 1e7", ["--speed", "1e7"], /--speed must be a number from 0.001 to 1000000/],
  ["--epochs 101", ["--epochs", "101"], /--epochs must be a whole number from 1 to 100/],
  [
    "--gpus-per-node 9",
    ["--gpus-per-node", "9"],
    /--gpus-per-node must be a whole number from 1 to 8/,
  ],
  ["--workers 65", ["--workers", "65"], /--workers must be a whole number from 1 to 64/],
  ["--exit-after 400d", ["--exit-after", "400d"], /--exit-after must be a duration/],
  // malformed durations
  ["unknown duration unit", ["--exit-after", "5x"], /--exit-after must be a duration.*"5x"/],
  ["duration missing its last unit", ["--exit-after", "1h30"], /--exit-after must be a duration/],
  ["unit before number", ["--exit-after", "m5"], /--exit-after must be a duration/],
  ["two decimal points", ["--exit-after", "1.5.3s"], /--exit-after must be a duration/],
  ["space inside a duration", ["--exit-after", "5 m"], /--exit-after must be a duration/],
  // malformed dates
  ["a word for a date", ["--start", "yesterday"], /--start must be an ISO-8601 date/],
  ["month 13", ["--start", "2026-13-01"], /--start must be an ISO-8601 date/],
  ["February 30", ["--start", "2026-02-30"], /--start must be an ISO-8601 date.*2026-02-30/],
  ["hour 25", ["--start", "2026-11-24T25:00:00Z"], /--start must be an ISO-8601 date/],
  ["day-first date", ["--start", "24/11/2026"], /--start must be an ISO-8601 date/],
  ["single-digit month", ["--start", "2026-1-1"], /--start must be an ISO-8601 date/],
  ["before 1970", ["--start", "1969-12-31"], /--start must be an ISO-8601 date or time from 1970/],
  ["offset beyond 14 hours", ["--start", "2026-11-24T09:00+25:00"], /--start must be an ISO/],
  ["an offset back into 1969", ["--start", "1970-01-01T00:00+01:00"], /--start must be an ISO/],
  [
    "a start too late for the run to end before the year 10000",
    ["--start", "9999-12-31", "--seed", "1"],
    /--start 9999-12-31T00:00:00.000Z leaves too little time before the year 10000 for this run \(about \d+ hours\); start on 9999-12-\d\d or earlier/,
  ],
  // unknown names
  [
    "unknown GPU",
    ["--gpu", "rtx-9090"],
    /--gpu "rtx-9090" is not known; see fauxtrain --list gpus/,
  ],
  ["unknown model", ["--model", "gpt-7"], /--model "gpt-7" is not known; see fauxtrain --list/],
  ["unknown dataset", ["--dataset", "nope"], /--dataset "nope" is not known/],
  ["empty GPU name", ["--gpu="], /--gpu "" is not known/],
  ["unknown style", ["--style", "fancy"], /--style must be one of auto/],
  ["unknown format", ["--format", "xml"], /--format must be one of auto, tty, text, jsonl/],
  ["unknown list", ["--list", "clusters"], /--list must be one of models, gpus, datasets/],
  // conflicting flags and impossible runs
  ["--instant with --speed", ["--instant", "--speed", "5"], /--instant and --speed cannot/],
  ["--no-timestamps with jsonl", ["--format", "jsonl", "--no-timestamps"], /--no-timestamps/],
  ["a flag twice", ["--seed", "1", "--seed", "2"], /--seed was given twice/],
  [
    "a model too big for the cluster",
    ["--model", "llama-3-405b", "--gpu", "a100-40gb", "--nodes", "1"],
    /--model llama-3-405b does not fit on 8 × .*; it needs --nodes \d+ or more/,
  ],
  [
    "a model too big for one GPU",
    ["--model", "llama-3-70b", "--nodes", "1", "--gpus-per-node", "1"],
    /--model llama-3-70b does not fit on 1 × /,
  ],
];

/** Runs every case, a few at a time (each is a separate deno process). */
async function runAll(): Promise<MainResult[]> {
  const results: MainResult[] = new Array(CASES.length);
  let next = 0;
  const worker = async () => {
    while (next < CASES.length) {
      const i = next++;
      results[i] = await runMain(CASES[i][1]);
    }
  };
  await Promise.all([worker(), worker(), worker()]);
  return results;
}

Deno.test(`${CASES.length} bad invocations each print one clear line and exit 2`, async (t) => {
  assert.ok(CASES.length >= 40);
  const results = await runAll();
  for (let i = 0; i < CASES.length; i++) {
    const [name, argv, pattern] = CASES[i];
    const r = results[i];
    await t.step(`${name}: ${argv.join(" ")}`, () => {
      assert.equal(r.code, 2, `exit status for ${argv.join(" ")}: ${r.stderr}`);
      assert.equal(r.stdout, "", "nothing on stdout");
      const lines = r.stderr.split("\n");
      assert.equal(lines.length, 2, `exactly one line on stderr, got ${JSON.stringify(r.stderr)}`);
      assert.equal(lines[1], "", "the line ends with a newline");
      assert.match(lines[0], /^fauxtrain: /);
      assert.match(lines[0], pattern);
      assert.doesNotMatch(r.stderr, /\bat .*\.ts:\d+/, "no stack trace");
      assert.doesNotMatch(
        lines[0],
        // deno-lint-ignore no-control-regex
        /[\x00-\x1f\x7f-\x9f]/,
        "no control character reaches the terminal",
      );
      assert.ok(lines[0].length < 400, `a short line (${lines[0].length} characters)`);
    });
  }
});
