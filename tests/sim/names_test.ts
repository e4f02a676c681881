/** Clusters differ: host schemes, allocations, pids, thread ids, heap addresses, bus ids. */
import assert from "node:assert/strict";
import { findGpu } from "../../src/sim/catalog.ts";
import { drawRunConfig, type RunConfig } from "../../src/sim/run_config.ts";
import {
  busId,
  commPointer,
  hostName,
  nodeList,
  pciAddress,
  workerPid,
  workerTid,
} from "../../src/sim/names.ts";
import { compressHosts } from "../../src/sim/hosts.ts";
import { launcherPid, nodeSkewMs } from "../../src/sim/processes.ts";

function cfgOf(seed: number, nodes = 8, gpu = "h100"): RunConfig {
  return drawRunConfig({ seed, startMs: 0, nodes, gpu: findGpu(gpu) });
}

/** A host name with its digits masked: the template it was made from. */
const template = (host: string) => host.replace(/\d+/g, "#");

Deno.test("host names come from many schemes, not one template", () => {
  const templates = new Set<string>();
  for (let seed = 1; seed <= 40; seed++) templates.add(template(hostName(cfgOf(seed).cluster, 0)));
  assert.ok(templates.size >= 8, `${templates.size} schemes: ${[...templates].join(" ")}`);
});

Deno.test("a big job's hosts are ascending but not all consecutive, and all distinct", () => {
  const cfg = cfgOf(11, 256);
  const hosts = Array.from({ length: cfg.nodes }, (_, i) => hostName(cfg.cluster, i));
  assert.equal(new Set(hosts).size, hosts.length);
  const ids = cfg.cluster.scheme.ids;
  assert.ok(ids.every((id, i) => i === 0 || id > ids[i - 1]), "Slurm's order");
  assert.ok(ids.some((id, i) => i > 0 && id > ids[i - 1] + 1), "drained or busy nodes leave gaps");
});

Deno.test("compressHosts() writes Slurm's host list", () => {
  assert.equal(compressHosts(["dgx0142", "dgx0143", "dgx0144", "dgx0150"]), "dgx[0142-0144,0150]");
  assert.equal(compressHosts(["nid001234"]), "nid001234");
  assert.equal(
    compressHosts(["gpu-r07-n03", "gpu-r07-n04", "gpu-r08-n01"]),
    "gpu-r07-n[03-04],gpu-r08-n01",
  );
  assert.match(nodeList(cfgOf(3, 4)), /\[|^\S+$/);
});

Deno.test("worker pids are close per node, new in each launch; NCCL's tids are no fixed offset", () => {
  const cfg = cfgOf(5, 2);
  const pids = Array.from({ length: 16 }, (_, r) => workerPid(cfg, r >> 3, r & 7));
  assert.equal(new Set(pids).size, 16);
  for (let l = 1; l < 8; l++) assert.ok(pids[l] > pids[l - 1] && pids[l] - pids[l - 1] <= 4);
  const again = Array.from({ length: 8 }, (_, l) => workerPid(cfg, 0, l, 1));
  assert.ok(again.every((p) => !pids.includes(p)), "a relaunch has new processes");
  const offsets = new Set(
    Array.from({ length: 16 }, (_, r) => workerTid(cfg, r, "init") - pids[r]),
  );
  assert.ok(offsets.size > 4, "tid - pid differs from rank to rank");
  assert.ok([...offsets].every((o) => o > 0 && o < 5000), "threads start after their process");
  assert.equal(workerTid(cfg, 3, "main"), pids[3], "the main thread's tid is the pid");
});

Deno.test("communicator pointers are 16-byte-aligned heap addresses, one per rank and launch", () => {
  for (const seed of [1, 2, 3, 4, 5, 6]) {
    const cfg = cfgOf(seed, 2);
    const ptrs = Array.from({ length: 16 }, (_, r) => commPointer(cfg, r));
    assert.equal(new Set(ptrs).size, 16);
    for (const p of ptrs) {
      assert.match(p, /^0x(?:5[56][0-9a-f]{10}|7f[0-9a-f]{10}|[1-6][0-9a-f]{6,7})$/);
      assert.equal(BigInt(p) % 16n, 0n);
    }
    assert.notEqual(commPointer(cfg, 0, 1), ptrs[0]);
  }
});

Deno.test("bus ids follow the platform: NCCL's packed form and nvidia-smi's", () => {
  const p5 = {
    ...cfgOf(1).cluster,
    platform: { ...cfgOf(1).cluster.platform, pciBus: ["53", "64"] },
  };
  assert.equal(busId(1, p5), "64000");
  const p4d = { ...p5, platform: { ...p5.platform, pciBus: ["10:1c"] } };
  assert.equal(busId(0, p4d), "101c0");
  assert.equal(pciAddress(p4d, 0), "00000000:10:1C.0");
  const nvl = { ...p5, platform: { ...p5.platform, pciBus: ["0009:01"] } };
  assert.equal(busId(0, nvl), "901000");
  assert.equal(pciAddress(nvl, 0), "00000009:01:00.0");
});

Deno.test("nodes' clocks are skewed by a few tens of ms at most, and differently", () => {
  const layout = cfgOf(9, 16).cluster.layout;
  const skews = Array.from({ length: 16 }, (_, n) => nodeSkewMs(layout, n));
  assert.ok(skews.every((s) => Math.abs(s) <= 35));
  assert.equal(new Set(skews.map((s) => s.toFixed(3))).size, 16);
});

Deno.test("clusters on a new driver keep older torch stacks too: several NCCL releases show", () => {
  const nccl = new Map<string, number>();
  for (let seed = 1; seed <= 200; seed++) {
    const c = drawRunConfig({ seed, gpu: findGpu("h100-sxm"), startMs: Date.UTC(2026, 5, 1) });
    const v = c.cluster.ncclVersion.split("+")[0];
    nccl.set(v, (nccl.get(v) ?? 0) + 1);
    // The wheel's CUDA major never needs a newer driver than the node's (minors are compatible).
    const wheel = /\+cu(\d+)\d$/.exec(c.cluster.torchVersion);
    assert.ok(wheel, c.cluster.torchVersion);
    assert.ok(
      Number(wheel[1]) <= Number(c.gpu.cuda.split(".")[0]),
      `${c.cluster.torchVersion} on CUDA ${c.gpu.cuda}`,
    );
  }
  assert.ok(nccl.size >= 3, `NCCL releases ${[...nccl.keys()]}`);
  // A pinned torch 2.5 or 2.6 stack (NCCL 2.21) is common on any driver.
  assert.ok((nccl.get("2.21.5") ?? 0) >= 20, `NCCL 2.21.5 in ${nccl.get("2.21.5")} of 200`);
  // No one release is everything.
  for (const [v, n] of nccl) assert.ok(n < 150, `${v}: ${n} of 200`);
});

Deno.test("Blackwell nodes run a CUDA 12.8 build of torch 2.7 or later", () => {
  for (const id of ["b200", "gb200"]) {
    for (let seed = 1; seed <= 60; seed++) {
      const c = drawRunConfig({ seed, gpu: findGpu(id), startMs: Date.UTC(2026, 5, 1) });
      const minor = Number(c.cluster.torchVersion.split(".")[1]);
      assert.ok(minor >= 7, `${id}: torch ${c.cluster.torchVersion}`);
      assert.ok(
        !c.cluster.ncclVersion.includes("cuda12.4"),
        `${id}: NCCL ${c.cluster.ncclVersion}`,
      );
    }
  }
});

Deno.test("launcher pids stay under the kernel's pid_max and apart on every node", () => {
  for (let seed = 1; seed <= 60; seed++) {
    const c = drawRunConfig({ seed, nodes: 64, startMs: Date.UTC(2026, 5, 1) });
    // Containers each number their own processes from 1.
    if (c.cluster.layout.container) continue;
    const pids = Array.from({ length: c.nodes }, (_, n) => launcherPid(c.cluster.layout, n, 2));
    for (const pid of pids) assert.ok(pid > 0 && pid < 4_194_304, `seed ${seed}: pid ${pid}`);
    // A clamp would pile every large draw onto one number.
    const counts = new Map<number, number>();
    for (const pid of pids) counts.set(pid, (counts.get(pid) ?? 0) + 1);
    assert.ok(Math.max(...counts.values()) <= 2, `seed ${seed}: ${pids.join(" ")}`);
  }
});
