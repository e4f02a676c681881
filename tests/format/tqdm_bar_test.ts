import assert from "node:assert/strict";
import {
  close,
  createEma,
  describe,
  emaPush,
  emaValue,
  openBar,
  reset,
  setN,
  setPostfix,
  update,
} from "../../src/format/tqdm_bar.ts";

// Expected streams were recorded from tqdm 4.66 with a fake clock, driven the way
// Lightning's TQDMProgressBar and transformers' shard loading drive it.

Deno.test("a bar driven as Lightning drives it writes what tqdm writes, byte for byte", () => {
  const lightning = { format: "lightning" } as const;
  let out = "";
  const [sanity, s0] = openBar({ desc: "Sanity Checking", leave: false, ...lightning }, 0);
  out += s0 + reset(sanity, 2, 0) + describe(sanity, "Sanity Checking DataLoader 0", 0);
  out += setN(sanity, 2, 3.7) + close(sanity, 3.71);
  const [train, t0] = openBar({ desc: "Training", smoothing: 0, ...lightning }, 4);
  out += t0 + reset(train, 40, 4) + describe(train, "Epoch 0", 4);
  out += setN(train, 5, 9.3) + setPostfix(train, "v_num=3, train_loss=2.35", 9.301);
  out += setN(train, 10, 13.9) + setPostfix(train, "v_num=3, train_loss=2.25", 13.902);
  const [val, v0] = openBar({ desc: "Validation", leave: false, pos: 1, ...lightning }, 14);
  out += v0 + reset(val, 3, 14) + describe(val, "Validation DataLoader 0", 14);
  out += setN(val, 3, 16.5);
  out += setPostfix(train, "v_num=3, train_loss=2.25, val_loss=2.4", 16.6) + close(val, 16.6);
  out += close(train, 17);
  assert.equal(out, LIGHTNING);
});

Deno.test("update() smooths the rate with tqdm's EMA and skips prints inside mininterval", () => {
  let out = "";
  let now = 0;
  const [bar, opened] = openBar({ desc: "Loading checkpoint shards", total: 5 }, now);
  out += opened;
  for (const dt of [1.4, 1.1, 1.3, 0.05, 1.2]) out += update(bar, 1, now += dt);
  out += close(bar, now + 0.01);
  assert.equal(out, EMA);
});

Deno.test("the EMA is debiased by its number of calls", () => {
  const e = createEma(0.3);
  assert.equal(emaValue(e), 0);
  emaPush(e, 2);
  // As in Python: (0.3 * 2) / (1 - 0.7), a hair under 2.
  assert.equal(emaValue(e), 1.9999999999999996);
  emaPush(e, 1);
  assert.equal(emaValue(e), (0.3 * 1 + 0.7 * 0.6) / (1 - 0.7 ** 2));
});

const LIGHTNING =
  "\rSanity Checking: |          | 0/? [00:00<?, ?it/s]\rSanity Checking:   0%|          | 0/2 [00:00<?, ?it/s]\rSanity Checking DataLoader 0:   0%|          | 0/2 [00:00<?, ?it/s]\rSanity Checking DataLoader 0: 100%|██████████| 2/2 [00:03<00:00,  0.54it/s]\r                                                                           \r\rTraining: |          | 0/? [00:00<?, ?it/s]\rTraining:   0%|          | 0/40 [00:00<?, ?it/s]\rEpoch 0:   0%|          | 0/40 [00:00<?, ?it/s] \rEpoch 0:  12%|█▎        | 5/40 [00:05<00:37,  0.94it/s]\rEpoch 0:  12%|█▎        | 5/40 [00:05<00:37,  0.94it/s, v_num=3, train_loss=2.35]\rEpoch 0:  25%|██▌       | 10/40 [00:09<00:29,  1.01it/s, v_num=3, train_loss=2.35]\rEpoch 0:  25%|██▌       | 10/40 [00:09<00:29,  1.01it/s, v_num=3, train_loss=2.25]\n\rValidation: |          | 0/? [00:00<?, ?it/s]\u001b[A\n\rValidation:   0%|          | 0/3 [00:00<?, ?it/s]\u001b[A\n\rValidation DataLoader 0:   0%|          | 0/3 [00:00<?, ?it/s]\u001b[A\n\rValidation DataLoader 0: 100%|██████████| 3/3 [00:02<00:00,  1.20it/s]\u001b[A\rEpoch 0:  25%|██▌       | 10/40 [00:12<00:37,  0.79it/s, v_num=3, train_loss=2.25, val_loss=2.4]\n\r                                                                      \u001b[A\rEpoch 0:  25%|██▌       | 10/40 [00:13<00:39,  0.77it/s, v_num=3, train_loss=2.25, val_loss=2.4]\n";

const EMA =
  "\rLoading checkpoint shards:   0%|          | 0/5 [00:00<?, ?it/s]\rLoading checkpoint shards:  20%|██        | 1/5 [00:01<00:05,  1.40s/it]\rLoading checkpoint shards:  40%|████      | 2/5 [00:02<00:03,  1.22s/it]\rLoading checkpoint shards:  60%|██████    | 3/5 [00:03<00:02,  1.26s/it]\rLoading checkpoint shards: 100%|██████████| 5/5 [00:05<00:00,  1.11it/s]\rLoading checkpoint shards: 100%|██████████| 5/5 [00:05<00:00,  1.01s/it]\n";
