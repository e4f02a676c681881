/**
 * What the command line's error messages show and suggest: quoted input with every control
 * character escaped and long values shortened, "did you mean" for slips, "--" as the end of
 * the flags, the number forms --speed takes and the years --start keeps to.
 */
import assert from "node:assert/strict";
import { parseArgs, UsageError } from "../../src/cli/args.ts";
import { escapeUnsafe, quoteValue } from "../../src/cli/quote.ts";
import { closestName, editDistance } from "../../src/cli/suggest.ts";
import { parsePositive, parseStartTime, startTooLate } from "../../src/cli/values.ts";

Deno.test("quoteValue() quotes, escapes control characters and shortens long values", () => {
  const cases: Array<[string, string]> = [
    ["h100", '"h100"'],
    ["", '""'],
    ["foo\nbar", '"foo\\nbar"'],
    ["\x1b[?25l\x1b[2J\x1b[31m", '"\\e[?25l\\e[2J\\e[31m"'],
    ["a\tb\rc\x07d\x7f", '"a\\tb\\rc\\x07d\\x7f"'],
    ["\x9b2J", '"\\x9b2J"'],
    ["\u202eevil\u2066", '"\\u202eevil\\u2066"'],
    ["zero\u200bwidth", '"zero\\u200bwidth"'],
    ['say "hi" \\o/', '"say \\"hi\\" \\\\o/"'],
    ["Grüße 温度", '"Grüße 温度"'],
    ["x".repeat(40), `"${"x".repeat(40)}"`],
    ["x".repeat(41), `"${"x".repeat(40)}…" (41 characters)`],
    ["7".repeat(131072), `"${"7".repeat(40)}…" (131072 characters)`],
    ["\n".repeat(50), `"${"\\n".repeat(40)}…" (50 characters)`],
  ];
  for (const [raw, shown] of cases) assert.equal(quoteValue(raw), shown, JSON.stringify(raw));
});

Deno.test("escapeUnsafe() leaves printable text alone and escapes the rest", () => {
  assert.equal(escapeUnsafe("--nodes must be a whole number"), "--nodes must be a whole number");
  assert.equal(escapeUnsafe("a\x1bb\nc\u0085d"), "a\\eb\\nc\\x85d");
});

Deno.test("editDistance() counts inserts, deletes, replacements and swaps, ignoring case", () => {
  const cases: Array<[string, string, number]> = [
    ["nodes", "nodes", 0],
    ["node", "nodes", 1],
    ["Nodes", "nodes", 0],
    ["sede", "seed", 1],
    ["noeds", "nodes", 1],
    ["epoch", "epochs", 1],
    ["gpu", "nodes", 5],
    ["", "seed", 4],
  ];
  for (const [a, b, d] of cases) assert.equal(editDistance(a, b), d, `${a} → ${b}`);
});

Deno.test("closestName() finds the name meant, and nothing for a word far from all of them", () => {
  const flags = ["seed", "speed", "nodes", "gpus-per-node", "gpu", "no-color", "epochs", "start"];
  const cases: Array<[string, string | null]> = [
    ["node", "nodes"],
    ["seeds", "seed"],
    ["speeed", "speed"],
    ["no-colour", "no-color"],
    ["gpus-per", "gpus-per-node"],
    ["epoch", "epochs"],
    ["frobnicate", null],
    ["x", null],
    ["", null],
    ["gp", "gpu"],
  ];
  for (const [typed, want] of cases) assert.equal(closestName(typed, flags), want, typed);
});

/** The message of the UsageError parseArgs throws for `argv`. */
function usageError(argv: string[]): string {
  try {
    parseArgs(argv);
  } catch (e) {
    assert.ok(e instanceof UsageError, String(e));
    return e.message;
  }
  throw new Error(`${JSON.stringify(argv)} was accepted`);
}

Deno.test("a mistyped flag or choice gets a did-you-mean; a far-off one the pointer to --help", () => {
  const cases: Array<[string[], string]> = [
    [["--node", "4"], "unknown flag --node; did you mean --nodes?"],
    [["--node=4"], "unknown flag --node; did you mean --nodes?"],
    [["--epoch", "2"], "unknown flag --epoch; did you mean --epochs?"],
    [["-nodes", "4"], "unknown flag -nodes; did you mean --nodes?"],
    [["-v"], "unknown flag -v; did you mean -V?"],
    [["-x"], "unknown flag -x; run fauxtrain --help for the list"],
    [["--frobnicate"], "unknown flag --frobnicate; run fauxtrain --help for the list"],
    [["seed", "4"], 'unexpected argument "seed"; fauxtrain takes only flags; did you mean --seed?'],
    [["train.py"], 'unexpected argument "train.py"; fauxtrain takes only flags (see --help)'],
    [
      ["--chaos", "hihg"],
      '--chaos must be one of off, low, high, got "hihg"; did you mean high?',
    ],
  ];
  for (const [argv, message] of cases) assert.equal(usageError(argv), message, argv.join(" "));
});

Deno.test('"--" ends the flags: nothing after it is read as a flag, and a trailing one is fine', () => {
  assert.match(usageError(["--", "--nodes", "4"]), /^unexpected argument "--nodes" after "--"/);
  assert.match(usageError(["--seed", "1", "--", "--seed", "2"]), /"--seed" after "--"/);
  assert.match(usageError(["--instant", "--", "x"]), /^unexpected argument "x" after "--"/);
  assert.equal(parseArgs(["--seed", "5", "--"]).seed, 5);
  assert.equal(parseArgs(["--"]).seed, null);
  assert.match(usageError(["--model", "--"]), /^--model "--" is not known/, "a value, not the end");
});

Deno.test("--speed takes the ways people write numbers, from 0.001 to 1000000", () => {
  const ok: Array<[string, number]> = [
    ["2", 2],
    ["0.5", 0.5],
    [".5", 0.5],
    ["5.", 5],
    ["1e3", 1000],
    ["2.5E-1", 0.25],
    ["0.001", 0.001],
    ["1000000", 1e6],
  ];
  for (const [raw, n] of ok) assert.equal(parseArgs(["--speed", raw]).speed, n, raw);
  for (const bad of ["0", "0.0009", "1e-400", "1000001", "1e400", "-1", "+2", ".", "1e", "0x10"]) {
    assert.equal(parsePositive(bad, 0.001, 1e6), null, bad);
    assert.match(usageError(["--speed", bad]), /^--speed must be a number from 0.001 to 1000000/);
  }
});

Deno.test("parseStartTime() keeps to the years 1970 to 9999, offsets included", () => {
  assert.equal(parseStartTime("1970-01-01T00:00:00Z"), 0);
  assert.equal(parseStartTime("1970-01-01T00:00:00+01:00"), null, "1969 in UTC");
  assert.equal(parseStartTime("1970-01-01T00:00:00-01:00"), 3_600_000);
  assert.equal(parseStartTime("9999-12-31T23:59:59.999Z"), Date.UTC(9999, 11, 31, 23, 59, 59, 999));
  assert.equal(parseStartTime("9999-12-31T23:30:00-01:00"), null, "10000 in UTC");
});

Deno.test("startTooLate() leaves twice the run and a day before the year 10000", () => {
  const hourMs = 3_600_000;
  assert.equal(startTooLate(Date.UTC(2026, 0, 1), 30 * 24 * hourMs), null);
  assert.equal(startTooLate(Date.UTC(9999, 11, 28), 12 * hourMs), null);
  assert.equal(
    startTooLate(Date.UTC(9999, 11, 31), 15 * hourMs),
    "--start 9999-12-31T00:00:00.000Z leaves too little time before the year 10000 for this " +
      "run (about 15 hours); start on 9999-12-29 or earlier",
  );
  assert.equal(
    startTooLate(Date.UTC(9999, 0, 1), 200 * 24 * hourMs),
    "--start 9999-01-01T00:00:00.000Z leaves too little time before the year 10000 for this " +
      "run (about 200 days); start on 9998-11-26 or earlier",
  );
  assert.equal(
    startTooLate(0, 5000 * 365 * 24 * hourMs),
    "this run takes about 5000 years: from any --start it would run past the year 9999",
  );
});
