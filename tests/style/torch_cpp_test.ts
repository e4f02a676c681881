import assert from "node:assert/strict";
import { drawRunConfig, type RunConfig } from "../../src/sim/run_config.ts";
import { c10Head, threadStart } from "../../src/style/torch_cpp.ts";
import { START_MS } from "./styled_run.ts";

function withPython(seed: number, venv: string, pythonVersion: string): RunConfig {
  const cfg = drawRunConfig({ seed, startMs: START_MS });
  return { ...cfg, cluster: { ...cfg.cluster, venv, pythonVersion } };
}

const describe = (cfg: RunConfig) =>
  threadStart(cfg).map((f) =>
    `${f.symbol ?? "?"}+0x${f.offset.toString(16)} ${f.lib.split("/").pop()}`
  ).join(", ");

Deno.test("a watchdog thread starts in the image's own libstdc++ and glibc builds", () => {
  // A system Python names the image's Ubuntu release.
  assert.equal(
    describe(withPython(1, "/usr/bin/python3", "3.10.12")),
    "?+0xdc253 libstdc++.so.6, ?+0x94ac3 libc.so.6, ?+0x126850 libc.so.6",
  );
  assert.equal(
    describe(withPython(1, "/usr/bin/python3", "3.8.10")),
    "?+0xd6de4 libstdc++.so.6, ?+0x8609 libpthread.so.0, clone+0x43 libc.so.6",
  );
  assert.equal(
    describe(withPython(1, "/usr/bin/python3", "3.12.3")),
    "?+0xecdb4 libstdc++.so.6, ?+0x9ca94 libc.so.6, ?+0x129c3c libc.so.6",
  );
  // A conda interpreter runs on images of several releases, one per run.
  const seen = new Set<string>();
  for (let seed = 1; seed <= 40; seed++) {
    seen.add(describe(withPython(seed, "/opt/conda/bin/python", "3.11.9")));
  }
  assert.equal(seen.size, 3);
});

Deno.test("c10's glog head writes month × 100 + day unpadded, nanoseconds after the second", () => {
  const jan2 = Date.UTC(2026, 0, 2, 15, 45, 34, 726);
  assert.match(
    c10Head("W", jan2, 7, "ProcessGroupNCCL.cpp:1250"),
    /^\[W102 15:45:34\.726\d{6} ProcessGroupNCCL\.cpp:1250\] $/,
  );
  const nov24 = Date.UTC(2026, 10, 24, 9, 0, 3, 5);
  assert.match(c10Head("E", nov24, 7, "x.cpp:1"), /^\[E1124 09:00:03\.005\d{6} x\.cpp:1\] $/);
});
