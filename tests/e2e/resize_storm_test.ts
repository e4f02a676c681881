/**
 * A storm of resizes (100, 50 ms apart, between 20 × 5 and 300 × 80) leaves one live region on
 * screen, drawn for the last size, with nothing stale above it.
 */
import assert from "node:assert/strict";
import { HAS_TMUX, mainCommand, TmuxSession } from "./tmux.ts";
import { START } from "./run_main.ts";

/** The live region's first line: the job monitor's header. */
const isTitle = (l: string) => /^job \d+ \S+( · |$)/.test(l);
const isLogLine = (l: string) => /^\d\d:\d\d:\d\d (INFO |WARN |ERROR) /.test(l);

/** Sizes from a fixed-seed generator, so every run of the test tries the same storm. */
function stormSizes(count: number): Array<[number, number]> {
  let x = 12345;
  const next = () => (x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  return Array.from(
    { length: count },
    () => [20 + Math.floor(next() * 281), 5 + Math.floor(next() * 76)],
  );
}

for (const nodes of [4, 64]) {
  Deno.test({
    name: `pty: 100 resizes 50 ms apart leave one fitting live region (${nodes} nodes)`,
    ignore: !HAS_TMUX,
    fn: async () => {
      // A whole run (its model fixed), so it lasts through the storm.
      const args = [
        "--seed",
        "3",
        "--nodes",
        `${nodes}`,
        "--model",
        "llama-3-8b",
        "--speed",
        "300",
        // fauxtrain's own lines: each starts with its time and level, so a stale line shows.
        "--style",
        "native",
      ];
      args.push("--start", START);
      const t = await TmuxSession.start(mainCommand(args), 120, 40);
      try {
        await t.waitFor((l) => l.some(isTitle), "the live view");
        const sizes = stormSizes(100);
        for (const [columns, rows] of sizes) {
          await t.resize(columns, rows);
          await new Promise((r) => setTimeout(r, 50));
        }
        const [columns, rows] = sizes.at(-1)!;
        // A frame comes at least every 100 ms at this pace; give the last one time to land.
        await new Promise((r) => setTimeout(r, 1500));
        const lines = await t.screen();
        assert.equal(lines.filter(isTitle).length, 1, `one live region:\n${lines.join("\n")}`);
        assert.ok(lines.every((l) => l.length <= columns), `nothing wider than ${columns}`);
        assert.ok(lines.length <= rows);
        const above = lines.slice(0, lines.findIndex(isTitle));
        const stale = above.filter((l) => l.trim() !== "" && !isLogLine(l));
        assert.deepEqual(stale, [], "nothing but log lines above the live region");
        const epoch = lines.find((l) => /^Epoch \d+\/\d+ /.test(l));
        if (epoch) assert.match(epoch, /\d+%$/, "the epoch bar drawn whole for the last width");
      } finally {
        await t.kill();
      }
    },
  });
}
