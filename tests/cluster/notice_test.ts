import assert from "node:assert/strict";
import { noticeEvent, type PoolNotice } from "../../src/cluster/notice.ts";

const host = (n: number) => `hgx-b${String(n + 1).padStart(3, "0")}`;
const fail: PoolNotice = {
  kind: "fail",
  firstNode: 3,
  nodeCount: 1,
  seq: 42,
  reason: "Error: injected fault at tick 42",
  restarting: true,
};

Deno.test("noticeEvent() tells a worker crash as a node losing telemetry, as a warning", () => {
  assert.deepEqual(noticeEvent(fail, 8, host, 1000), {
    type: "log",
    simMs: 1000,
    level: "warn",
    key: "node.fail",
    msg: "Lost telemetry from hgx-b004 (ranks 24-31) at tick 42 " +
      "(Error: injected fault at tick 42); restarting it from the last known state",
  });
});

Deno.test("noticeEvent() tells the restart as the node recovering", () => {
  const recover: PoolNotice = { ...fail, kind: "recover", seq: 43, reason: "", restarting: false };
  const ev = noticeEvent({ ...recover, firstNode: 0, nodeCount: 4 }, 8, host, 2000);
  assert.equal(ev.level, "info");
  assert.equal(ev.key, "node.recover");
  assert.equal(
    ev.msg,
    "nodes hgx-b001..hgx-b004 (ranks 0-31) recovered: telemetry agent restarted, caught up at tick 43",
  );
});

Deno.test("noticeEvent() says when a block is no longer restarted", () => {
  const ev = noticeEvent({ ...fail, restarting: false }, 8, host, 0);
  assert.match(ev.msg, /too many restarts, giving up$/);
});
