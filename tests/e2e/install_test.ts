/** `deno install -g`: the installed command prints the same run as the checkout, from anywhere. */
import assert from "node:assert/strict";
import {
  localPath,
  localRun,
  removeScratch,
  ROOT,
  run,
  RUN_ARGS,
  scratchDir,
} from "./deno_child.ts";
import { serveRepo } from "./serve_repo.ts";

// The installed command is a shell script; Windows gets a .cmd file instead.
const ignore = Deno.build.os === "windows";

/** Installs under `root` and runs the command with the reference flags from `root`. */
async function installAndRun(root: string, installArgs: string[], env: Record<string, string>) {
  const install = await run("deno", ["install", "-g", "-q", "--root", root, ...installArgs], {
    env,
  });
  assert.equal(install.code, 0, install.stderr);
  return await run("sh", [`${root}/bin/fauxtrain`, ...RUN_ARGS], { cwd: root, env });
}

Deno.test({
  name: "deno install -g from the checkout needs no permission flags and runs from any directory",
  ignore,
  fn: async () => {
    const root = await scratchDir("install-local");
    try {
      const main = localPath(new URL("main.ts", ROOT));
      const args = ["-n", "fauxtrain", main];
      const installed = await installAndRun(root, args, {});
      assert.equal(installed.code, 0, installed.stderr);
      assert.ok(installed.stdout === (await localRun()).stdout, "installed run differs");
    } finally {
      await removeScratch(root);
    }
  },
});

Deno.test({
  name: "deno install -g from a URL needs no permission flags",
  ignore,
  fn: async () => {
    const server = serveRepo();
    const root = await scratchDir("install-url");
    try {
      const env = { DENO_DIR: `${root}/deno_dir` };
      const installed = await installAndRun(
        root,
        ["-n", "fauxtrain", `${server.origin}/main.ts`],
        env,
      );
      assert.equal(installed.code, 0, installed.stderr);
      assert.ok(installed.stdout === (await localRun()).stdout, "installed run differs");
    } finally {
      await server.close();
      await removeScratch(root);
    }
  },
});
