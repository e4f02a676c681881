import assert from "node:assert/strict";
import { BUNDLE_HEADER, BUNDLE_PATH, workerSeamModule } from "../../scripts/build.ts";

const ROOT = new URL("../../", import.meta.url);

Deno.test("the committed bundle is byte for byte what deno task build makes from the sources", async () => {
  const dir = await Deno.makeTempDir({
    dir: new URL("dist/", ROOT).pathname,
    prefix: ".test-build-",
  });
  try {
    const out = `${dir}/fauxtrain.js`;
    const build = await new Deno.Command("deno", {
      args: [
        "run",
        "--allow-read=.",
        "--allow-write=./dist",
        "--allow-run=deno",
        "scripts/build.ts",
        "--out",
        out,
      ],
      cwd: ROOT,
      stdout: "null",
      stderr: "piped",
    }).output();
    assert.equal(build.code, 0, new TextDecoder().decode(build.stderr));
    const fresh = await Deno.readTextFile(out);
    const committed = await Deno.readTextFile(new URL(BUNDLE_PATH, ROOT));
    assert.ok(fresh.startsWith(BUNDLE_HEADER));
    assert.ok(fresh === committed, `${BUNDLE_PATH} is out of date: run \`deno task build\``);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the worker seam module serves the given code from a blob: URL and needs no read", async () => {
  const code = "self.onmessage = () => {};\n";
  const url = `data:text/javascript,${encodeURIComponent(workerSeamModule(code))}`;
  const seam = await import(url);
  assert.equal(seam.WORKER_NEEDS_READ, false);
  assert.match(seam.TELEMETRY_WORKER_URL, /^blob:/);
  assert.equal(await (await fetch(seam.TELEMETRY_WORKER_URL)).text(), code);
});
