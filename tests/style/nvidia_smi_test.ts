/**
 * nvidia-smi's table as each driver generation prints it, from a node's reading: exact strings
 * for R470 (79 columns), R535 (89), R570 (91, `|` rule) and R580 (91, `+` rule), then the
 * properties every table of a run has (per-GPU idle readings, the platform's Bus-Ids, the
 * processes adding up to the memory used, the model's memory total).
 */
import assert from "node:assert/strict";
import { findGpu } from "../../src/sim/catalog.ts";
import type { DataEvent } from "../../src/sim/events.ts";
import { drawRunConfig, type RunConfig } from "../../src/sim/run_config.ts";
import { PLATFORMS } from "../../src/sim/names.ts";
import { memoryTraits } from "../../src/cluster/gpu_memory.ts";
import { defaultTableOptions, smiTable } from "../../src/style/nvidia_smi.ts";
import { START_MS } from "./styled_run.ts";

type GpuEvent = Extract<DataEvent, { type: "gpu" }>;

interface Card {
  util: number;
  temp: number;
  usedMiB: number;
  power: number;
}

/**
 * A two-GPU node of `gpu` on the run of `seed`, its driver and server platform pinned, read
 * 754 s after 09:00.
 */
function node(
  gpu: string,
  seed: number,
  driver: [string, string, number],
  platform: string,
  cards: Card[],
) {
  const c = drawRunConfig({ seed, startMs: START_MS, nodes: 1, gpusPerNode: 2, gpu: findGpu(gpu) });
  const [version, cuda, memMiB] = driver;
  const cluster = { ...c.cluster, platform: PLATFORMS.find((p) => p.id === platform)! };
  const cfg: RunConfig = { ...c, cluster, gpu: { ...c.gpu, driver: version, cuda, memMiB } };
  const gpus = cards.map((x, i) => ({
    rank: i,
    util_pct: x.util,
    temp_c: x.temp,
    mem_used_gib: x.usedMiB / 1024,
    mem_total_gib: memMiB / 1024,
    power_w: x.power,
  }));
  const ev: GpuEvent = {
    type: "gpu",
    simMs: START_MS + 754_321,
    level: "info",
    msg: "",
    data: { node: 0, host: "x", gpus },
  };
  return smiTable(ev, cfg, defaultTableOptions(cfg));
}

Deno.test("smiTable() under R470: 79 columns, short names, a legacy memory total, spaces between", () => {
  // A DGX A100 (seed 3) at its power cap, one card momentarily over it.
  const text = node("a100-80gb", 3, ["470.82.01", "11.4", 81251], "dgx-a100", [
    { util: 100, temp: 61.4, usedMiB: 74114, power: 388.6 },
    { util: 97, temp: 58.5, usedMiB: 73870, power: 409.3 },
  ]);
  assert.equal(text, R470);
});

Deno.test("smiTable() under R535: 89 columns, idle cards with no process", () => {
  const text = node("h100", 4, ["535.183.01", "12.2", 81559], "hgx-h100", [
    { util: 0, temp: 29.6, usedMiB: 0, power: 71.2 },
    { util: 0, temp: 27.2, usedMiB: 0, power: 68.5 },
  ]);
  assert.equal(text, R535);
});

Deno.test("smiTable() under R570: 91 columns, a `|` rule, wide PIDs, a memory figure cut to 8", () => {
  const text = node("b200", 1, ["570.133.20", "12.8", 183359], "dgx-b200", [
    { util: 100, temp: 44.2, usedMiB: 100536, power: 811.4 },
    { util: 100, temp: 46.6, usedMiB: 98232, power: 836.8 },
  ]);
  assert.equal(text, R570);
});

Deno.test("smiTable() under R580: a `+` rule, and rank 1's context on GPU 0 as its own process", () => {
  // Seed 2 draws a stray context: rank 1 touched cuda:0 before set_device.
  assert.equal(memoryTraits(2, 2).strayCount, 1);
  const text = node("h200", 2, ["580.95.05", "13.0", 143771], "dgx-h100", [
    { util: 99, temp: 59.3, usedMiB: 127253, power: 607.2 },
    { util: 100, temp: 62.9, usedMiB: 126611, power: 641.9 },
  ]);
  assert.equal(text, R580);
});

const R470 = `Tue Nov 24 09:12:34 2026       
+-----------------------------------------------------------------------------+
| NVIDIA-SMI 470.82.01    Driver Version: 470.82.01    CUDA Version: 11.4     |
|-------------------------------+----------------------+----------------------+
| GPU  Name        Persistence-M| Bus-Id        Disp.A | Volatile Uncorr. ECC |
| Fan  Temp  Perf  Pwr:Usage/Cap|         Memory-Usage | GPU-Util  Compute M. |
|                               |                      |               MIG M. |
|===============================+======================+======================|
|   0  NVIDIA A100-SXM...  On   | 00000000:07:00.0 Off |                    0 |
| N/A   61C    P0   389W / 400W |  74114MiB / 81251MiB |    100%      Default |
|                               |                      |             Disabled |
+-------------------------------+----------------------+----------------------+
|   1  NVIDIA A100-SXM...  On   | 00000000:0F:00.0 Off |                    0 |
| N/A   59C    P0   409W / 400W |  73870MiB / 81251MiB |     97%      Default |
|                               |                      |             Disabled |
+-------------------------------+----------------------+----------------------+
                                                                               
+-----------------------------------------------------------------------------+
| Processes:                                                                  |
|  GPU   GI   CI        PID   Type   Process name                  GPU Memory |
|        ID   ID                                                   Usage      |
|=============================================================================|
|    0   N/A  N/A        24      C   /opt/venv/bin/python            74102MiB |
|    1   N/A  N/A        27      C   /opt/venv/bin/python            73858MiB |
+-----------------------------------------------------------------------------+`;

const R535 = `Tue Nov 24 09:12:34 2026       
+---------------------------------------------------------------------------------------+
| NVIDIA-SMI 535.183.01             Driver Version: 535.183.01   CUDA Version: 12.2     |
|-----------------------------------------+----------------------+----------------------+
| GPU  Name                 Persistence-M | Bus-Id        Disp.A | Volatile Uncorr. ECC |
| Fan  Temp   Perf          Pwr:Usage/Cap |         Memory-Usage | GPU-Util  Compute M. |
|                                         |                      |               MIG M. |
|=========================================+======================+======================|
|   0  NVIDIA H100 80GB HBM3          On  | 00000000:18:00.0 Off |                    0 |
| N/A   30C    P0              71W / 700W |      0MiB / 81559MiB |      0%      Default |
|                                         |                      |             Disabled |
+-----------------------------------------+----------------------+----------------------+
|   1  NVIDIA H100 80GB HBM3          On  | 00000000:2A:00.0 Off |                    0 |
| N/A   27C    P0              69W / 700W |      0MiB / 81559MiB |      0%      Default |
|                                         |                      |             Disabled |
+-----------------------------------------+----------------------+----------------------+
                                                                                         
+---------------------------------------------------------------------------------------+
| Processes:                                                                            |
|  GPU   GI   CI        PID   Type   Process name                            GPU Memory |
|        ID   ID                                                             Usage      |
|=======================================================================================|
|  No running processes found                                                           |
+---------------------------------------------------------------------------------------+`;

const R570 = `Tue Nov 24 09:12:34 2026       
+-----------------------------------------------------------------------------------------+
| NVIDIA-SMI 570.133.20             Driver Version: 570.133.20     CUDA Version: 12.8     |
|-----------------------------------------+------------------------+----------------------+
| GPU  Name                 Persistence-M | Bus-Id          Disp.A | Volatile Uncorr. ECC |
| Fan  Temp   Perf          Pwr:Usage/Cap |           Memory-Usage | GPU-Util  Compute M. |
|                                         |                        |               MIG M. |
|=========================================+========================+======================|
|   0  NVIDIA B200                    On  |   00000000:1B:00.0 Off |                    0 |
| N/A   44C    P0            811W / 1000W |  100536MiB / 183359MiB |    100%      Default |
|                                         |                        |             Disabled |
+-----------------------------------------+------------------------+----------------------+
|   1  NVIDIA B200                    On  |   00000000:43:00.0 Off |                    0 |
| N/A   47C    P0            837W / 1000W |   98232MiB / 183359MiB |    100%      Default |
|                                         |                        |             Disabled |
+-----------------------------------------+------------------------+----------------------+

+-----------------------------------------------------------------------------------------+
| Processes:                                                                              |
|  GPU   GI   CI              PID   Type   Process name                        GPU Memory |
|        ID   ID                                                               Usage      |
|=========================================================================================|
|    0   N/A  N/A          193940      C   /opt/conda/bin/python                 10052... |
|    1   N/A  N/A          193941      C   /opt/conda/bin/python                 98222MiB |
+-----------------------------------------------------------------------------------------+`;

const R580 = `Tue Nov 24 09:12:34 2026       
+-----------------------------------------------------------------------------------------+
| NVIDIA-SMI 580.95.05              Driver Version: 580.95.05      CUDA Version: 13.0     |
+-----------------------------------------+------------------------+----------------------+
| GPU  Name                 Persistence-M | Bus-Id          Disp.A | Volatile Uncorr. ECC |
| Fan  Temp   Perf          Pwr:Usage/Cap |           Memory-Usage | GPU-Util  Compute M. |
|                                         |                        |               MIG M. |
|=========================================+========================+======================|
|   0  NVIDIA H200                    On  |   00000000:1B:00.0 Off |                    0 |
| N/A   59C    P0            607W /  700W |  127253MiB / 143771MiB |     99%      Default |
|                                         |                        |             Disabled |
+-----------------------------------------+------------------------+----------------------+
|   1  NVIDIA H200                    On  |   00000000:43:00.0 Off |                    0 |
| N/A   63C    P0            642W /  700W |  126611MiB / 143771MiB |    100%      Default |
|                                         |                        |             Disabled |
+-----------------------------------------+------------------------+----------------------+

+-----------------------------------------------------------------------------------------+
| Processes:                                                                              |
|  GPU   GI   CI              PID   Type   Process name                        GPU Memory |
|        ID   ID                                                               Usage      |
|=========================================================================================|
|    0   N/A  N/A            8165      C   /opt/venv/bin/python                  12668... |
|    0   N/A  N/A            8169      C   /opt/venv/bin/python                    556MiB |
|    1   N/A  N/A            8169      C   /opt/venv/bin/python                  12660... |
+-----------------------------------------------------------------------------------------+`;
