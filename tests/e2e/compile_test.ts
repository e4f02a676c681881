/**
 * `deno task compile` embeds every worker module, the worker's imports and every data module.
 * `deno compile` cannot download its runtime here, so DENORT_BIN points at the installed `deno`:
 * the compile step runs and lists the embedded files, though the result is not a runnable app.
 */
import assert from "node:assert/strict";
import { removeScratch, ROOT, run, scratchDir, stripAnsi } from "./deno_child.ts";

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

/** Files the worker loads at run time: its import graph without type-only edges. */
async function workerGraph(worker: string): Promise<string[]> {
  const info = await run("deno", ["info", "--json", worker]);
  assert.equal(info.code, 0, info.stderr);
  type Dep = { code?: { specifier: string } };
  type Module = { specifier: string; dependencies?: Dep[] };
  const modules: Module[] = JSON.parse(info.stdout).modules;
  const bySpecifier = new Map(modules.map((m) => [m.specifier, m]));
  const seen = new Set<string>();
  const visit = (specifier: string) => {
    if (seen.has(specifier) || !specifier.startsWith(ROOT.href)) return;
    seen.add(specifier);
    for (const d of bySpecifier.get(specifier)?.dependencies ?? []) {
      if (d.code) visit(d.code.specifier);
    }
  };
  visit(new URL(worker, ROOT).href);
  return [...seen].map((s) => s.slice(ROOT.href.length));
}

function filesIn(dir: string, ext: string): string[] {
  return [...Deno.readDirSync(new URL(`${dir}/`, ROOT))]
    .filter((e) => e.isFile && e.name.endsWith(ext))
    .map((e) => `${dir}/${e.name}`);
}

Deno.test("deno task compile embeds every worker, its imports and every data module", async () => {
  const out = await scratchDir("compile");
  try {
    const r = await run("deno", ["task", "compile", "--out-dir", out], {
      env: { DENORT_BIN: Deno.execPath() },
    });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /→ .*\/fauxtrain \(runtime: DENORT_BIN /);
    const paths = embeddedPaths(r.stderr);
    const workers = filesIn("workers", ".ts");
    assert.ok(workers.length > 0);
    const graphs = await Promise.all(workers.map(workerGraph));
    const wanted = [...workers, ...graphs.flat(), ...filesIn("data", ".json")];
    assert.ok(wanted.includes("src/cluster/telemetry.ts"), "the worker's maths is in its graph");
    for (const file of wanted) assert.ok(isEmbedded(paths, file), `${file} is not embedded`);
    for (const dir of ["tests/", "scripts/", "docs/"]) {
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
