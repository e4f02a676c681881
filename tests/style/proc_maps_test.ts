/**
 * c10's frame addresses follow one memory map per process: every library page aligned in the
 * 0x7f.. region, all of a process's libraries within a few GB of each other, one base per
 * library in a process, functions inside their library, and other processes elsewhere.
 */
import assert from "node:assert/strict";
import { libBase, libSize } from "../../src/style/proc_maps.ts";
import { type CppFrame, cppFrames, symbolOffset } from "../../src/style/tracebacks.ts";

const SITE = "/opt/conda/lib/python3.11/site-packages/torch/lib";
const LIBS = [
  `${SITE}/libc10.so`,
  `${SITE}/libc10_cuda.so`,
  `${SITE}/libtorch_cuda.so`,
  `${SITE}/libtorch_cpu.so`,
  "/usr/lib/x86_64-linux-gnu/libstdc++.so.6",
  "/usr/lib/x86_64-linux-gnu/libc.so.6",
];

Deno.test("libBase(): one process's libraries are page aligned, near each other, not overlapping", () => {
  for (let pid = 1000; pid < 1200; pid += 7) {
    const bases = LIBS.map((l) => libBase(pid, l, 3));
    for (const b of bases) {
      assert.equal(b % 0x1000, 0);
      assert.ok(b >= 0x7f0000000000 && b < 0x800000000000, b.toString(16));
    }
    assert.ok(Math.max(...bases) - Math.min(...bases) < 0x100000000, "within 4 GiB");
    const spans = LIBS.map((l, i) => [bases[i], bases[i] + libSize(l)]).sort((a, b) => a[0] - b[0]);
    spans.forEach((s, i) => i === 0 || assert.ok(spans[i - 1][1] <= s[0], "no overlap"));
  }
  assert.notEqual(libBase(1000, LIBS[0], 3), libBase(1001, LIBS[0], 3), "ASLR per process");
});

Deno.test("cppFrames(): one base per library in a dump, every frame inside its library", () => {
  const frames: CppFrame[] = [
    { symbol: "c10::Error::Error(c10::SourceLocation, std::string)", offset: 0x96, lib: LIBS[0] },
    { symbol: "c10d::ProcessGroupNCCL::watchdogHandler()", offset: 0x890, lib: LIBS[2] },
    { symbol: null, offset: 0xdbad3, lib: LIBS[4] },
    { symbol: null, offset: 0x94ac3, lib: LIBS[5] },
  ];
  const lines = cppFrames(frames, 4242, 3, "2.6");
  lines.forEach((line, k) => {
    const addr = parseInt(/\(0x([0-9a-f]+) in /.exec(line)![1], 16);
    const f = frames[k];
    const base = addr - f.offset -
      (f.symbol ? symbolOffset(f.symbol, "2.6", libSize(f.lib) - 0x30000) : 0);
    assert.equal(base, libBase(4242, f.lib, 3));
    assert.ok(addr - base < libSize(f.lib), line);
  });
});
