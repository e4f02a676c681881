import assert from "node:assert/strict";
import {
  cachedRuntimePath,
  type Host,
  parseFlags,
  planBuilds,
  TARGETS,
} from "../../scripts/compile.ts";

const LINUX = "x86_64-unknown-linux-gnu";

function host(over: Partial<Host> = {}): Host {
  return {
    target: LINUX,
    denoVersion: "2.9.6",
    denoDir: "/home/u/.cache/deno",
    denortBin: undefined,
    exists: () => false,
    ...over,
  };
}

Deno.test("planBuilds() names the default build dist/fauxtrain, bakes four env reads and a young generation cap", () => {
  const [b] = planBuilds(host(), null, "dist");
  assert.equal(b.output, "dist/fauxtrain");
  assert.deepEqual(b.args, [
    "compile",
    "--allow-env=TERM,COLUMNS,LINES,FORCE_COLOR",
    "--v8-flags=--max-semi-space-size=4",
    "--target",
    LINUX,
    "--output",
    "dist/fauxtrain",
    "main.ts",
  ]);
});

Deno.test("planBuilds() puts the target in every chosen target's name, .exe on Windows", () => {
  const [b] = planBuilds(host(), [LINUX], "out");
  assert.equal(b.output, "out/fauxtrain-x86_64-unknown-linux-gnu");
  const outputs = planBuilds(host(), [...TARGETS], "dist").map((b) => b.output);
  assert.deepEqual(outputs, [
    "dist/fauxtrain-x86_64-unknown-linux-gnu",
    "dist/fauxtrain-aarch64-unknown-linux-gnu",
    "dist/fauxtrain-x86_64-apple-darwin",
    "dist/fauxtrain-aarch64-apple-darwin",
    "dist/fauxtrain-x86_64-pc-windows-msvc.exe",
    "dist/fauxtrain-aarch64-pc-windows-msvc.exe",
  ]);
});

Deno.test("planBuilds() uses DENORT_BIN for the host target only", () => {
  const builds = planBuilds(host({ denortBin: "/usr/bin/deno" }), [...TARGETS], "dist");
  assert.deepEqual(builds.filter((b) => b.useDenortBin).map((b) => b.target), [LINUX]);
  assert.equal(builds[0].runtime, "DENORT_BIN /usr/bin/deno");
});

Deno.test("planBuilds() uses a cached runtime zip when there is one, else names the download", () => {
  const zip = "/home/u/.cache/deno/dl/release/v2.9.6/denort-aarch64-apple-darwin.zip";
  const h = host({ exists: (p) => p === zip });
  const [mac, win] = planBuilds(h, ["aarch64-apple-darwin", "x86_64-pc-windows-msvc"], "dist");
  assert.equal(mac.runtime, `cached ${zip}`);
  assert.equal(
    win.runtime,
    "download https://dl.deno.land/release/v2.9.6/denort-x86_64-pc-windows-msvc.zip",
  );
});

Deno.test("cachedRuntimePath() follows the separator of a Windows DENO_DIR", () => {
  const h = host({ denoDir: "C:\\Users\\u\\AppData\\Local\\deno" });
  assert.equal(
    cachedRuntimePath(h, "x86_64-pc-windows-msvc"),
    "C:\\Users\\u\\AppData\\Local\\deno\\dl\\release\\v2.9.6\\denort-x86_64-pc-windows-msvc.zip",
  );
});

Deno.test("parseFlags() accepts --all, known --target values and --out-dir", () => {
  assert.deepEqual(parseFlags([]), { targets: null, outDir: "dist" });
  assert.deepEqual(parseFlags(["--all"]), { targets: "all", outDir: "dist" });
  assert.deepEqual(parseFlags(["--target", LINUX, "--out-dir", "/tmp/x"]), {
    targets: [LINUX],
    outDir: "/tmp/x",
  });
  assert.throws(() => parseFlags(["--target", "riscv64"]), /--target must be one of .*"riscv64"/);
});

Deno.test("deno task start caps V8's young generation as the executable does", async () => {
  const config = JSON.parse(await Deno.readTextFile("deno.json"));
  assert.match(config.tasks.start, /^deno run --v8-flags=--max-semi-space-size=4 /);
});
