import assert from "node:assert/strict";
import {
  formatMeter,
  lightningNum,
  type MeterArgs,
  tqdmBar,
  tqdmInterval,
} from "../../src/format/tqdm.ts";

const BAR = { format: "lightning" } as const;

Deno.test("formatMeter() lays out a meter exactly as tqdm.format_meter does", () => {
  const cases: Array<[MeterArgs, string]> = [
    [
      { n: 1, total: 62733, elapsedS: 0.15037, desc: "Epoch 0", rate: null, ...BAR },
      "Epoch 0:   0%|          | 1/62733 [00:00<2:37:13,  6.65it/s]",
    ],
    [
      { n: 0, total: 62733, elapsedS: 0, desc: "Epoch 0", rate: null, ...BAR },
      "Epoch 0:   0%|          | 0/62733 [00:00<?, ?it/s]",
    ],
    [
      { n: 0, total: null, elapsedS: 0, desc: "Training", rate: null, ...BAR },
      "Training: |          | 0/? [00:00<?, ?it/s]",
    ],
    [
      {
        n: 1406,
        total: 1558,
        elapsedS: 144.7,
        desc: "Epoch 10",
        rate: null,
        postfix: "v_num=x972, test_loss=0.450",
        ...BAR,
      },
      "Epoch 10:  90%|█████████ | 1406/1558 [02:24<00:15,  9.72it/s, v_num=x972, test_loss=0.450]",
    ],
    [
      { n: 32040, total: 500150, elapsedS: 23323.9, desc: "Epoch 0", rate: null, ...BAR },
      "Epoch 0:   6%|▋         | 32040/500150 [6:28:43<94:39:26,  1.37it/s]",
    ],
    [
      { n: 5, total: 40, elapsedS: 71.3, desc: "Epoch 2", rate: null, ...BAR },
      "Epoch 2:  12%|█▎        | 5/40 [01:11<08:19,  0.07it/s]",
    ],
    [
      { n: 1, total: 8, elapsedS: 0.5, desc: "x", rate: null, ...BAR },
      "x:  12%|█▎        | 1/8 [00:00<00:03,  2.00it/s]",
    ],
    [
      { n: 15, total: 30, elapsedS: 20.7, desc: "Loading checkpoint shards", rate: 1 / 1.362 },
      "Loading checkpoint shards:  50%|█████     | 15/30 [00:20<00:20,  1.36s/it]",
    ],
    [
      { n: 3, total: 4, elapsedS: 2.9, desc: "Loading checkpoint shards", rate: 1.05 },
      "Loading checkpoint shards:  75%|███████▌  | 3/4 [00:02<00:00,  1.05it/s]",
    ],
    [
      { n: 0, total: null, elapsedS: 0, desc: "Sanity Checking", rate: null },
      "Sanity Checking: 0it [00:00, ?it/s]",
    ],
    [
      { n: 7, total: null, elapsedS: 3.5, desc: "Sanity Checking", rate: null },
      "Sanity Checking: 7it [00:03,  2.00it/s]",
    ],
    [
      { n: 1, total: 8, elapsedS: 7261.9, desc: "", rate: null, ...BAR },
      " 12%|█▎        | 1/8 [2:01:01<14:07:13,  0.00it/s]",
    ],
    [
      { n: 3, total: 7, elapsedS: 1, desc: "Epoch 0", rate: null, ...BAR },
      "Epoch 0:  43%|████▎     | 3/7 [00:01<00:01,  3.00it/s]",
    ],
  ];
  for (const [m, want] of cases) assert.equal(formatMeter(m), want);
});

Deno.test("tqdmInterval() truncates to whole seconds and adds hours only when needed", () => {
  assert.equal(tqdmInterval(0), "00:00");
  assert.equal(tqdmInterval(59.99), "00:59");
  assert.equal(tqdmInterval(3599.9), "59:59");
  assert.equal(tqdmInterval(3600), "1:00:00");
  assert.equal(tqdmInterval(340766), "94:39:26");
});

Deno.test("tqdmBar() fills eighths of cells the way tqdm's Bar does", () => {
  assert.equal(tqdmBar(0), "          ");
  assert.equal(tqdmBar(0.125), "█▎        ");
  assert.equal(tqdmBar(0.5), "█████     ");
  assert.equal(tqdmBar(0.9997), "█████████▉");
  assert.equal(tqdmBar(1), "██████████");
});

Deno.test("lightningNum() pads like Lightning's Tqdm.format_num on top of tqdm's", () => {
  const f32 = Math.fround;
  const cases: Array<[number | string, string]> = [
    [4.63, "4.630"],
    [85.3, "85.30"],
    [9.79, "9.790"],
    [9.0, "9.000"],
    [46.0, "46.00"],
    [20480.0, "20480.0"],
    [32000.0, "3.2e+4"],
    [f32(0.4283), "0.428"],
    [2.5, "2.500"],
    [1e-5, "1e-5"],
    [NaN, "nan.0"],
    [Infinity, "inf.0"],
    ["x972", "x972"],
    ["1234", "1234."],
    ["e9b2", "e9b2"],
    [f32(2.3456), "2.350"],
    [f32(10.2), "10.20"],
    [0.125, "0.125"],
    [1234.5, "1234.5"],
    [f32(0.0012345), "0.00123"],
    [100.0, "100.0"],
    [99.95, "100.0"],
    [f32(0.693147), "0.693"],
  ];
  for (const [x, want] of cases) assert.equal(lightningNum(x), want, String(x));
  assert.equal(lightningNum(31, true), "31");
  assert.equal(lightningNum(1234, true), "1234");
  // A Slurm job id as the logger's version: shortened when %g is shorter, never padded.
  assert.equal(lightningNum(193315, true), "193315");
  assert.equal(lightningNum(1900000, true), "1.9e+6");
  assert.equal(lightningNum(12345678, true), "1.23e+7");
});
