import assert from "node:assert/strict";
import { findModel } from "../../src/sim/catalog.ts";
import { ggufTensorCount } from "../../src/style/model_names.ts";
import {
  hasTensorListing,
  listedTensorCount,
  metadataLines,
  tensorLines,
} from "../../src/style/gguf_tensors.ts";
import { shapeOf } from "./catalogue/deepspeed.ts";

Deno.test("gguf: the converter lists every tensor the file will hold, names padded as it pads them", () => {
  const m = findModel("mistral-7b")!;
  const lines = tensorLines(m);
  const tensors = lines.filter((l) => l.includes(" --> "));
  assert.equal(tensors.length, 291);
  assert.equal(listedTensorCount(m), ggufTensorCount(m));
  // LLAMA's longest map name at 32 blocks is `blk.31.ffn_down_exps`: 20 + ".weight," = 28.
  assert.equal(
    tensors[0],
    "INFO:hf-to-gguf:token_embd.weight,           torch.bfloat16 --> Q8_0, shape = {4096, 32000}",
  );
  assert.ok(
    tensors.includes(
      "INFO:hf-to-gguf:blk.0.attn_norm.weight,      torch.bfloat16 --> F32, shape = {4096}",
    ),
  );
  // Parts of at most 5 GB in bf16, each read in sorted key order.
  const parts = lines.filter((l) => l.includes("loading model part"));
  assert.deepEqual(
    parts,
    [1, 2, 3].map((i) =>
      `INFO:hf-to-gguf:gguf: loading model part 'model-0000${i}-of-00003.safetensors'`
    ),
  );
  assert.ok(lines.indexOf(parts[1]) > lines.findIndex((l) => l.includes("blk.0.attn_v")));
});

Deno.test("gguf: every listed family's count agrees with the file's n_tensors", () => {
  for (const id of ["llama-3-8b", "llama-3.2-1b", "qwen2.5-1.5b", "gemma-2-9b", "tinyllama-1.1b"]) {
    const m = findModel(id)!;
    assert.ok(hasTensorListing(m), id);
    assert.equal(listedTensorCount(m), ggufTensorCount(m), id);
    assert.equal(tensorLines(m).filter((l) => l.includes(" --> ")).length, ggufTensorCount(m), id);
    assert.ok(metadataLines(m).at(-1)!.endsWith("Set model quantization version"), id);
  }
  // A tied head (Llama 3.2) has no output.weight; Qwen2 carries q/k/v biases.
  assert.ok(!tensorLines(findModel("llama-3.2-1b")!).some((l) => l.includes(":output.weight,")));
  assert.ok(tensorLines(findModel("qwen2.5-1.5b")!).some((l) => l.includes("blk.0.attn_q.bias,")));
  assert.ok(!hasTensorListing(findModel("pythia-6.9b")!));
});

Deno.test("gguf: each line of a listed conversion has the converter's real shape", () => {
  for (const id of ["llama-3.1-8b", "qwen2.5-7b", "gemma-2-2b", "mistral-7b"]) {
    const m = findModel(id)!;
    for (const line of [...tensorLines(m), ...metadataLines(m)]) {
      assert.ok(shapeOf(line)?.startsWith("gguf"), `${id}: ${line}`);
    }
  }
});
