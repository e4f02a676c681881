/** `deno run <url>`: fauxtrain served over HTTP runs with no permission flags at all. */
import assert from "node:assert/strict";
import { localRun, removeScratch, run, RUN_ARGS, scratchDir, stripAnsi } from "./deno_child.ts";
import { serveRepo } from "./serve_repo.ts";

/** The permission flags the README gives for a URL run: none. */
const URL_RUN_PERMISSIONS: string[] = [];

Deno.test("deno run <url> with no permission flags prints the same bytes as the local run", async () => {
  const server = serveRepo();
  // A fresh cache, so every module really comes from the server.
  const denoDir = await scratchDir("url-run");
  try {
    const url = `${server.origin}/main.ts`;
    const remote = await run("deno", ["run", ...URL_RUN_PERMISSIONS, url, ...RUN_ARGS], {
      env: { DENO_DIR: denoDir },
    });
    assert.equal(remote.code, 0, remote.stderr);
    const noise = stripAnsi(remote.stderr).split("\n").filter((l) =>
      l && !l.startsWith("Download ")
    );
    assert.deepEqual(noise, [], "stderr holds only Deno's download lines");
    // main.ts and the bundle it runs: two requests, whatever the size of the source tree.
    assert.deepEqual([...server.requested].sort(), ["/bundle/fauxtrain.js", "/main.ts"]);
    const local = await localRun();
    assert.equal(local.code, 0, local.stderr);
    assert.ok(remote.stdout.length > 100_000, "a whole run");
    assert.ok(remote.stdout === local.stdout, "URL run and local run differ");
  } finally {
    await server.close();
    await removeScratch(denoDir);
  }
});
