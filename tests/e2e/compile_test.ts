/**
 * `deno task compile` embeds main.ts and the bundle it runs; the bundle carries the worker and the
 * data, so nothing else is needed.
 * `deno compile` cannot download its runtime here, so DENORT_BIN points at the installed `deno`:
 * the compile step runs and lists the embedded files, though the result is not a runnable app.
 */
import assert from "node:assert/strict";
import { removeScratch, run, scratchDir, stripAnsi } from "./deno_child.ts";

/**
 * Paths in the "Embedded Files" tree of `deno compile`'s output. A `dir/*` entry means every
 * file under that directory on disk is embedded; it is returned as `dir/`.
 */
function embeddedPaths(output: string): string[] {
  const lines = stripAnsi(output).split("\n");
  const start = lines.indexOf("Embedded Files");
  assert.ok(start >= 0, "deno compile printed no embedded file list");
  const paths: string[] = [];
  const stack: string[] = [];
  // Skip the heading, the blank line and the executable's name that heads the tree.
  for (const line of lines.slice(start + 3)) {
    const m = line.match(/^((?:│ | {2})*)[├└]─[─┬] (.+) \([^)]*\)$/);
    if (!m) break;
    const depth = m[1].length / 2;
    stack.length = depth;
    stack.push(m[2].replace(/\*$/, ""));
    paths.push(stack.join("/"));
  }
  return paths;
}

function isEmbedded(paths: string[], file: string): boolean {
  return paths.some((p) => p === file || (p.endsWith("/") && file.startsWith(p)));
}

Deno.test("deno task compile embeds main.ts and the bundle, which carries worker and data", async () => {
  const out = await scratchDir("compile");
  try {
    const r = await run("deno", ["task", "compile", "--out-dir", out], {
      env: { DENORT_BIN: Deno.execPath() },
    });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /→ .*\/fauxtrain \(runtime: DENORT_BIN /);
    const paths = embeddedPaths(r.stderr);
    for (const file of ["main.ts", "bundle/fauxtrain.js"]) {
      assert.ok(isEmbedded(paths, file), `${file} is not embedded`);
    }
    for (const dir of ["src/", "workers/", "data/", "tests/", "scripts/", "docs/"]) {
      assert.ok(!paths.some((p) => p.startsWith(dir)), `nothing from ${dir} is embedded`);
    }
    assert.ok(Deno.statSync(`${out}/fauxtrain`).isFile, "the executable was written");
  } finally {
    await removeScratch(out);
  }
});

Deno.test("embeddedPaths() reads nested entries and whole-directory entries", () => {
  const output = [
    "Compile main.ts to dist/fauxtrain",
    "",
    "Embedded Files",
    "",
    "fauxtrain",
    "├── data/* (40.53KB)",
    "├── main.ts (10.02KB)",
    "├─┬ src (312.72KB)",
    "│ ├─┬ cluster (21.71KB)",
    "│ │ └── telemetry.ts (11.13KB)",
    "│ └── sim/* (171.1KB)",
    "└── workers/* (2.56KB)",
    "",
    "Files: 372.91KB",
  ].join("\n");
  const paths = embeddedPaths(output);
  assert.deepEqual(paths, [
    "data/",
    "main.ts",
    "src",
    "src/cluster",
    "src/cluster/telemetry.ts",
    "src/sim/",
    "workers/",
  ]);
  assert.ok(isEmbedded(paths, "src/sim/rng.ts"));
  assert.ok(!isEmbedded(paths, "src/cluster/protocol.ts"));
});
