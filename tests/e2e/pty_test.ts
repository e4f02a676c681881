/**
 * The live view in a real pseudo-terminal (tmux): it starts, follows resizes, stays inside the
 * screen, and after Ctrl-C ends with the interrupt summary, the cursor back and status 130.
 * Terminal conventions: TERM=dumb, NO_COLOR, FORCE_COLOR, COLUMNS, stdin and stdout redirected.
 */
import assert from "node:assert/strict";
import { HAS_TMUX, mainCommand, TmuxSession } from "./tmux.ts";
import { SMALL_RUN, START } from "./run_main.ts";

// A whole run (its model fixed), fast-forwarded: it lasts long enough to resize and interrupt.
const PACED = [
  "--seed",
  "3",
  "--nodes",
  "4",
  "--model",
  "llama-3-8b",
  "--speed",
  "2000",
  "--start",
  START,
  "--style",
  "native",
];
const SMALL = SMALL_RUN;

/** The live region's title: the job monitor's header (`job 4182734 llama-3-8b-… · …`). */
const isTitle = (l: string) => /^job \d+ \S+( · |$)/.test(l);
/** The epoch bar drawn for the current width: it ends with its percentage. */
const epochBarFits = (columns: number) => (lines: string[]) =>
  lines.some((l) => /^Epoch \d+\/\d+ .*\d+%$/.test(l) && l.length <= columns);

/** The live region's lines in a joined screen: from its title down (none without a title). */
function liveRegion(lines: string[]): string[] {
  const top = lines.findIndex(isTitle);
  return top < 0 ? [] : lines.slice(top);
}

/**
 * Checks the live region (title to the last line) is on screen once and no line of it wrapped
 * (log lines above it may: the terminal wraps them, and the joined screen shows them whole).
 */
function assertFits(lines: string[], columns: number, rows: number, when: string) {
  for (const l of liveRegion(lines)) {
    assert.ok(l.length <= columns, `${when}: live line wider than ${columns}: ${l}`);
  }
  assert.ok(lines.length <= rows, `${when}: ${lines.length} screen lines for ${rows} rows`);
  const titles = lines.filter(isTitle).length;
  assert.equal(titles, 1, `${when}: one live region on screen`);
}

function ptyTest(name: string, fn: () => Promise<void>) {
  Deno.test({ name, ignore: !HAS_TMUX, fn });
}

ptyTest("pty: live view starts, follows a resize, and Ctrl-C restores the terminal", async () => {
  const t = await TmuxSession.start(mainCommand(PACED), 120, 30);
  try {
    let lines = await t.waitFor(epochBarFits(120), "live region at 120 columns");
    assertFits(lines, 120, 30, "at 120×30");
    assert.ok(lines.every((l) => !/fauxtrain/i.test(l)), "nothing on screen names the program");
    const title = lines.find(isTitle)!;
    assert.match(title, / · \d+ nodes \S+\[\d+-\d+\] · (.* · )?elapsed \d\d:\d\d:\d\d$/);
    assert.doesNotMatch(title, /seed/, "the seed is the training script's to print");
    assert.equal(await t.cursorVisible(), false, "the cursor is hidden while live");
    await t.resize(60, 15);
    lines = await t.waitFor(epochBarFits(60), "a frame drawn for 60 columns");
    assertFits(lines, 60, 15, "after resizing to 60×15");
    await t.sendKeys("C-c");
    assert.equal(await t.exitStatus(), 130);
    lines = await t.screen({ join: true });
    assert.ok(lines.some((l) => / WARN {2}Training interrupted by SIGINT/.test(l)), "the ending");
    assert.ok(liveRegion(lines).every((l) => l.length <= 60), "no live line wrapped");
    assert.equal(lines.filter(isTitle).length, 1, "the last frame is left once, not smeared");
    assert.equal(await t.cursorVisible(), true, "the cursor is visible again");
  } finally {
    await t.kill();
  }
});

ptyTest("pty: the live view fits 40×10 and 300×60 and back", async () => {
  const t = await TmuxSession.start(mainCommand(PACED), 40, 10);
  try {
    assertFits(await t.waitFor(epochBarFits(40), "live region at 40×10"), 40, 10, "40×10");
    await t.resize(300, 60);
    const wide = await t.waitFor(
      (l) => l.some((x) => /^Epoch .*%$/.test(x) && x.length > 60),
      "a frame drawn for 300 columns",
    );
    assertFits(wide, 300, 60, "300×60");
    await t.resize(40, 10);
    assertFits(await t.waitFor(epochBarFits(40), "a frame for 40 columns"), 40, 10, "40×10");
    await t.sendKeys("C-c");
    assert.equal(await t.exitStatus(), 130);
    assert.equal(await t.cursorVisible(), true);
  } finally {
    await t.kill();
  }
});

/** Runs a short instant job in a 100 × 30 terminal and returns the screen with escapes. */
async function instantScreen(opts: { env?: string[]; after?: string; args?: string[] }) {
  const t = await TmuxSession.start(mainCommand([...SMALL, ...opts.args ?? []], opts), 100, 30);
  try {
    const status = await t.exitStatus();
    return {
      status,
      plain: await t.screen({ join: true }),
      raw: (await t.screen({ escapes: true })).join("\n"),
      cursorVisible: await t.cursorVisible(),
    };
  } finally {
    await t.kill();
  }
}

// deno-lint-ignore no-control-regex
const COLOR_SGR = /\x1b\[[0-9;]*3\dm/;

ptyTest("pty: TERM=dumb gets plain text lines instead of the live view", async () => {
  const [native, framework] = await Promise.all([
    instantScreen({ env: ["TERM=dumb"], args: ["--style", "native"] }),
    instantScreen({ env: ["TERM=dumb"], args: ["--style", "megatron"] }),
  ]);
  for (const r of [native, framework]) {
    assert.equal(r.status, 0);
    assert.ok(!r.plain.some(isTitle), "no live region");
    assert.doesNotMatch(r.raw, COLOR_SGR, "no colour");
  }
  // fauxtrain's own lines get a time and a level; a framework's are written as the job wrote them.
  assert.ok(native.plain.some((l) => /^\d{4}-\d\d-\d\dT[\d:.]+Z INFO {2}/.test(l)), "text lines");
  assert.ok(
    framework.plain.some((l) =>
      /^(\[default\d\]:)?.*(iteration|checkpoint|training|destroy_process_group)/.test(l)
    ),
    "Megatron's own lines, behind torchrun's rank tags or bare",
  );
  assert.ok(!framework.plain.some((l) => /^\d{4}-\d\d-\d\dT[\d:.]+Z /.test(l)), "no prefix");
});

ptyTest("pty: colour follows NO_COLOR, FORCE_COLOR and --no-color", async () => {
  const [colored, noColor, forceOff, forceOn, flagOff] = await Promise.all([
    instantScreen({}),
    instantScreen({ env: ["NO_COLOR=1"] }),
    instantScreen({ env: ["FORCE_COLOR=0"] }),
    instantScreen({ env: ["NO_COLOR=1", "FORCE_COLOR=1"] }),
    instantScreen({ env: ["FORCE_COLOR=1"], args: ["--no-color"] }),
  ]);
  assert.match(colored.raw, COLOR_SGR, "colour by default on a terminal");
  assert.ok(colored.plain.some(isTitle));
  assert.doesNotMatch(noColor.raw, COLOR_SGR, "NO_COLOR");
  assert.doesNotMatch(forceOff.raw, COLOR_SGR, "FORCE_COLOR=0");
  assert.match(forceOn.raw, COLOR_SGR, "FORCE_COLOR beats NO_COLOR");
  assert.doesNotMatch(flagOff.raw, COLOR_SGR, "--no-color beats FORCE_COLOR");
});

ptyTest("pty: COLUMNS narrows the live view, never widens it", async () => {
  const [narrow, wide] = await Promise.all([
    instantScreen({ env: ["COLUMNS=50"] }),
    instantScreen({ env: ["COLUMNS=500"] }),
  ]);
  // Log lines are the terminal's to wrap, at its own width; the live region keeps to COLUMNS.
  const live = (r: { plain: string[] }) => liveRegion(r.plain).filter((l) => !/^__EXIT/.test(l));
  assert.ok(live(narrow).length >= 4, "the last frame is on screen");
  assert.ok(live(narrow).every((l) => l.length <= 50), "COLUMNS=50 narrows the live region");
  assert.ok(live(narrow).some((l) => /^Epoch .*%$/.test(l) && l.length > 40), "drawn for 50");
  assert.ok(
    live(wide).every((l) => l.length <= 100),
    "a COLUMNS wider than the terminal is capped",
  );
});

ptyTest("pty: stdin from /dev/null still gets the live view and a restored cursor", async () => {
  const r = await instantScreen({ after: " < /dev/null" });
  assert.equal(r.status, 0);
  assert.ok(r.plain.some(isTitle));
  assert.ok(r.cursorVisible);
});

ptyTest("pty: stdout redirected to a file gets plain text without escapes", async () => {
  const check = ` > "$F"; S=$?; echo "__FILE esc=$(grep -c "$(printf '\\033')" "$F") ` +
    `lines=$(wc -l < "$F") live=$(grep -c ' · elapsed [0-9]' "$F")"; rm -f "$F"; (exit $S)`;
  const t = await TmuxSession.start(
    `F=$(mktemp); ${mainCommand(SMALL, { after: check })}`,
    100,
    30,
  );
  try {
    assert.equal(await t.exitStatus(), 0);
    const line = (await t.screen()).find((l) => l.startsWith("__FILE "))!;
    const [, esc, count, live] = /esc=(\d+) lines=(\d+) live=(\d+)/.exec(line)!.map(Number);
    assert.equal(esc, 0, "no escape bytes in the file");
    assert.equal(live, 0, "no live region in the file");
    assert.ok(count > 50, `the whole run is in the file (${count} lines)`);
  } finally {
    await t.kill();
  }
});
