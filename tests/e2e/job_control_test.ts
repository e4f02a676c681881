/**
 * The live view and the shell's job control, in a real terminal (tmux): Ctrl-Z hands the
 * terminal back and stops, `fg` draws anew where the run was; under `deno task` (whose runner
 * keeps the terminal) Ctrl-Z says why it cannot suspend and one Ctrl-C is one interrupt.
 */
import assert from "node:assert/strict";
import { childrenOf, HAS_TMUX, mainLine, processState, TmuxSession } from "./tmux.ts";
import { START } from "./run_main.ts";
import { removeScratch, scratchDir } from "./deno_child.ts";

/** A paced run that lasts minutes at `speed` (a whole run: its model is fixed). */
const paced = (
  speed: number,
) => [
  "--seed",
  "3",
  "--nodes",
  "4",
  "--model",
  "llama-3-8b",
  "--speed",
  `${speed}`,
  "--start",
  START,
];
const PACED = paced(300);
/** PACED in fauxtrain's own style, whose ending is one known line. */
const NATIVE = [...PACED, "--style", "native"];

/** The live region's first line: the job monitor's header. */
const isTitle = (l: string) => /^job \d+ \S+( · |$)/.test(l);
const liveShown = (lines: string[]) => lines.some((l) => /^Step \d+\/\d+ /.test(l));
/** The step the live view's step bar shows (the last one on screen). */
const shownStep = (lines: string[]) =>
  Number(/^Step (\d+)\//.exec(lines.findLast((l) => /^Step \d+\//.test(l)) ?? "")?.[1] ?? NaN);

/** Whether the shell's prompt is the screen's last line (the run has ended). */
const atPrompt = (lines: string[]) => lines.at(-1)?.trimEnd() === "$";

function ptyTest(name: string, fn: () => Promise<void>) {
  Deno.test({ name, ignore: !HAS_TMUX, fn });
}

/** Waits `ms` of wall time. */
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The exit status of the last command, asked of the shell at its prompt. */
async function lastStatus(t: TmuxSession): Promise<number> {
  await t.typeLine('echo "__EXIT $?"');
  return await t.exitStatus();
}

ptyTest(
  "pty: Ctrl-Z hands the terminal back and stops; fg draws anew where the run was",
  async () => {
    const t = await TmuxSession.shell(100, 30);
    try {
      await t.typeLine(mainLine(NATIVE));
      await t.waitFor(liveShown, "the live view");
      const [pid] = await childrenOf(await t.panePid());
      // Steps per wall second, to tell a run that carried on from one that raced to catch up.
      const a = shownStep(await t.screen());
      await pause(1000);
      const b = shownStep(await t.screen());
      const perSecond = Math.max(1, b - a);
      await t.sendKeys("C-z");
      await t.waitFor((l) => l.some((x) => /Stopped/.test(x)), "the shell's Stopped line");
      const before = shownStep(await t.screen());
      assert.equal(await processState(pid), "T", "the process is stopped");
      assert.equal(await t.cursorVisible(), true, "the shell has a visible cursor");
      await pause(4000);
      await t.typeLine("fg");
      const lines = await t.waitFor(
        (l) => liveShown(l.slice(l.findLastIndex((x) => x.startsWith("$ fg")))),
        "the live view drawn again after fg",
      );
      assert.equal(await t.cursorVisible(), false, "the live view hides the cursor again");
      const after = shownStep(lines);
      assert.ok(
        after - before < 2.5 * perSecond,
        `the run carried on where it was: step ${before} → ${after} at ${perSecond} steps/s ` +
          "(4 s stopped)",
      );
      const below = lines.slice(lines.findLastIndex((x) => x.startsWith("$ fg")));
      assert.equal(below.filter(isTitle).length, 1, "one live region below the shell's lines");
      await t.sendKeys("C-c");
      await t.waitFor(atPrompt, "the prompt after the run");
      const end = await t.screen({ join: true });
      assert.ok(end.some((l) => / WARN {2}Training interrupted by SIGINT/.test(l)), "the ending");
      assert.equal(await lastStatus(t), 130);
      assert.equal(await t.cursorVisible(), true);
    } finally {
      await t.kill();
    }
  },
);

ptyTest("pty: under deno task, Ctrl-Z says why it cannot suspend and the run goes on", async () => {
  const t = await TmuxSession.shell(120, 40);
  try {
    await t.typeLine(`deno task -q start ${paced(20).join(" ")} --style native`);
    await t.waitFor(liveShown, "the live view");
    const [runner] = await childrenOf(await t.panePid());
    const [pid] = await childrenOf(runner);
    await t.sendKeys("C-z");
    await t.waitFor(
      (l) => l.some((x) => x.startsWith("fauxtrain: not suspended: under deno task")),
      "the note that a suspend would freeze the terminal",
    );
    await t.waitFor(liveShown, "the live view drawn again");
    assert.notEqual(await processState(pid), "T", "the run is not stopped");
    assert.equal(await t.cursorVisible(), false, "the live view has the terminal again");
    await t.sendKeys("C-c");
    await t.waitFor(atPrompt, "the prompt after the run");
    assert.equal(await lastStatus(t), 130);
    assert.equal(await t.cursorVisible(), true);
  } finally {
    await t.kill();
  }
});

/** Whether npx is on the PATH (the README's way to run without Deno installed). */
const HAS_NPX = (() => {
  try {
    return new Deno.Command("npx", { args: ["--version"], stdout: "null", stderr: "null" })
      .outputSync().success;
  } catch {
    return false;
  }
})();

Deno.test({
  name: "pty: through the README's npx command, Ctrl-Z suspends the job and fg resumes it",
  ignore: !HAS_TMUX || !HAS_NPX,
  fn: async () => {
    const t = await TmuxSession.shell(120, 40);
    try {
      await t.typeLine(`npx -y deno@2.9.6 task -q start ${paced(20).join(" ")} --style native`);
      await t.waitFor(liveShown, "the live view");
      // npx, then deno's task runner (through a shell), then the run itself: the deepest process.
      let pid = await t.panePid();
      for (let kids = await childrenOf(pid); kids.length > 0; kids = await childrenOf(pid)) {
        pid = kids[0];
      }
      await t.sendKeys("C-z");
      await t.waitFor((l) => l.some((x) => /Stopped/.test(x)), "the shell's Stopped line");
      assert.equal(await processState(pid), "T", "the run is stopped");
      assert.equal(await t.cursorVisible(), true, "the shell has a visible cursor");
      await t.typeLine("fg");
      await t.waitFor(
        (l) => liveShown(l.slice(l.findLastIndex((x) => x.startsWith("$ fg")))),
        "the live view drawn again after fg",
      );
      await t.sendKeys("C-c");
      await t.waitFor(atPrompt, "the prompt after the run");
      const end = await t.screen({ join: true });
      assert.ok(
        end.some((l) => / WARN {2}Training interrupted by SIGINT after /.test(l)),
        "ending",
      );
      assert.equal(await lastStatus(t), 130);
      assert.equal(await t.cursorVisible(), true);
    } finally {
      await t.kill();
    }
  },
});

ptyTest(
  "pty: one Ctrl-C through deno task start is one interrupt, with the ending every time",
  async () => {
    const t = await TmuxSession.shell(100, 30);
    try {
      for (let seed = 1; seed <= 5; seed++) {
        await t.typeLine("clear");
        const args = ["--seed", `${seed}`, ...NATIVE.slice(2)];
        await t.typeLine(`deno task -q start ${args.join(" ")}`);
        await t.waitFor(liveShown, `the live view of seed ${seed}`);
        await pause(100 * seed);
        await t.sendKeys("C-c");
        await t.waitFor(atPrompt, "the prompt after the run");
        const lines = await t.screen({ join: true });
        assert.ok(
          lines.some((l) => / WARN {2}Training interrupted by SIGINT after /.test(l)),
          `seed ${seed}: the run's ending:\n${lines.join("\n")}`,
        );
        assert.equal(await lastStatus(t), 130, `seed ${seed}`);
        assert.equal(await t.cursorVisible(), true, `seed ${seed}`);
      }
    } finally {
      await t.kill();
    }
  },
);

for (const [how, status] of [["Ctrl-\\", 131], ["SIGHUP", 129], ["SIGTERM", 143]] as const) {
  ptyTest(`pty: ${how} ends the live view with status ${status} and the cursor back`, async () => {
    const t = await TmuxSession.shell(100, 30);
    try {
      await t.typeLine(mainLine(PACED));
      await t.waitFor(liveShown, "the live view");
      const [pid] = await childrenOf(await t.panePid());
      if (how === "Ctrl-\\") await t.sendKeys("C-\\");
      else Deno.kill(pid, how);
      await t.waitFor(atPrompt, "the prompt after the run");
      assert.equal(await lastStatus(t), status);
      assert.equal(await t.cursorVisible(), true, "the cursor is visible");
    } finally {
      await t.kill();
    }
  });
}

ptyTest(
  "pty: in a terminal paused with Ctrl-S, Ctrl-C still ends the run at once with its ending",
  async () => {
    const t = await TmuxSession.shell(100, 30);
    try {
      await t.typeLine(`${mainLine(NATIVE)}; echo "__EXIT $?"`);
      await t.waitFor(liveShown, "the live view");
      await t.sendKeys("C-s");
      await pause(2000);
      const start = performance.now();
      await t.sendKeys("C-c");
      assert.equal(await t.exitStatus(), 130);
      assert.ok(performance.now() - start < 3000, "ended at once");
      const lines = await t.screen({ join: true });
      assert.ok(lines.some((l) => / WARN {2}Training interrupted by SIGINT/.test(l)), "the ending");
      assert.equal(await t.cursorVisible(), true);
    } finally {
      await t.kill();
    }
  },
);

ptyTest("pty: in a terminal paused with Ctrl-S, SIGTERM ends the run within a moment", async () => {
  const t = await TmuxSession.shell(100, 30);
  try {
    await t.typeLine(`${mainLine(PACED)}; echo "__EXIT $?"`);
    await t.waitFor(liveShown, "the live view");
    const [pid] = await childrenOf(await t.panePid());
    await t.sendKeys("C-s");
    await pause(2000);
    const start = performance.now();
    Deno.kill(pid, "SIGTERM");
    while (await processState(pid) !== "" && performance.now() - start < 10_000) await pause(50);
    const tookMs = performance.now() - start;
    assert.ok(tookMs < 3000, `ended ${Math.round(tookMs)} ms after SIGTERM`);
    // What the paused terminal could not take is lost, the cursor's return with it: the
    // terminal shows the rest once resumed.
    await t.sendKeys("C-q");
    assert.equal(await t.exitStatus(), 143);
  } finally {
    await t.kill();
  }
});

ptyTest(
  "pty: a terminal that closes (SIGHUP) ends the run quietly, with nothing on stderr",
  async () => {
    const dir = await scratchDir("hup");
    const t = await TmuxSession.shell(100, 30);
    try {
      await t.typeLine(`${mainLine(PACED)} 2>${dir}/stderr`);
      await t.waitFor(liveShown, "the live view");
      const [pid] = await childrenOf(await t.panePid());
      await t.kill();
      const start = performance.now();
      while (await processState(pid) !== "" && performance.now() - start < 10_000) await pause(50);
      assert.equal(await processState(pid), "", "the run ended with its terminal");
      assert.equal(await Deno.readTextFile(`${dir}/stderr`), "", "no message, no stack trace");
    } finally {
      await t.kill();
      await removeScratch(dir);
    }
  },
);
