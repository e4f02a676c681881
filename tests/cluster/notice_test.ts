import assert from "node:assert/strict";
import { noticeEvent, type PoolNotice } from "../../src/cluster/notice.ts";
import { findGpu } from "../../src/sim/catalog.ts";
import { drawRunConfig } from "../../src/sim/run_config.ts";
import { hostName } from "../../src/sim/names.ts";
import { formatNativeLog } from "../../src/style/native.ts";

const fail: PoolNotice = {
  kind: "fail",
  firstNode: 3,
  nodeCount: 1,
  seq: 42,
  reason: "Error: injected fault at tick 42",
  restarting: true,
};
const cfg = drawRunConfig({ seed: 7, startMs: 0, nodes: 8, gpu: findGpu("h100") });
const host = (n: number) => hostName(cfg.cluster, n);

Deno.test("noticeEvent() states a worker crash as a node losing telemetry, as a warning", () => {
  assert.deepEqual(noticeEvent(fail, 1000), {
    type: "log",
    simMs: 1000,
    level: "warn",
    key: "node.fail",
    msg: "",
    data: {
      first_node: 3,
      nodes: 1,
      tick: 42,
      reason: "Error: injected fault at tick 42",
      restarting: true,
    },
  });
  assert.equal(
    formatNativeLog(noticeEvent(fail, 1000), cfg),
    `Lost telemetry from ${host(3)} (ranks 24-31) at tick 42 ` +
      "(Error: injected fault at tick 42); restarting it from the last known state",
  );
});

Deno.test("noticeEvent() states the restart as the node recovering", () => {
  const recover: PoolNotice = { ...fail, kind: "recover", seq: 43, reason: "", restarting: false };
  const ev = noticeEvent({ ...recover, firstNode: 0, nodeCount: 4 }, 2000);
  assert.equal(ev.level, "info");
  assert.equal(ev.key, "node.recover");
  assert.equal(
    formatNativeLog(ev, cfg),
    `nodes ${host(0)}..${host(3)} (ranks 0-31) recovered: telemetry agent restarted, caught up ` +
      "at tick 43",
  );
});

Deno.test("noticeEvent() says when a block is no longer restarted", () => {
  const ev = noticeEvent({ ...fail, restarting: false }, 0);
  assert.match(formatNativeLog(ev, cfg), /too many restarts, giving up$/);
});
