import assert from "node:assert/strict";
import models from "../../data/models.json" with { type: "json" };
import datasets from "../../data/datasets.json" with { type: "json" };
import gpus from "../../data/gpus.json" with { type: "json" };
import gpuHosts from "../../data/gpu_hosts.json" with { type: "json" };

const ID_RE = /^[a-z0-9.-]+$/;

const MODEL_FIELDS = [
  "ctx",
  "family",
  "ffn",
  "heads",
  "hf",
  "hidden",
  "id",
  "kvHeads",
  "layers",
  "name",
  "params",
  "real",
  "tokenizer",
  "vocab",
];
const MODEL_INT_FIELDS = [
  "params",
  "layers",
  "hidden",
  "heads",
  "kvHeads",
  "ffn",
  "vocab",
  "ctx",
] as const;
const FAMILIES = new Set([
  "llama",
  "gpt2",
  "mistral",
  "qwen",
  "gemma",
  "phi",
  "falcon",
  "olmo",
  "bloom",
  "gpt-neox",
  "mixtral",
  "deepseek",
  "qwen2-moe",
  "olmoe",
  "custom",
]);
/** Families whose MLP has two matrices (up, down); every other family uses a gated 3-matrix MLP. */
const TWO_MATRIX_MLP = new Set(["gpt2", "bloom", "falcon", "gpt-neox"]);

const DATASET_FIELDS = ["domains", "id", "kind", "name", "path", "real", "samples", "tokens"];

type Model = (typeof models)[number];

function normalise(name: string): string {
  return name.trim().toLowerCase().replace(/[\s_]+/g, "-");
}

function isPositiveInt(v: unknown): boolean {
  return typeof v === "number" && Number.isSafeInteger(v) && v > 0;
}

/** Parameters of one MoE layer's MLPs: routed experts (`routed` of them), shared ones, router. */
function moeMlp(m: Model, routed: number): number {
  const e = m.moe!;
  return 3 * m.hidden * (e.expertFfn * routed + e.sharedFfn) + m.hidden * e.experts;
}

/**
 * Parameter estimate from the architecture, ignoring biases, norms and position embeddings; for
 * a mixture of experts, `routed` experts per token (all of them for the total).
 */
function estimateParams(m: Model, tied: boolean, routed = m.moe?.experts ?? 0): number {
  const h = m.hidden;
  const kvDim = (h / m.heads) * m.kvHeads;
  const attention = 2 * h * h + 2 * h * kvDim;
  const dense = (TWO_MATRIX_MLP.has(m.family) ? 2 : 3) * h * m.ffn;
  const denseLayers = m.moe ? m.moe.denseLayers : m.layers;
  const moeLayers = m.layers - denseLayers;
  return m.vocab * h * (tied ? 1 : 2) + m.layers * attention + denseLayers * dense +
    (moeLayers > 0 ? moeLayers * moeMlp(m, routed) : 0);
}

/** Smallest relative error of the declared params against the tied and untied estimates. */
function paramsError(m: Model): number {
  return Math.min(
    Math.abs(m.params - estimateParams(m, true)) / m.params,
    Math.abs(m.params - estimateParams(m, false)) / m.params,
  );
}

Deno.test("models: have exactly the expected fields with the right types", () => {
  assert.ok(models.length >= 40 && models.length <= 60, `count ${models.length}`);
  for (const m of models) {
    const fields = m.moe ? [...MODEL_FIELDS, "moe"].sort() : MODEL_FIELDS;
    assert.deepEqual(Object.keys(m).sort(), fields, m.id);
    for (const key of ["id", "name", "family", "tokenizer", "hf"] as const) {
      assert.equal(typeof m[key], "string", `${m.id}.${key}`);
      assert.ok(m[key].length > 0, `${m.id}.${key} empty`);
    }
    assert.equal(typeof m.real, "boolean", `${m.id}.real`);
    assert.ok(FAMILIES.has(m.family), `${m.id} family ${m.family}`);
    assert.match(m.hf, /^[A-Za-z0-9._-]+\/[A-Za-z0-9._-]+$/, `${m.id}.hf`);
  }
});

Deno.test("models: ids are unique, lowercase and unambiguous with names", () => {
  const ids = new Set<string>();
  for (const m of models) {
    assert.match(m.id, ID_RE, m.id);
    assert.ok(!ids.has(m.id), `duplicate id ${m.id}`);
    ids.add(m.id);
  }
  const names = new Set<string>();
  for (const m of models) {
    const key = normalise(m.name);
    assert.ok(!names.has(key), `duplicate name ${m.name}`);
    names.add(key);
    // A display name must not resolve to a different model's id.
    if (ids.has(key)) assert.equal(key, m.id, `name ${m.name} collides with another id`);
  }
});

Deno.test("models: numeric fields are positive integers and the shape is consistent", () => {
  for (const m of models) {
    for (const key of MODEL_INT_FIELDS) {
      assert.ok(isPositiveInt(m[key]), `${m.id}.${key} = ${m[key]}`);
    }
    assert.equal(m.hidden % m.heads, 0, `${m.id}: hidden % heads`);
    assert.equal(m.heads % m.kvHeads, 0, `${m.id}: heads % kvHeads`);
    assert.ok(m.kvHeads <= m.heads, `${m.id}: kvHeads <= heads`);
  }
});

Deno.test("models: params are within 12% of the architecture estimate", () => {
  for (const m of models) {
    const err = paramsError(m);
    assert.ok(
      err <= 0.12,
      `${m.id}: params ${m.params} off by ${(err * 100).toFixed(1)}% ` +
        `(tied ${estimateParams(m, true)}, untied ${estimateParams(m, false)})`,
    );
  }
});

Deno.test("models: mixtures of experts route each token through a few experts", () => {
  const moe = models.filter((m) => m.moe);
  assert.ok(moe.length >= 4, `MoE presets ${moe.length}`);
  for (const m of moe) {
    const e = m.moe!;
    for (const k of ["experts", "topK", "expertFfn", "active"] as const) {
      assert.ok(isPositiveInt(e[k]), `${m.id}.moe.${k}`);
    }
    assert.ok(e.topK < e.experts && e.denseLayers < m.layers, m.id);
    assert.ok(e.sharedFfn >= 0 && e.denseLayers >= 0, m.id);
    const active = estimateParams(m, false, e.topK);
    assert.ok(Math.abs(e.active - active) / active < 0.01, `${m.id}: active ${e.active}`);
    assert.ok(e.active < m.params / 2, `${m.id}: active well below total`);
  }
});

Deno.test("models: invented ones are plausible custom dense decoders", () => {
  for (const m of models.filter((m) => !m.real)) {
    assert.equal(m.family, "custom", m.id);
    const ratio = m.ffn / m.hidden;
    assert.ok(ratio >= 2.7 && ratio <= 4, `${m.id}: ffn/hidden ${ratio.toFixed(2)}`);
    assert.ok(paramsError(m) <= 0.05, `${m.id}: params not within 5% of the architecture`);
    assert.ok(m.params >= 1e9 && m.params <= 185e9, `${m.id}: ${m.params}`);
  }
  for (const m of models.filter((m) => m.real)) {
    assert.notEqual(m.family, "custom", `${m.id} is real but custom`);
  }
});

Deno.test("models: enough real and invented presets across the size range", () => {
  const real = models.filter((m) => m.real);
  const funny = models.filter((m) => !m.real);
  assert.ok(real.length >= 30, `real ${real.length}`);
  assert.ok(funny.length >= 10, `funny ${funny.length}`);
  const sizes = real.map((m) => m.params);
  assert.ok(Math.min(...sizes) < 200e6, "a real model under 200M");
  assert.ok(Math.max(...sizes) > 400e9, "a real model over 400B");
});

Deno.test("models: spot-check published architectures", () => {
  const byId = new Map(models.map((m) => [m.id, m]));
  const l3 = byId.get("llama-3-8b");
  assert.ok(l3);
  assert.equal(l3.params, 8030261248);
  assert.equal(l3.vocab, 128256);
  assert.equal(l3.kvHeads, 8);
  const g2 = byId.get("gpt2-124m");
  assert.ok(g2);
  assert.equal(g2.params, 124439808);
  assert.equal(g2.vocab, 50257);
  assert.equal(byId.get("llama-2-7b")?.vocab, 32000);
});

Deno.test("datasets: have exactly the expected fields with the right types", () => {
  assert.ok(datasets.length >= 25 && datasets.length <= 40, `count ${datasets.length}`);
  const ids = new Set<string>();
  const names = new Set<string>();
  for (const d of datasets) {
    // `sampleOf` is optional: it names the dataset a fixed sample was taken from.
    const fields = Object.keys(d).filter((k) => k !== "sampleOf").sort();
    assert.deepEqual(fields, DATASET_FIELDS, d.id);
    const parent = (d as { sampleOf?: string }).sampleOf;
    if (parent !== undefined) {
      assert.ok(datasets.some((p) => p.id === parent && p.kind === d.kind), `${d.id}.sampleOf`);
    }
    assert.match(d.id, ID_RE, d.id);
    assert.ok(!ids.has(d.id), `duplicate id ${d.id}`);
    ids.add(d.id);
    const key = normalise(d.name);
    assert.ok(!names.has(key), `duplicate name ${d.name}`);
    names.add(key);
    assert.equal(typeof d.real, "boolean", `${d.id}.real`);
    assert.ok(d.kind === "pretrain" || d.kind === "finetune", `${d.id} kind ${d.kind}`);
    assert.ok(typeof d.path === "string" && /^(\/|s3:\/\/|gs:\/\/)/.test(d.path), `${d.id}.path`);
  }
});

Deno.test("datasets: token and sample counts are positive integers with tokens >= samples", () => {
  for (const d of datasets) {
    assert.ok(isPositiveInt(d.tokens), `${d.id}.tokens = ${d.tokens}`);
    assert.ok(isPositiveInt(d.samples), `${d.id}.samples = ${d.samples}`);
    assert.ok(d.tokens >= d.samples, `${d.id}: tokens < samples`);
  }
});

Deno.test("datasets: domain weights are a valid mixture summing to 1", () => {
  for (const d of datasets) {
    assert.ok(
      d.domains.length >= 1 && d.domains.length <= 6,
      `${d.id}: ${d.domains.length} domains`,
    );
    const seen = new Set<string>();
    let sum = 0;
    for (const dom of d.domains) {
      assert.deepEqual(Object.keys(dom).sort(), ["name", "weight"], d.id);
      assert.ok(typeof dom.name === "string" && dom.name.length > 0, `${d.id}: domain name`);
      assert.ok(!seen.has(dom.name), `${d.id}: duplicate domain ${dom.name}`);
      seen.add(dom.name);
      assert.ok(dom.weight > 0 && dom.weight <= 1, `${d.id}/${dom.name}: ${dom.weight}`);
      assert.equal(Number(dom.weight.toFixed(3)), dom.weight, `${d.id}/${dom.name}: > 3 decimals`);
      sum += dom.weight;
    }
    assert.ok(Math.abs(sum - 1) < 1e-9, `${d.id}: weights sum to ${sum}`);
  }
});

Deno.test("datasets: mix of real, satirical, pretraining and fine-tuning sets", () => {
  const finetune = datasets.filter((d) => d.kind === "finetune");
  assert.ok(finetune.length >= 8, `finetune ${finetune.length}`);
  for (const real of [true, false]) {
    for (const kind of ["pretrain", "finetune"]) {
      assert.ok(
        datasets.some((d) => d.real === real && d.kind === kind),
        `no ${real ? "real" : "satirical"} ${kind} set`,
      );
    }
  }
  const real = datasets.filter((d) => d.real).length;
  assert.ok(real / datasets.length >= 0.5 && real / datasets.length <= 0.7, `real share ${real}`);
});

Deno.test("gpu_hosts: every catalogue GPU has drivers and clocks of the right shape", () => {
  const ids = gpus.map((g) => g.id).sort();
  assert.deepEqual(gpuHosts.map((h) => h.gpu).sort(), ids);
  for (const h of gpuHosts) {
    const spec = gpus.find((g) => g.id === h.gpu)!;
    const [idle, max] = h.smClockMHz;
    assert.ok(idle > 0 && idle < max && h.memClockMHz > 0, h.gpu);
    if (spec.vendor === "amd") continue;
    assert.ok(h.drivers.some((d) => d.version === spec.driver), `${h.gpu}: default ${spec.driver}`);
    for (const d of h.drivers) {
      assert.match(d.version, /^\d{3}\.\d+(?:\.\d+)?$/, h.gpu);
      assert.match(d.cuda, /^1[1-3]\.\d$/, h.gpu);
      assert.ok(d.weight > 0);
    }
    // A newer driver never reports an older CUDA.
    const parts = (v: string) => v.split(".").map(Number);
    const byVersion = (a: { version: string }, b: { version: string }) => {
      const [x, y] = [parts(a.version), parts(b.version)];
      return x[0] - y[0] || x[1] - y[1] || (x[2] ?? 0) - (y[2] ?? 0);
    };
    const sorted = [...h.drivers].sort(byVersion);
    sorted.slice(1).forEach((d, k) =>
      assert.ok(Number(d.cuda) >= Number(sorted[k].cuda), d.version)
    );
  }
});
