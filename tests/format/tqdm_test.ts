import assert from "node:assert/strict";
import { formatMeter, pyPercent, TqdmBar, tqdmBar, tqdmInterval } from "../../src/format/tqdm.ts";

/** Frames tqdm 4.70.1 printed for these step times (start at t=1000 s, close 0.37 s after the last). */
function frames(total: number, dts: number[], ncols: number | null, ascii: boolean): string[] {
  let t = 1000.0;
  const bar = new TqdmBar(total, t, ncols, ascii);
  const out = [bar.frame(t)];
  for (const dt of dts) {
    t += dt;
    const f = bar.update(1, t);
    if (f !== null) out.push(f);
  }
  t += 0.37;
  out.push(bar.closeFrame(t));
  return out;
}

Deno.test("TqdmBar: a slow first step, then the EMA settles (10-cell bar, no ncols)", () => {
  assert.deepEqual(
    frames(120, [27.2, 3.5, 3.55, 3.54, 4.2, 3.53, 3.54, 3.6, 3.58, 3.52, 3.55], null, false),
    [
      "  0%|          | 0/120 [00:00<?, ?it/s]",
      "  1%|          | 1/120 [00:27<53:56, 27.20s/it]",
      "  2%|▏         | 2/120 [00:30<26:04, 13.26s/it]",
      "  2%|▎         | 3/120 [00:34<17:12,  8.83s/it]",
      "  3%|▎         | 4/120 [00:37<13:01,  6.74s/it]",
      "  4%|▍         | 5/120 [00:41<11:09,  5.82s/it]",
      "  5%|▌         | 6/120 [00:45<09:34,  5.04s/it]",
      "  6%|▌         | 7/120 [00:49<08:34,  4.55s/it]",
      "  7%|▋         | 8/120 [00:52<07:55,  4.25s/it]",
      "  8%|▊         | 9/120 [00:56<07:28,  4.04s/it]",
      "  8%|▊         | 10/120 [00:59<07:06,  3.88s/it]",
      "  9%|▉         | 11/120 [01:03<06:51,  3.78s/it]",
      "  9%|▉         | 11/120 [01:03<10:31,  5.79s/it]",
    ],
  );
});

Deno.test("TqdmBar: a fixed 140-column line: s/it turns into it/s, the bar loses a cell at n=10", () => {
  assert.deepEqual(
    frames(339, [6.15, 0.96, 0.97, 0.98, 0.93, 0.95, 1.0, 0.94, 0.91, 0.92, 0.93], 140, false),
    [
      "  0%|                                                                                                               | 0/339 [00:00<?, ?it/s]",
      "  0%|▎                                                                                                      | 1/339 [00:06<34:38,  6.15s/it]",
      "  1%|▌                                                                                                      | 2/339 [00:07<17:23,  3.10s/it]",
      "  1%|▉                                                                                                      | 3/339 [00:08<11:54,  2.13s/it]",
      "  1%|█▏                                                                                                     | 4/339 [00:09<09:20,  1.67s/it]",
      "  1%|█▌                                                                                                     | 5/339 [00:09<07:49,  1.41s/it]",
      "  2%|█▊                                                                                                     | 6/339 [00:10<06:56,  1.25s/it]",
      "  2%|██▏                                                                                                    | 7/339 [00:11<06:27,  1.17s/it]",
      "  2%|██▍                                                                                                    | 8/339 [00:12<06:02,  1.10s/it]",
      "  3%|██▋                                                                                                    | 9/339 [00:13<05:42,  1.04s/it]",
      "  3%|███                                                                                                   | 10/339 [00:14<05:29,  1.00s/it]",
      "  3%|███▎                                                                                                  | 11/339 [00:15<05:21,  1.02it/s]",
      "  3%|███▎                                                                                                  | 11/339 [00:16<07:57,  1.46s/it]",
    ],
  );
});

Deno.test("TqdmBar: updates under mininterval print nothing until 0.1 s has passed (dynamic miniters)", () => {
  assert.deepEqual(frames(1000, Array(12).fill(0.05), 100, false), [
    "  0%|                                                                      | 0/1000 [00:00<?, ?it/s]",
    "  0%|▏                                                             | 3/1000 [00:00<00:49, 20.00it/s]",
    "  1%|▎                                                             | 6/1000 [00:00<00:49, 20.00it/s]",
    "  1%|▌                                                             | 9/1000 [00:00<00:49, 20.00it/s]",
    "  1%|▋                                                            | 12/1000 [00:00<00:49, 20.00it/s]",
    "  1%|▋                                                            | 12/1000 [00:00<01:19, 12.37it/s]",
  ]);
});

Deno.test("TqdmBar: the ASCII alphabet of a non-UTF-8 stream", () => {
  assert.deepEqual(frames(100, [2.0, 2.1, 1.9, 2.0], null, true), [
    "  0%|          | 0/100 [00:00<?, ?it/s]",
    "  1%|1         | 1/100 [00:02<03:18,  2.00s/it]",
    "  2%|2         | 2/100 [00:04<03:21,  2.06s/it]",
    "  3%|3         | 3/100 [00:06<03:12,  1.99s/it]",
    "  4%|4         | 4/100 [00:08<03:11,  1.99s/it]",
    "  4%|4         | 4/100 [00:08<03:20,  2.09s/it]",
  ]);
});

Deno.test("TqdmBar: a 60-column line: the bar shrinks when n gains a digit; close() shows the average rate", () => {
  assert.deepEqual(frames(10, Array(10).fill(1.2), 60, false), [
    "  0%|                                | 0/10 [00:00<?, ?it/s]",
    " 10%|██▍                     | 1/10 [00:01<00:10,  1.20s/it]",
    " 20%|████▊                   | 2/10 [00:02<00:09,  1.20s/it]",
    " 30%|███████▏                | 3/10 [00:03<00:08,  1.20s/it]",
    " 40%|█████████▌              | 4/10 [00:04<00:07,  1.20s/it]",
    " 50%|████████████            | 5/10 [00:06<00:06,  1.20s/it]",
    " 60%|██████████████▍         | 6/10 [00:07<00:04,  1.20s/it]",
    " 70%|████████████████▊       | 7/10 [00:08<00:03,  1.20s/it]",
    " 80%|███████████████████▏    | 8/10 [00:09<00:02,  1.20s/it]",
    " 90%|█████████████████████▌  | 9/10 [00:10<00:01,  1.20s/it]",
    "100%|███████████████████████| 10/10 [00:12<00:00,  1.20s/it]",
    "100%|███████████████████████| 10/10 [00:12<00:00,  1.24s/it]",
  ]);
});

Deno.test("tqdmInterval() truncates seconds and leaves hours unpadded", () => {
  assert.equal(tqdmInterval(59.99), "00:59");
  assert.equal(tqdmInterval(3599.5), "59:59");
  assert.equal(tqdmInterval(3600), "1:00:00");
  assert.equal(tqdmInterval(454 * 3600 + 107), "454:01:47");
});

Deno.test("pyPercent() rounds ties to even as Python's {:3.0f} does", () => {
  assert.equal(pyPercent(12.5), " 12");
  assert.equal(pyPercent(13.5), " 14");
  assert.equal(pyPercent(99.5), "100");
  assert.equal(pyPercent(0.4), "  0");
});

Deno.test("tqdmBar() truncates to eighths of a cell", () => {
  assert.equal(tqdmBar(0.64, 10), "██████▍   ");
  assert.equal(tqdmBar(1, 10), "██████████");
  assert.equal(tqdmBar(0.05, 10, true), "5         ");
});

Deno.test("formatMeter() shows ? before a rate is known and s/it only below 1 it/s", () => {
  const base = { total: 8264, ncols: null };
  assert.equal(
    formatMeter({ ...base, n: 0, elapsedS: 0, rate: null }),
    "  0%|          | 0/8264 [00:00<?, ?it/s]",
  );
  assert.equal(
    formatMeter({ ...base, n: 201, elapsedS: 2077, rate: 1 / 202.72 }),
    "  2%|▏         | 201/8264 [34:37<454:02:11, 202.72s/it]",
  );
  assert.equal(
    formatMeter({ ...base, n: 8, elapsedS: 8, rate: 1 }),
    "  0%|          | 8/8264 [00:08<2:17:36,  1.00it/s]",
  );
});
