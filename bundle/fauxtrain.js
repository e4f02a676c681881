// fauxtrain, bundled by `deno task build` from src/cli/main.ts and workers/.
// Generated: edit the sources, then run `deno task build`.
var __defProp = Object.defineProperty;
var __getOwnPropNames = Object.getOwnPropertyNames;
var __esm = (fn, res) => function __init() {
  return fn && (res = (0, fn[__getOwnPropNames(fn)[0]])(fn = 0)), res;
};
var __export = (target, all) => {
  for (var name in all)
    __defProp(target, name, { get: all[name], enumerable: true });
};

// data/gpus.json
var gpus_default;
var init_gpus = __esm({
  "data/gpus.json"() {
    gpus_default = [
      {
        id: "a100-40gb",
        aliases: [
          "a100-40gb",
          "a100-40",
          "a100-sxm4-40gb"
        ],
        name: "NVIDIA A100-SXM4-40GB",
        vendor: "nvidia",
        arch: "Ampere",
        computeCapability: "8.0",
        memMiB: 40960,
        bf16Tflops: 312,
        fp8Tflops: null,
        tdpW: 400,
        idleW: 52,
        nvlinkGBps: 600,
        intraBusbwGBps: 230,
        nicsPerNode: 8,
        nicGBps: 24,
        nic: "mlx5 HDR 200Gb/s",
        driver: "535.183.06",
        cuda: "12.2",
        mfu: [
          0.44,
          0.55
        ],
        precisions: [
          "bf16",
          "fp16"
        ]
      },
      {
        id: "a100-80gb",
        aliases: [
          "a100",
          "a100-80gb",
          "a100-80",
          "a100-sxm",
          "a100-sxm4-80gb"
        ],
        name: "NVIDIA A100-SXM4-80GB",
        vendor: "nvidia",
        arch: "Ampere",
        computeCapability: "8.0",
        memMiB: 81920,
        bf16Tflops: 312,
        fp8Tflops: null,
        tdpW: 400,
        idleW: 60,
        nvlinkGBps: 600,
        intraBusbwGBps: 230,
        nicsPerNode: 8,
        nicGBps: 24,
        nic: "mlx5 HDR 200Gb/s",
        driver: "535.183.06",
        cuda: "12.2",
        mfu: [
          0.44,
          0.55
        ],
        precisions: [
          "bf16",
          "fp16"
        ]
      },
      {
        id: "a100-pcie",
        aliases: [
          "a100-pcie",
          "a100-80gb-pcie",
          "a100-pcie-80gb"
        ],
        name: "NVIDIA A100 80GB PCIe",
        vendor: "nvidia",
        arch: "Ampere",
        computeCapability: "8.0",
        memMiB: 81920,
        bf16Tflops: 312,
        fp8Tflops: null,
        tdpW: 300,
        idleW: 45,
        nvlinkGBps: 600,
        intraBusbwGBps: 90,
        nicsPerNode: 4,
        nicGBps: 24,
        nic: "mlx5 HDR 200Gb/s",
        driver: "535.183.06",
        cuda: "12.2",
        mfu: [
          0.38,
          0.48
        ],
        precisions: [
          "bf16",
          "fp16"
        ]
      },
      {
        id: "h100-sxm",
        aliases: [
          "h100",
          "h100-sxm",
          "h100-sxm5",
          "h100-80gb",
          "h100-hbm3"
        ],
        name: "NVIDIA H100 80GB HBM3",
        vendor: "nvidia",
        arch: "Hopper",
        computeCapability: "9.0",
        memMiB: 81559,
        bf16Tflops: 989,
        fp8Tflops: 1979,
        tdpW: 700,
        idleW: 70,
        nvlinkGBps: 900,
        intraBusbwGBps: 470,
        nicsPerNode: 8,
        nicGBps: 48,
        nic: "mlx5 NDR 400Gb/s",
        driver: "550.90.07",
        cuda: "12.4",
        mfu: [
          0.38,
          0.5
        ],
        precisions: [
          "bf16",
          "fp16",
          "fp8"
        ]
      },
      {
        id: "h100-pcie",
        aliases: [
          "h100-pcie",
          "h100pcie"
        ],
        name: "NVIDIA H100 PCIe",
        vendor: "nvidia",
        arch: "Hopper",
        computeCapability: "9.0",
        memMiB: 81559,
        bf16Tflops: 756,
        fp8Tflops: 1513,
        tdpW: 350,
        idleW: 48,
        nvlinkGBps: 600,
        intraBusbwGBps: 110,
        nicsPerNode: 4,
        nicGBps: 48,
        nic: "mlx5 NDR 400Gb/s",
        driver: "550.90.07",
        cuda: "12.4",
        mfu: [
          0.34,
          0.45
        ],
        precisions: [
          "bf16",
          "fp16",
          "fp8"
        ]
      },
      {
        id: "h200",
        aliases: [
          "h200",
          "h200-sxm",
          "h200-141gb"
        ],
        name: "NVIDIA H200",
        vendor: "nvidia",
        arch: "Hopper",
        computeCapability: "9.0",
        memMiB: 143771,
        bf16Tflops: 989,
        fp8Tflops: 1979,
        tdpW: 700,
        idleW: 75,
        nvlinkGBps: 900,
        intraBusbwGBps: 475,
        nicsPerNode: 8,
        nicGBps: 48,
        nic: "mlx5 NDR 400Gb/s",
        driver: "560.35.03",
        cuda: "12.6",
        mfu: [
          0.4,
          0.52
        ],
        precisions: [
          "bf16",
          "fp16",
          "fp8"
        ]
      },
      {
        id: "b200",
        aliases: [
          "b200",
          "b200-sxm",
          "hgx-b200"
        ],
        name: "NVIDIA B200",
        vendor: "nvidia",
        arch: "Blackwell",
        computeCapability: "10.0",
        memMiB: 183359,
        bf16Tflops: 2250,
        fp8Tflops: 4500,
        tdpW: 1e3,
        idleW: 140,
        nvlinkGBps: 1800,
        intraBusbwGBps: 720,
        nicsPerNode: 8,
        nicGBps: 48,
        nic: "mlx5 NDR 400Gb/s",
        driver: "570.124.06",
        cuda: "12.8",
        mfu: [
          0.35,
          0.46
        ],
        precisions: [
          "bf16",
          "fp16",
          "fp8"
        ]
      },
      {
        id: "gb200",
        aliases: [
          "gb200",
          "gb200-nvl72",
          "gb200nvl72"
        ],
        name: "NVIDIA GB200",
        vendor: "nvidia",
        arch: "Blackwell",
        computeCapability: "10.0",
        memMiB: 189471,
        bf16Tflops: 2500,
        fp8Tflops: 5e3,
        tdpW: 1200,
        idleW: 160,
        nvlinkGBps: 1800,
        intraBusbwGBps: 840,
        nicsPerNode: 8,
        nicGBps: 95,
        nic: "mlx5 XDR 800Gb/s",
        driver: "575.57.08",
        cuda: "12.9",
        mfu: [
          0.36,
          0.48
        ],
        precisions: [
          "bf16",
          "fp16",
          "fp8"
        ]
      },
      {
        id: "mi300x",
        aliases: [
          "mi300x",
          "mi300",
          "instinct-mi300x"
        ],
        name: "AMD Instinct MI300X",
        vendor: "amd",
        arch: "CDNA3",
        computeCapability: "gfx942",
        memMiB: 196592,
        bf16Tflops: 1307,
        fp8Tflops: 2615,
        tdpW: 750,
        idleW: 140,
        nvlinkGBps: 896,
        intraBusbwGBps: 320,
        nicsPerNode: 8,
        nicGBps: 48,
        nic: "bnxt_re 400Gb/s RoCE",
        driver: "6.8.5",
        cuda: "6.2",
        mfu: [
          0.3,
          0.42
        ],
        precisions: [
          "bf16",
          "fp16",
          "fp8"
        ]
      },
      {
        id: "l40s",
        aliases: [
          "l40s",
          "l40s-48gb"
        ],
        name: "NVIDIA L40S",
        vendor: "nvidia",
        arch: "Ada Lovelace",
        computeCapability: "8.9",
        memMiB: 46068,
        bf16Tflops: 362,
        fp8Tflops: 733,
        tdpW: 350,
        idleW: 35,
        nvlinkGBps: 64,
        intraBusbwGBps: 22,
        nicsPerNode: 2,
        nicGBps: 24,
        nic: "mlx5 HDR 200Gb/s",
        driver: "550.90.07",
        cuda: "12.4",
        mfu: [
          0.3,
          0.42
        ],
        precisions: [
          "bf16",
          "fp16",
          "fp8"
        ]
      },
      {
        id: "v100",
        aliases: [
          "v100",
          "v100-32gb",
          "v100-sxm2",
          "tesla-v100"
        ],
        name: "Tesla V100-SXM2-32GB",
        vendor: "nvidia",
        arch: "Volta",
        computeCapability: "7.0",
        memMiB: 32768,
        bf16Tflops: 125,
        fp8Tflops: null,
        tdpW: 300,
        idleW: 42,
        nvlinkGBps: 300,
        intraBusbwGBps: 130,
        nicsPerNode: 4,
        nicGBps: 12,
        nic: "mlx5 EDR 100Gb/s",
        driver: "535.183.06",
        cuda: "12.2",
        mfu: [
          0.35,
          0.45
        ],
        precisions: [
          "fp16"
        ]
      }
    ];
  }
});

// data/models.json
var models_default;
var init_models = __esm({
  "data/models.json"() {
    models_default = [
      {
        id: "gpt2-124m",
        name: "GPT-2",
        family: "gpt2",
        real: true,
        params: 124439808,
        layers: 12,
        hidden: 768,
        heads: 12,
        kvHeads: 12,
        ffn: 3072,
        vocab: 50257,
        ctx: 1024,
        tokenizer: "gpt2",
        hf: "openai-community/gpt2"
      },
      {
        id: "gpt2-355m",
        name: "GPT-2-Medium",
        family: "gpt2",
        real: true,
        params: 354823168,
        layers: 24,
        hidden: 1024,
        heads: 16,
        kvHeads: 16,
        ffn: 4096,
        vocab: 50257,
        ctx: 1024,
        tokenizer: "gpt2",
        hf: "openai-community/gpt2-medium"
      },
      {
        id: "gpt2-774m",
        name: "GPT-2-Large",
        family: "gpt2",
        real: true,
        params: 774030080,
        layers: 36,
        hidden: 1280,
        heads: 20,
        kvHeads: 20,
        ffn: 5120,
        vocab: 50257,
        ctx: 1024,
        tokenizer: "gpt2",
        hf: "openai-community/gpt2-large"
      },
      {
        id: "gpt2-1.5b",
        name: "GPT-2-XL",
        family: "gpt2",
        real: true,
        params: 1557611200,
        layers: 48,
        hidden: 1600,
        heads: 25,
        kvHeads: 25,
        ffn: 6400,
        vocab: 50257,
        ctx: 1024,
        tokenizer: "gpt2",
        hf: "openai-community/gpt2-xl"
      },
      {
        id: "pythia-1.4b",
        name: "Pythia-1.4B",
        family: "gpt-neox",
        real: true,
        params: 1414647808,
        layers: 24,
        hidden: 2048,
        heads: 16,
        kvHeads: 16,
        ffn: 8192,
        vocab: 50304,
        ctx: 2048,
        tokenizer: "EleutherAI/pythia-1.4b",
        hf: "EleutherAI/pythia-1.4b"
      },
      {
        id: "pythia-6.9b",
        name: "Pythia-6.9B",
        family: "gpt-neox",
        real: true,
        params: 6857302016,
        layers: 32,
        hidden: 4096,
        heads: 32,
        kvHeads: 32,
        ffn: 16384,
        vocab: 50432,
        ctx: 2048,
        tokenizer: "EleutherAI/pythia-6.9b",
        hf: "EleutherAI/pythia-6.9b"
      },
      {
        id: "pythia-12b",
        name: "Pythia-12B",
        family: "gpt-neox",
        real: true,
        params: 11846072320,
        layers: 36,
        hidden: 5120,
        heads: 40,
        kvHeads: 40,
        ffn: 20480,
        vocab: 50688,
        ctx: 2048,
        tokenizer: "EleutherAI/pythia-12b",
        hf: "EleutherAI/pythia-12b"
      },
      {
        id: "gpt-neox-20b",
        name: "GPT-NeoX-20B",
        family: "gpt-neox",
        real: true,
        params: 20554567680,
        layers: 44,
        hidden: 6144,
        heads: 64,
        kvHeads: 64,
        ffn: 24576,
        vocab: 50432,
        ctx: 2048,
        tokenizer: "EleutherAI/gpt-neox-20b",
        hf: "EleutherAI/gpt-neox-20b"
      },
      {
        id: "llama-2-7b",
        name: "Llama-2-7B",
        family: "llama",
        real: true,
        params: 6738415616,
        layers: 32,
        hidden: 4096,
        heads: 32,
        kvHeads: 32,
        ffn: 11008,
        vocab: 32e3,
        ctx: 4096,
        tokenizer: "meta-llama/Llama-2-7b-hf",
        hf: "meta-llama/Llama-2-7b-hf"
      },
      {
        id: "llama-2-13b",
        name: "Llama-2-13B",
        family: "llama",
        real: true,
        params: 13015864320,
        layers: 40,
        hidden: 5120,
        heads: 40,
        kvHeads: 40,
        ffn: 13824,
        vocab: 32e3,
        ctx: 4096,
        tokenizer: "meta-llama/Llama-2-13b-hf",
        hf: "meta-llama/Llama-2-13b-hf"
      },
      {
        id: "llama-2-70b",
        name: "Llama-2-70B",
        family: "llama",
        real: true,
        params: 68976648192,
        layers: 80,
        hidden: 8192,
        heads: 64,
        kvHeads: 8,
        ffn: 28672,
        vocab: 32e3,
        ctx: 4096,
        tokenizer: "meta-llama/Llama-2-70b-hf",
        hf: "meta-llama/Llama-2-70b-hf"
      },
      {
        id: "llama-3-8b",
        name: "Llama-3-8B",
        family: "llama",
        real: true,
        params: 8030261248,
        layers: 32,
        hidden: 4096,
        heads: 32,
        kvHeads: 8,
        ffn: 14336,
        vocab: 128256,
        ctx: 8192,
        tokenizer: "meta-llama/Meta-Llama-3-8B",
        hf: "meta-llama/Meta-Llama-3-8B"
      },
      {
        id: "llama-3-70b",
        name: "Llama-3-70B",
        family: "llama",
        real: true,
        params: 70553706496,
        layers: 80,
        hidden: 8192,
        heads: 64,
        kvHeads: 8,
        ffn: 28672,
        vocab: 128256,
        ctx: 8192,
        tokenizer: "meta-llama/Meta-Llama-3-70B",
        hf: "meta-llama/Meta-Llama-3-70B"
      },
      {
        id: "llama-3.1-8b",
        name: "Llama-3.1-8B",
        family: "llama",
        real: true,
        params: 8030261248,
        layers: 32,
        hidden: 4096,
        heads: 32,
        kvHeads: 8,
        ffn: 14336,
        vocab: 128256,
        ctx: 131072,
        tokenizer: "meta-llama/Llama-3.1-8B",
        hf: "meta-llama/Llama-3.1-8B"
      },
      {
        id: "llama-3.1-70b",
        name: "Llama-3.1-70B",
        family: "llama",
        real: true,
        params: 70553706496,
        layers: 80,
        hidden: 8192,
        heads: 64,
        kvHeads: 8,
        ffn: 28672,
        vocab: 128256,
        ctx: 131072,
        tokenizer: "meta-llama/Llama-3.1-70B",
        hf: "meta-llama/Llama-3.1-70B"
      },
      {
        id: "llama-3-405b",
        name: "Llama-3.1-405B",
        family: "llama",
        real: true,
        params: 405853388800,
        layers: 126,
        hidden: 16384,
        heads: 128,
        kvHeads: 8,
        ffn: 53248,
        vocab: 128256,
        ctx: 131072,
        tokenizer: "meta-llama/Llama-3.1-405B",
        hf: "meta-llama/Llama-3.1-405B"
      },
      {
        id: "llama-3.2-1b",
        name: "Llama-3.2-1B",
        family: "llama",
        real: true,
        params: 1235814400,
        layers: 16,
        hidden: 2048,
        heads: 32,
        kvHeads: 8,
        ffn: 8192,
        vocab: 128256,
        ctx: 131072,
        tokenizer: "meta-llama/Llama-3.2-1B",
        hf: "meta-llama/Llama-3.2-1B"
      },
      {
        id: "llama-3.2-3b",
        name: "Llama-3.2-3B",
        family: "llama",
        real: true,
        params: 3212749824,
        layers: 28,
        hidden: 3072,
        heads: 24,
        kvHeads: 8,
        ffn: 8192,
        vocab: 128256,
        ctx: 131072,
        tokenizer: "meta-llama/Llama-3.2-3B",
        hf: "meta-llama/Llama-3.2-3B"
      },
      {
        id: "tinyllama-1.1b",
        name: "TinyLlama-1.1B",
        family: "llama",
        real: true,
        params: 1100048384,
        layers: 22,
        hidden: 2048,
        heads: 32,
        kvHeads: 4,
        ffn: 5632,
        vocab: 32e3,
        ctx: 2048,
        tokenizer: "TinyLlama/TinyLlama_v1.1",
        hf: "TinyLlama/TinyLlama_v1.1"
      },
      {
        id: "mistral-7b",
        name: "Mistral-7B-v0.1",
        family: "mistral",
        real: true,
        params: 7241732096,
        layers: 32,
        hidden: 4096,
        heads: 32,
        kvHeads: 8,
        ffn: 14336,
        vocab: 32e3,
        ctx: 8192,
        tokenizer: "mistralai/Mistral-7B-v0.1",
        hf: "mistralai/Mistral-7B-v0.1"
      },
      {
        id: "qwen2.5-0.5b",
        name: "Qwen2.5-0.5B",
        family: "qwen",
        real: true,
        params: 494032768,
        layers: 24,
        hidden: 896,
        heads: 14,
        kvHeads: 2,
        ffn: 4864,
        vocab: 151936,
        ctx: 32768,
        tokenizer: "Qwen/Qwen2.5-0.5B",
        hf: "Qwen/Qwen2.5-0.5B"
      },
      {
        id: "qwen2.5-1.5b",
        name: "Qwen2.5-1.5B",
        family: "qwen",
        real: true,
        params: 1543714304,
        layers: 28,
        hidden: 1536,
        heads: 12,
        kvHeads: 2,
        ffn: 8960,
        vocab: 151936,
        ctx: 32768,
        tokenizer: "Qwen/Qwen2.5-1.5B",
        hf: "Qwen/Qwen2.5-1.5B"
      },
      {
        id: "qwen2.5-3b",
        name: "Qwen2.5-3B",
        family: "qwen",
        real: true,
        params: 3085938688,
        layers: 36,
        hidden: 2048,
        heads: 16,
        kvHeads: 2,
        ffn: 11008,
        vocab: 151936,
        ctx: 32768,
        tokenizer: "Qwen/Qwen2.5-3B",
        hf: "Qwen/Qwen2.5-3B"
      },
      {
        id: "qwen2.5-7b",
        name: "Qwen2.5-7B",
        family: "qwen",
        real: true,
        params: 7615616512,
        layers: 28,
        hidden: 3584,
        heads: 28,
        kvHeads: 4,
        ffn: 18944,
        vocab: 152064,
        ctx: 131072,
        tokenizer: "Qwen/Qwen2.5-7B",
        hf: "Qwen/Qwen2.5-7B"
      },
      {
        id: "qwen2.5-14b",
        name: "Qwen2.5-14B",
        family: "qwen",
        real: true,
        params: 14770033664,
        layers: 48,
        hidden: 5120,
        heads: 40,
        kvHeads: 8,
        ffn: 13824,
        vocab: 152064,
        ctx: 131072,
        tokenizer: "Qwen/Qwen2.5-14B",
        hf: "Qwen/Qwen2.5-14B"
      },
      {
        id: "qwen2.5-32b",
        name: "Qwen2.5-32B",
        family: "qwen",
        real: true,
        params: 32763876352,
        layers: 64,
        hidden: 5120,
        heads: 40,
        kvHeads: 8,
        ffn: 27648,
        vocab: 152064,
        ctx: 131072,
        tokenizer: "Qwen/Qwen2.5-32B",
        hf: "Qwen/Qwen2.5-32B"
      },
      {
        id: "qwen2.5-72b",
        name: "Qwen2.5-72B",
        family: "qwen",
        real: true,
        params: 72706203648,
        layers: 80,
        hidden: 8192,
        heads: 64,
        kvHeads: 8,
        ffn: 29568,
        vocab: 152064,
        ctx: 131072,
        tokenizer: "Qwen/Qwen2.5-72B",
        hf: "Qwen/Qwen2.5-72B"
      },
      {
        id: "gemma-2-2b",
        name: "Gemma-2-2B",
        family: "gemma",
        real: true,
        params: 2614341888,
        layers: 26,
        hidden: 2304,
        heads: 8,
        kvHeads: 4,
        ffn: 9216,
        vocab: 256e3,
        ctx: 8192,
        tokenizer: "google/gemma-2-2b",
        hf: "google/gemma-2-2b"
      },
      {
        id: "gemma-2-9b",
        name: "Gemma-2-9B",
        family: "gemma",
        real: true,
        params: 9241705984,
        layers: 42,
        hidden: 3584,
        heads: 16,
        kvHeads: 8,
        ffn: 14336,
        vocab: 256e3,
        ctx: 8192,
        tokenizer: "google/gemma-2-9b",
        hf: "google/gemma-2-9b"
      },
      {
        id: "gemma-2-27b",
        name: "Gemma-2-27B",
        family: "gemma",
        real: true,
        params: 27227128320,
        layers: 46,
        hidden: 4608,
        heads: 32,
        kvHeads: 16,
        ffn: 36864,
        vocab: 256e3,
        ctx: 8192,
        tokenizer: "google/gemma-2-27b",
        hf: "google/gemma-2-27b"
      },
      {
        id: "phi-3-mini",
        name: "Phi-3-mini-4k",
        family: "phi",
        real: true,
        params: 3821079552,
        layers: 32,
        hidden: 3072,
        heads: 32,
        kvHeads: 32,
        ffn: 8192,
        vocab: 32064,
        ctx: 4096,
        tokenizer: "microsoft/Phi-3-mini-4k-instruct",
        hf: "microsoft/Phi-3-mini-4k-instruct"
      },
      {
        id: "phi-3-medium",
        name: "Phi-3-medium-4k",
        family: "phi",
        real: true,
        params: 13960238080,
        layers: 40,
        hidden: 5120,
        heads: 40,
        kvHeads: 10,
        ffn: 17920,
        vocab: 32064,
        ctx: 4096,
        tokenizer: "microsoft/Phi-3-medium-4k-instruct",
        hf: "microsoft/Phi-3-medium-4k-instruct"
      },
      {
        id: "falcon-7b",
        name: "Falcon-7B",
        family: "falcon",
        real: true,
        params: 6921720704,
        layers: 32,
        hidden: 4544,
        heads: 71,
        kvHeads: 1,
        ffn: 18176,
        vocab: 65024,
        ctx: 2048,
        tokenizer: "tiiuae/falcon-7b",
        hf: "tiiuae/falcon-7b"
      },
      {
        id: "falcon-40b",
        name: "Falcon-40B",
        family: "falcon",
        real: true,
        params: 41303293952,
        layers: 60,
        hidden: 8192,
        heads: 128,
        kvHeads: 8,
        ffn: 32768,
        vocab: 65024,
        ctx: 2048,
        tokenizer: "tiiuae/falcon-40b",
        hf: "tiiuae/falcon-40b"
      },
      {
        id: "falcon-180b",
        name: "Falcon-180B",
        family: "falcon",
        real: true,
        params: 178557088768,
        layers: 80,
        hidden: 14848,
        heads: 232,
        kvHeads: 8,
        ffn: 59392,
        vocab: 65024,
        ctx: 2048,
        tokenizer: "tiiuae/falcon-180B",
        hf: "tiiuae/falcon-180B"
      },
      {
        id: "olmo-7b",
        name: "OLMo-7B",
        family: "olmo",
        real: true,
        params: 6888095744,
        layers: 32,
        hidden: 4096,
        heads: 32,
        kvHeads: 32,
        ffn: 11008,
        vocab: 50304,
        ctx: 2048,
        tokenizer: "allenai/OLMo-7B-hf",
        hf: "allenai/OLMo-7B-hf"
      },
      {
        id: "bloom-560m",
        name: "BLOOM-560M",
        family: "bloom",
        real: true,
        params: 559214592,
        layers: 24,
        hidden: 1024,
        heads: 16,
        kvHeads: 16,
        ffn: 4096,
        vocab: 250880,
        ctx: 2048,
        tokenizer: "bigscience/bloom-560m",
        hf: "bigscience/bloom-560m"
      },
      {
        id: "bloom-176b",
        name: "BLOOM-176B",
        family: "bloom",
        real: true,
        params: 176247271424,
        layers: 70,
        hidden: 14336,
        heads: 112,
        kvHeads: 112,
        ffn: 57344,
        vocab: 250880,
        ctx: 2048,
        tokenizer: "bigscience/bloom",
        hf: "bigscience/bloom"
      },
      {
        id: "rubberduck-1b",
        name: "RubberDuck-1B",
        family: "custom",
        real: false,
        params: 1057581056,
        layers: 22,
        hidden: 2048,
        heads: 16,
        kvHeads: 4,
        ffn: 5632,
        vocab: 32e3,
        ctx: 4096,
        tokenizer: "quackpiece-bpe-32k",
        hf: "squeaky-labs/RubberDuck-1B"
      },
      {
        id: "procrastinator-2b",
        name: "Procrastinator-2B",
        family: "custom",
        real: false,
        params: 2049784320,
        layers: 28,
        hidden: 2560,
        heads: 20,
        kvHeads: 4,
        ffn: 6912,
        vocab: 48e3,
        ctx: 8192,
        tokenizer: "sentencepiece-bpe-48k",
        hf: "tomorrow-ai/Procrastinator-2B"
      },
      {
        id: "vibecheck-3b",
        name: "VibeCheck-3B",
        family: "custom",
        real: false,
        params: 3081415680,
        layers: 28,
        hidden: 3072,
        heads: 24,
        kvHeads: 8,
        ffn: 8448,
        vocab: 64e3,
        ctx: 8192,
        tokenizer: "vibes-unigram-64k",
        hf: "goodvibes-research/VibeCheck-3B"
      },
      {
        id: "sentient-toaster-7b",
        name: "SentientToaster-7B",
        family: "custom",
        real: false,
        params: 7113805824,
        layers: 32,
        hidden: 4096,
        heads: 32,
        kvHeads: 8,
        ffn: 13312,
        vocab: 65536,
        ctx: 8192,
        tokenizer: "crumbtok-bpe-64k",
        hf: "breadboard-ai/SentientToaster-7B"
      },
      {
        id: "overfitted-transformer-9b",
        name: "OverfittedTransformer-9B",
        family: "custom",
        real: false,
        params: 9110343680,
        layers: 38,
        hidden: 4096,
        heads: 32,
        kvHeads: 8,
        ffn: 14336,
        vocab: 100352,
        ctx: 16384,
        tokenizer: "memorize-bpe-100k",
        hf: "trainset-only/OverfittedTransformer-9B"
      },
      {
        id: "stochastic-parrot-13b",
        name: "StochasticParrot-13B",
        family: "custom",
        real: false,
        params: 13191500800,
        layers: 40,
        hidden: 5120,
        heads: 40,
        kvHeads: 40,
        ffn: 13824,
        vocab: 49152,
        ctx: 4096,
        tokenizer: "parrot-bpe-48k",
        hf: "polly-labs/StochasticParrot-13B"
      },
      {
        id: "lgtm-15b",
        name: "LGTM-15B",
        family: "custom",
        real: false,
        params: 15016104960,
        layers: 48,
        hidden: 5120,
        heads: 40,
        kvHeads: 8,
        ffn: 15360,
        vocab: 65536,
        ctx: 16384,
        tokenizer: "rubberstamp-bpe-64k",
        hf: "rubberstamp-ai/LGTM-15B"
      },
      {
        id: "confidently-wrong-22b",
        name: "ConfidentlyWrong-22B",
        family: "custom",
        real: false,
        params: 22775764992,
        layers: 56,
        hidden: 6144,
        heads: 48,
        kvHeads: 8,
        ffn: 16896,
        vocab: 32768,
        ctx: 32768,
        tokenizer: "sentencepiece-unigram-32k",
        hf: "well-actually-research/ConfidentlyWrong-22B"
      },
      {
        id: "hallucinator-xl-34b",
        name: "HallucinatorXL-34B",
        family: "custom",
        real: false,
        params: 34388917248,
        layers: 60,
        hidden: 7168,
        heads: 56,
        kvHeads: 8,
        ffn: 20480,
        vocab: 64e3,
        ctx: 32768,
        tokenizer: "dreamtok-bpe-64k",
        hf: "figment-labs/HallucinatorXL-34B"
      },
      {
        id: "yak-shaver-46b",
        name: "YakShaver-46B",
        family: "custom",
        real: false,
        params: 45622501376,
        layers: 64,
        hidden: 8192,
        heads: 64,
        kvHeads: 8,
        ffn: 22528,
        vocab: 32e3,
        ctx: 16384,
        tokenizer: "sentencepiece-bpe-32k",
        hf: "tangent-ai/YakShaver-46B"
      },
      {
        id: "paperclip-maximizer-70b",
        name: "PaperclipMaximizer-70B",
        family: "custom",
        real: false,
        params: 70090760192,
        layers: 80,
        hidden: 8192,
        heads: 64,
        kvHeads: 8,
        ffn: 28672,
        vocab: 1e5,
        ctx: 32768,
        tokenizer: "paperclip-bpe-100k",
        hf: "office-supply-alignment/PaperclipMaximizer-70B"
      },
      {
        id: "bikeshed-120b",
        name: "Bikeshed-120B",
        family: "custom",
        real: false,
        params: 120126842880,
        layers: 96,
        hidden: 10240,
        heads: 80,
        kvHeads: 8,
        ffn: 32768,
        vocab: 65536,
        ctx: 65536,
        tokenizer: "bikeshed-bpe-64k",
        hf: "committee-of-the-whole/Bikeshed-120B"
      },
      {
        id: "technical-debt-180b",
        name: "TechnicalDebt-180B",
        family: "custom",
        real: false,
        params: 179585691648,
        layers: 96,
        hidden: 12288,
        heads: 96,
        kvHeads: 8,
        ffn: 40960,
        vocab: 131072,
        ctx: 131072,
        tokenizer: "legacy-tiktoken-128k",
        hf: "fix-it-later/TechnicalDebt-180B"
      }
    ];
  }
});

// data/datasets.json
var datasets_default;
var init_datasets = __esm({
  "data/datasets.json"() {
    datasets_default = [
      {
        id: "fineweb",
        name: "HuggingFaceFW/fineweb",
        real: true,
        kind: "pretrain",
        tokens: 15e12,
        samples: 224e8,
        domains: [
          {
            name: "web",
            weight: 1
          }
        ],
        path: "/lustre/datasets/fineweb/v1.0/tokenized"
      },
      {
        id: "fineweb-edu",
        name: "HuggingFaceFW/fineweb-edu",
        real: true,
        kind: "pretrain",
        tokens: 13e11,
        samples: 128e7,
        domains: [
          {
            name: "web-edu",
            weight: 1
          }
        ],
        path: "/lustre/datasets/fineweb-edu/tokenized"
      },
      {
        id: "slimpajama-627b",
        name: "cerebras/SlimPajama-627B",
        real: true,
        kind: "pretrain",
        tokens: 627e9,
        samples: 59e7,
        domains: [
          {
            name: "web",
            weight: 0.789
          },
          {
            name: "code",
            weight: 0.052
          },
          {
            name: "academic",
            weight: 0.046
          },
          {
            name: "books",
            weight: 0.042
          },
          {
            name: "wiki",
            weight: 0.038
          },
          {
            name: "stackexchange",
            weight: 0.033
          }
        ],
        path: "s3://ml-datasets/slimpajama-627b/train"
      },
      {
        id: "the-pile",
        name: "EleutherAI/pile",
        real: true,
        kind: "pretrain",
        tokens: 3e11,
        samples: 210607728,
        domains: [
          {
            name: "web",
            weight: 0.298
          },
          {
            name: "academic",
            weight: 0.281
          },
          {
            name: "books",
            weight: 0.149
          },
          {
            name: "legal",
            weight: 0.098
          },
          {
            name: "code",
            weight: 0.076
          },
          {
            name: "misc",
            weight: 0.098
          }
        ],
        path: "/lustre/datasets/pile/neox-tokenized"
      },
      {
        id: "openwebtext",
        name: "Skylion007/openwebtext",
        real: true,
        kind: "pretrain",
        tokens: 9035582198,
        samples: 8013769,
        domains: [
          {
            name: "web",
            weight: 1
          }
        ],
        path: "/lustre/datasets/openwebtext/gpt2-bin"
      },
      {
        id: "redpajama-v1",
        name: "togethercomputer/RedPajama-Data-1T",
        real: true,
        kind: "pretrain",
        tokens: 121e10,
        samples: 93e7,
        domains: [
          {
            name: "web",
            weight: 0.87
          },
          {
            name: "code",
            weight: 0.049
          },
          {
            name: "academic",
            weight: 0.023
          },
          {
            name: "books",
            weight: 0.021
          },
          {
            name: "wiki",
            weight: 0.02
          },
          {
            name: "stackexchange",
            weight: 0.017
          }
        ],
        path: "s3://ml-datasets/redpajama-1t/llama-tokenized"
      },
      {
        id: "dolma",
        name: "allenai/dolma",
        real: true,
        kind: "pretrain",
        tokens: 3e12,
        samples: 44e8,
        domains: [
          {
            name: "web",
            weight: 0.81
          },
          {
            name: "code",
            weight: 0.134
          },
          {
            name: "social",
            weight: 0.029
          },
          {
            name: "academic",
            weight: 0.023
          },
          {
            name: "books",
            weight: 2e-3
          },
          {
            name: "wiki",
            weight: 2e-3
          }
        ],
        path: "gs://pretrain-corpora/dolma/v1_6/tokenized"
      },
      {
        id: "c4",
        name: "allenai/c4",
        real: true,
        kind: "pretrain",
        tokens: 156e9,
        samples: 364868892,
        domains: [
          {
            name: "web",
            weight: 1
          }
        ],
        path: "/lustre/datasets/c4/en/tokenized"
      },
      {
        id: "starcoderdata",
        name: "bigcode/starcoderdata",
        real: true,
        kind: "pretrain",
        tokens: 25e10,
        samples: 206e6,
        domains: [
          {
            name: "code",
            weight: 0.86
          },
          {
            name: "github-issues",
            weight: 0.07
          },
          {
            name: "jupyter",
            weight: 0.04
          },
          {
            name: "git-commits",
            weight: 0.03
          }
        ],
        path: "s3://ml-datasets/starcoderdata/train"
      },
      {
        id: "proof-pile-2",
        name: "EleutherAI/proof-pile-2",
        real: true,
        kind: "pretrain",
        tokens: 55e9,
        samples: 112e5,
        domains: [
          {
            name: "academic",
            weight: 0.527
          },
          {
            name: "math-web",
            weight: 0.273
          },
          {
            name: "code",
            weight: 0.2
          }
        ],
        path: "/lustre/datasets/proof-pile-2/tokenized"
      },
      {
        id: "open-web-math",
        name: "open-web-math/open-web-math",
        real: true,
        kind: "pretrain",
        tokens: 147e8,
        samples: 63e5,
        domains: [
          {
            name: "math-web",
            weight: 1
          }
        ],
        path: "/lustre/datasets/open-web-math/tokenized"
      },
      {
        id: "wikipedia-en",
        name: "wikimedia/wikipedia",
        real: true,
        kind: "pretrain",
        tokens: 52e8,
        samples: 6407814,
        domains: [
          {
            name: "wiki",
            weight: 1
          }
        ],
        path: "/mnt/weka/datasets/wikipedia/20231101.en"
      },
      {
        id: "tinystories",
        name: "roneneldan/TinyStories",
        real: true,
        kind: "pretrain",
        tokens: 47e7,
        samples: 2119719,
        domains: [
          {
            name: "stories",
            weight: 1
          }
        ],
        path: "/mnt/weka/datasets/tinystories/train"
      },
      {
        id: "cosmopedia",
        name: "HuggingFaceTB/cosmopedia",
        real: true,
        kind: "pretrain",
        tokens: 25e9,
        samples: 3e7,
        domains: [
          {
            name: "textbooks",
            weight: 0.45
          },
          {
            name: "stories",
            weight: 0.22
          },
          {
            name: "blogposts",
            weight: 0.2
          },
          {
            name: "wikihow",
            weight: 0.07
          },
          {
            name: "math",
            weight: 0.06
          }
        ],
        path: "s3://ml-datasets/cosmopedia/v0.1/tokenized"
      },
      {
        id: "alpaca",
        name: "tatsu-lab/alpaca",
        real: true,
        kind: "finetune",
        tokens: 117e5,
        samples: 52002,
        domains: [
          {
            name: "instructions",
            weight: 1
          }
        ],
        path: "/lustre/datasets/sft/alpaca/train.jsonl"
      },
      {
        id: "openhermes-2.5",
        name: "teknium/OpenHermes-2.5",
        real: true,
        kind: "finetune",
        tokens: 42e7,
        samples: 1001551,
        domains: [
          {
            name: "chat",
            weight: 0.45
          },
          {
            name: "code",
            weight: 0.2
          },
          {
            name: "math",
            weight: 0.15
          },
          {
            name: "reasoning",
            weight: 0.15
          },
          {
            name: "roleplay",
            weight: 0.05
          }
        ],
        path: "/lustre/datasets/sft/openhermes-2.5/train.jsonl"
      },
      {
        id: "ultrachat-200k",
        name: "HuggingFaceH4/ultrachat_200k",
        real: true,
        kind: "finetune",
        tokens: 29e7,
        samples: 207865,
        domains: [
          {
            name: "world-questions",
            weight: 0.4
          },
          {
            name: "writing",
            weight: 0.35
          },
          {
            name: "rewriting",
            weight: 0.25
          }
        ],
        path: "s3://ml-datasets/sft/ultrachat_200k/train_sft"
      },
      {
        id: "slimorca",
        name: "Open-Orca/SlimOrca",
        real: true,
        kind: "finetune",
        tokens: 205e6,
        samples: 517982,
        domains: [
          {
            name: "reasoning",
            weight: 0.6
          },
          {
            name: "chat",
            weight: 0.25
          },
          {
            name: "math",
            weight: 0.15
          }
        ],
        path: "/lustre/datasets/sft/slimorca/train.jsonl"
      },
      {
        id: "dolly-15k",
        name: "databricks/databricks-dolly-15k",
        real: true,
        kind: "finetune",
        tokens: 31e5,
        samples: 15011,
        domains: [
          {
            name: "open-qa",
            weight: 0.396
          },
          {
            name: "extraction",
            weight: 0.179
          },
          {
            name: "classification",
            weight: 0.142
          },
          {
            name: "closed-qa",
            weight: 0.118
          },
          {
            name: "brainstorming",
            weight: 0.118
          },
          {
            name: "creative-writing",
            weight: 0.047
          }
        ],
        path: "/lustre/datasets/sft/dolly-15k/train.jsonl"
      },
      {
        id: "metamathqa",
        name: "meta-math/MetaMathQA",
        real: true,
        kind: "finetune",
        tokens: 98e6,
        samples: 395e3,
        domains: [
          {
            name: "gsm8k-augmented",
            weight: 0.608
          },
          {
            name: "math-augmented",
            weight: 0.392
          }
        ],
        path: "/lustre/datasets/sft/metamathqa/train.jsonl"
      },
      {
        id: "tulu-3-sft",
        name: "allenai/tulu-3-sft-mixture",
        real: true,
        kind: "finetune",
        tokens: 8e8,
        samples: 939344,
        domains: [
          {
            name: "chat",
            weight: 0.35
          },
          {
            name: "math",
            weight: 0.3
          },
          {
            name: "code",
            weight: 0.12
          },
          {
            name: "instruction-following",
            weight: 0.1
          },
          {
            name: "safety",
            weight: 0.08
          },
          {
            name: "multilingual",
            weight: 0.05
          }
        ],
        path: "gs://sft-corpora/tulu-3-sft-mixture/train"
      },
      {
        id: "closed-as-duplicate-2b",
        name: "devforum-archive/Closed-As-Duplicate-2B",
        real: false,
        kind: "pretrain",
        tokens: 2e9,
        samples: 68e5,
        domains: [
          {
            name: "questions-already-asked",
            weight: 0.62
          },
          {
            name: "have-you-read-the-docs",
            weight: 0.23
          },
          {
            name: "accepted-answers-from-2011",
            weight: 0.15
          }
        ],
        path: "/lustre/datasets/closed-as-duplicate/tokenized"
      },
      {
        id: "every-readme-ever",
        name: "opensource-archaeology/every-README-ever",
        real: false,
        kind: "pretrain",
        tokens: 38e9,
        samples: 61e6,
        domains: [
          {
            name: "install-steps-that-no-longer-work",
            weight: 0.41
          },
          {
            name: "license-boilerplate",
            weight: 0.23
          },
          {
            name: "badges",
            weight: 0.19
          },
          {
            name: "todo-write-docs",
            weight: 0.17
          }
        ],
        path: "s3://ml-datasets/every-readme-ever/v3/train"
      },
      {
        id: "meetings-that-could-have-been-emails",
        name: "corp-comms/Meeting-Transcripts-That-Could-Have-Been-Emails",
        real: false,
        kind: "pretrain",
        tokens: 74e9,
        samples: 41e6,
        domains: [
          {
            name: "circling-back",
            weight: 0.25
          },
          {
            name: "you-are-on-mute",
            weight: 0.22
          },
          {
            name: "waiting-for-people-to-join",
            weight: 0.2
          },
          {
            name: "can-everyone-see-my-screen",
            weight: 0.18
          },
          {
            name: "action-items-nobody-owns",
            weight: 0.15
          }
        ],
        path: "/lustre/datasets/meeting-transcripts/tokenized"
      },
      {
        id: "corporate-jargon-synergy-50b",
        name: "synergy-labs/Corporate-Jargon-Synergy-50B",
        real: false,
        kind: "pretrain",
        tokens: 5e10,
        samples: 92e6,
        domains: [
          {
            name: "slide-decks",
            weight: 0.35
          },
          {
            name: "all-hands-memos",
            weight: 0.25
          },
          {
            name: "thought-leadership-posts",
            weight: 0.22
          },
          {
            name: "quarterly-okrs",
            weight: 0.1
          },
          {
            name: "mission-statements",
            weight: 0.08
          }
        ],
        path: "gs://pretrain-corpora/synergy-50b/leveraged"
      },
      {
        id: "confidently-wrong-forums",
        name: "hot-takes-collective/Confidently-Wrong-Forums-18B",
        real: false,
        kind: "pretrain",
        tokens: 18e9,
        samples: 24e7,
        domains: [
          {
            name: "well-actually",
            weight: 0.4
          },
          {
            name: "source-trust-me",
            weight: 0.3
          },
          {
            name: "armchair-expertise",
            weight: 0.3
          }
        ],
        path: "/lustre/datasets/confidently-wrong/tokenized"
      },
      {
        id: "todo-fix-later-12b",
        name: "legacy-code-foundation/TODO-Fix-Later-12B",
        real: false,
        kind: "pretrain",
        tokens: 12e9,
        samples: 41e7,
        domains: [
          {
            name: "todo",
            weight: 0.45
          },
          {
            name: "fixme",
            weight: 0.25
          },
          {
            name: "hack",
            weight: 0.18
          },
          {
            name: "do-not-touch",
            weight: 0.12
          }
        ],
        path: "s3://ml-datasets/todo-fix-later/train"
      },
      {
        id: "commit-messages-fixed-stuff",
        name: "vcs-archive/Commit-Messages-Fixed-Stuff-4B",
        real: false,
        kind: "pretrain",
        tokens: 42e8,
        samples: 19e8,
        domains: [
          {
            name: "fix",
            weight: 0.31
          },
          {
            name: "revert-revert",
            weight: 0.25
          },
          {
            name: "wip",
            weight: 0.24
          },
          {
            name: "final-final-v2",
            weight: 0.11
          },
          {
            name: "asdf",
            weight: 0.09
          }
        ],
        path: "/mnt/weka/datasets/commit-messages/tokenized"
      },
      {
        id: "terms-nobody-read-80b",
        name: "legalese-collective/Terms-And-Conditions-Nobody-Read-80B",
        real: false,
        kind: "pretrain",
        tokens: 8e10,
        samples: 75e5,
        domains: [
          {
            name: "eula",
            weight: 0.4
          },
          {
            name: "privacy-policies",
            weight: 0.35
          },
          {
            name: "cookie-banners",
            weight: 0.25
          }
        ],
        path: "/lustre/datasets/terms-nobody-read/tokenized"
      },
      {
        id: "recipe-blog-life-stories",
        name: "long-scroll-kitchen/Recipe-Blogs-Life-Story-First-30B",
        real: false,
        kind: "pretrain",
        tokens: 3e10,
        samples: 14e6,
        domains: [
          {
            name: "grandmas-autumn-memories",
            weight: 0.71
          },
          {
            name: "comments-i-replaced-the-flour",
            weight: 0.18
          },
          {
            name: "ingredient-lists",
            weight: 0.09
          },
          {
            name: "jump-to-recipe",
            weight: 0.02
          }
        ],
        path: "s3://ml-datasets/recipe-blogs/train"
      },
      {
        id: "per-my-last-email",
        name: "passive-aggressive-ai/Per-My-Last-Email-Instruct",
        real: false,
        kind: "finetune",
        tokens: 16e7,
        samples: 412e3,
        domains: [
          {
            name: "polite-escalation",
            weight: 0.5
          },
          {
            name: "gentle-reminders",
            weight: 0.3
          },
          {
            name: "cc-your-manager",
            weight: 0.2
          }
        ],
        path: "/lustre/datasets/sft/per-my-last-email/train.jsonl"
      },
      {
        id: "reply-all-apologies",
        name: "inbox-zero-labs/Reply-All-Apologies-SFT",
        real: false,
        kind: "finetune",
        tokens: 21e6,
        samples: 88e3,
        domains: [
          {
            name: "please-remove-me",
            weight: 0.55
          },
          {
            name: "stop-replying-all",
            weight: 0.35
          },
          {
            name: "sorry-wrong-thread",
            weight: 0.1
          }
        ],
        path: "/lustre/datasets/sft/reply-all-apologies/train.jsonl"
      },
      {
        id: "works-on-my-machine",
        name: "devops-denial/Works-On-My-Machine-Chat",
        real: false,
        kind: "finetune",
        tokens: 19e7,
        samples: 26e4,
        domains: [
          {
            name: "code",
            weight: 0.45
          },
          {
            name: "blame-the-cache",
            weight: 0.25
          },
          {
            name: "containerize-it",
            weight: 0.2
          },
          {
            name: "delete-node-modules",
            weight: 0.1
          }
        ],
        path: "s3://ml-datasets/sft/works-on-my-machine/train"
      },
      {
        id: "turn-it-off-and-on-again",
        name: "helpdesk-heroes/Turn-It-Off-And-On-Again-SFT",
        real: false,
        kind: "finetune",
        tokens: 31e7,
        samples: 12e5,
        domains: [
          {
            name: "have-you-tried-restarting",
            weight: 0.6
          },
          {
            name: "is-it-plugged-in",
            weight: 0.25
          },
          {
            name: "cannot-reproduce",
            weight: 0.15
          }
        ],
        path: "/lustre/datasets/sft/turn-it-off-and-on/train.jsonl"
      },
      {
        id: "story-point-estimates",
        name: "agile-ish/Story-Point-Estimates-Instruct",
        real: false,
        kind: "finetune",
        tokens: 4e7,
        samples: 15e4,
        domains: [
          {
            name: "its-a-3",
            weight: 0.3
          },
          {
            name: "needs-a-spike",
            weight: 0.25
          },
          {
            name: "its-an-8-actually",
            weight: 0.25
          },
          {
            name: "fibonacci-arguments",
            weight: 0.2
          }
        ],
        path: "gs://sft-corpora/story-points/train"
      }
    ];
  }
});

// src/sim/catalog.ts
function normalise(name) {
  return name.trim().toLowerCase().replace(/[\s_]+/g, "-");
}
function findGpu(name) {
  const key = normalise(name);
  return GPUS.find((g) => g.id === key || g.aliases.includes(key) || normalise(g.name) === key || normalise(g.name).replace(/^(nvidia|amd-instinct)-/, "") === key);
}
function findModel(name) {
  const key = normalise(name);
  return MODELS.find((m) => m.id === key || normalise(m.name) === key);
}
function findDataset(name) {
  const key = normalise(name);
  return DATASETS.find((d) => d.id === key || normalise(d.name) === key);
}
var GPUS, MODELS, DATASETS;
var init_catalog = __esm({
  "src/sim/catalog.ts"() {
    init_gpus();
    init_models();
    init_datasets();
    GPUS = gpus_default;
    MODELS = models_default;
    DATASETS = datasets_default;
  }
});

// src/style/names.ts
function autoStyleName(cfg) {
  const s = cfg.plan.strategy;
  if (s === "megatron") return "megatron";
  if (cfg.task === "finetune" && cfg.model.params <= HF_MAX_PARAMS) return "hf";
  if (s.startsWith("zero")) return "deepspeed";
  if (s === "ddp") return "nanogpt";
  return cfg.task === "pretrain" ? "torchrun" : "lightning";
}
var STYLE_NAMES, HF_MAX_PARAMS;
var init_names = __esm({
  "src/style/names.ts"() {
    STYLE_NAMES = [
      "torchrun",
      "megatron",
      "deepspeed",
      "hf",
      "lightning",
      "nanogpt",
      "native"
    ];
    HF_MAX_PARAMS = 2e10;
  }
});

// src/sim/rng.ts
function hashString(text) {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return h >>> 0;
}
function mix32(...values) {
  let h = 2654435769;
  for (const v of values) {
    h = Math.imul(h ^ v >>> 0, 2246822507);
    h ^= h >>> 13;
    h = Math.imul(h, 3266489909);
    h ^= h >>> 16;
  }
  return h >>> 0;
}
function hashUnit(...values) {
  return mix32(...values) / 4294967296;
}
function createRng(seed, label2 = "") {
  const base = mix32(seed >>> 0, hashString(label2));
  let a = mix32(base, 1), b = mix32(base, 2), c = mix32(base, 3), d = 1;
  const next = () => {
    const t = (a + b | 0) + d | 0;
    d = d + 1 | 0;
    a = b ^ b >>> 9;
    b = c + (c << 3) | 0;
    c = c << 21 | c >>> 11;
    c = c + t | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 12; i++) next();
  let spare = null;
  const rng = {
    next,
    range: (lo, hi) => lo + (hi - lo) * next(),
    int: (lo, hi) => lo + Math.floor((hi - lo + 1) * next()),
    normal() {
      if (spare !== null) {
        const s = spare;
        spare = null;
        return s;
      }
      const u = 1 - next();
      const v = next();
      const r = Math.sqrt(-2 * Math.log(u));
      spare = r * Math.sin(2 * Math.PI * v);
      return r * Math.cos(2 * Math.PI * v);
    },
    chance: (p) => next() < p,
    pick: (items) => items[Math.floor(next() * items.length)],
    weighted(items, weights) {
      const total = weights.reduce((s, w) => s + w, 0);
      let r = next() * total;
      for (let i = 0; i < items.length; i++) {
        r -= weights[i];
        if (r < 0) return items[i];
      }
      return items[items.length - 1];
    },
    hex(n) {
      let out = "";
      while (out.length < n) out += Math.floor(next() * 4294967296).toString(16).padStart(8, "0");
      return out.slice(0, n);
    }
  };
  return rng;
}
var init_rng = __esm({
  "src/sim/rng.ts"() {
  }
});

// src/sim/model/throughput.ts
function flopsPerToken(params, layers, hidden, seqLen) {
  return 6 * params + 12 * layers * hidden * seqLen;
}
function peakTflops(gpu, precision) {
  return precision === "fp8" && gpu.fp8Tflops ? gpu.fp8Tflops : gpu.bf16Tflops;
}
function tokensPerSec(mfu, peak, gpus, flopsPerTok) {
  return mfu * peak * 1e12 * gpus / flopsPerTok;
}
function tflopsPerGpu(tokPerSec, flopsPerTok, gpus) {
  return tokPerSec * flopsPerTok / gpus / 1e12;
}
var init_throughput = __esm({
  "src/sim/model/throughput.ts"() {
  }
});

// src/sim/model/comm.ts
function busBandwidthGBps(gpu, nodes) {
  if (nodes <= 1) return gpu.intraBusbwGBps;
  const network = gpu.nicsPerNode * gpu.nicGBps * 0.95;
  return Math.min(gpu.intraBusbwGBps, network) * (1 - 0.03 * Math.log2(nodes));
}
function allReduceAlgo(gpu, nodes) {
  if (nodes === 1) return gpu.arch === "Hopper" || gpu.arch === "Blackwell" ? "NVLS" : "Ring";
  return nodes >= 32 ? "Tree" : "Ring";
}
function achievedBusbw(bytes, ranks, seconds) {
  if (ranks <= 1 || seconds <= 0) return 0;
  return 2 * (ranks - 1) / ranks * bytes / seconds / 1e9;
}
var init_comm = __esm({
  "src/sim/model/comm.ts"() {
  }
});

// src/sim/names.ts
function stackFor(gpu) {
  if (gpu.vendor === "amd") return [
    "2.5.1+rocm6.2",
    "2.20.5+hip6.2"
  ];
  switch (gpu.cuda) {
    case "12.2":
      return [
        "2.3.1+cu121",
        `2.18.6+cuda${gpu.cuda}`
      ];
    case "12.4":
      return [
        "2.4.1+cu124",
        `2.21.5+cuda${gpu.cuda}`
      ];
    case "12.6":
      return [
        "2.6.0+cu126",
        `2.23.4+cuda${gpu.cuda}`
      ];
    case "12.8":
      return [
        "2.7.1+cu128",
        `2.26.2+cuda${gpu.cuda}`
      ];
    default:
      return [
        "2.8.0+cu129",
        `2.27.3+cuda${gpu.cuda}`
      ];
  }
}
function drawCluster(rng, nodes, gpu) {
  const [torchVersion, ncclVersion] = stackFor(gpu);
  const prefix = rng.pick(PREFIXES);
  const subnet = `10.${rng.int(1, 250)}.${rng.int(0, 63) * 4}`;
  return {
    hostPrefix: `${prefix}-${rng.pick([
      "",
      "a",
      "b",
      "p",
      "h"
    ])}${rng.int(1, 9)}`,
    hostDigits: nodes >= 1e3 ? 5 : 3,
    masterAddr: `${subnet}.${rng.int(2, 250)}`,
    masterPort: rng.chance(0.5) ? 29500 : rng.int(2e4, 4e4),
    subnet,
    jobId: rng.int(1e5, 9999999),
    user: rng.pick(USERS),
    partition: rng.pick(PARTITIONS),
    torchVersion,
    ncclVersion,
    pythonVersion: rng.pick([
      "3.10.14",
      "3.11.9",
      "3.11.10",
      "3.12.7"
    ]),
    ckptRoot: rng.pick([
      "/checkpoints",
      "/lustre/ckpt",
      "/mnt/weka/ckpt",
      "/fsx/checkpoints"
    ]),
    venv: rng.pick([
      "/opt/conda/bin/python",
      "/usr/bin/python3",
      "/opt/venv/bin/python"
    ]),
    script: rng.pick(SCRIPTS),
    pids: rng.int(2e3, 9e4)
  };
}
function hostName(c, index) {
  return `${c.hostPrefix}${String(index + 1).padStart(c.hostDigits, "0")}`;
}
function hostAddr(c, index) {
  const host = 10 + index;
  return `${c.subnet.split(".").slice(0, 2).join(".")}.${Number(c.subnet.split(".")[2]) + Math.floor(host / 250)}.${host % 250}`;
}
var PREFIXES, USERS, PARTITIONS, SCRIPTS;
var init_names2 = __esm({
  "src/sim/names.ts"() {
    PREFIXES = [
      "gpu",
      "hgx",
      "dgx",
      "node",
      "trn",
      "cw",
      "a3",
      "nid",
      "compute",
      "sxm"
    ];
    USERS = [
      "mlops",
      "train",
      "jlee",
      "aparikh",
      "svc-pretrain",
      "research",
      "hpc-llm",
      "kfischer"
    ];
    PARTITIONS = [
      "gpu",
      "batch",
      "pretrain",
      "hero",
      "h100-prod",
      "priority",
      "large"
    ];
    SCRIPTS = [
      "train.py",
      "pretrain_gpt.py",
      "run_clm.py",
      "train_llm.py",
      "finetune.py"
    ];
  }
});

// src/style/units.ts
function thousands(n) {
  return Math.round(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}
function formatParams(n) {
  if (n >= 1e12) return `${(n / 1e12).toFixed(2)}T`;
  if (n >= 1e9) return `${(n / 1e9).toFixed(n >= 1e11 ? 0 : n >= 1e10 ? 1 : 2)}B`;
  if (n >= 1e6) return `${Math.round(n / 1e6)}M`;
  return thousands(n);
}
function formatTokens(n) {
  if (n >= 1e12) return `${(n / 1e12).toFixed(2)}T`;
  if (n >= 1e9) return `${(n / 1e9).toFixed(n >= 1e11 ? 0 : 1)}B`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)}k`;
  return String(Math.round(n));
}
function formatBytes(bytes) {
  const units = [
    "B",
    "KiB",
    "MiB",
    "GiB",
    "TiB",
    "PiB"
  ];
  let v = bytes, i = 0;
  while (v >= 1024 && i < units.length - 1) v /= 1024, i++;
  return i === 0 ? `${Math.round(v)} B` : `${v.toFixed(v >= 100 ? 0 : v >= 10 ? 1 : 2)} ${units[i]}`;
}
function formatRate(n) {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)}G`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)}k`;
  return n.toFixed(1);
}
function formatDuration(seconds) {
  if (!Number.isFinite(seconds) || seconds < 0) return "?";
  const s = Math.round(seconds);
  const d = Math.floor(s / 86400);
  const h = Math.floor(s % 86400 / 3600);
  const m = Math.floor(s % 3600 / 60);
  const sec = s % 60;
  const mmss = `${String(m).padStart(2, "0")}:${String(sec).padStart(2, "0")}`;
  if (d > 0) return `${d}-${String(h).padStart(2, "0")}:${mmss}`;
  return `${h}:${mmss}`;
}
function formatClock(seconds) {
  if (!Number.isFinite(seconds) || seconds < 0) return "?";
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const mmss = `${String(Math.floor(s % 3600 / 60)).padStart(2, "0")}:${String(s % 60).padStart(2, "0")}`;
  return h > 0 ? `${h}:${mmss}` : mmss;
}
function formatSeconds(seconds) {
  if (seconds < 10) return `${seconds.toFixed(2)} s`;
  if (seconds < 120) return `${seconds.toFixed(1)} s`;
  return `${Math.floor(seconds / 60)}m ${String(Math.round(seconds % 60)).padStart(2, "0")}s`;
}
function formatExp(value, digits) {
  const text = value.toExponential(digits);
  const e = text.lastIndexOf("e");
  return e >= 0 && e === text.length - 3 ? `${text.slice(0, e + 2)}0${text.slice(e + 2)}` : text;
}
function formatLr(lr) {
  return formatExp(lr, 3);
}
var init_units = __esm({
  "src/style/units.ts"() {
  }
});

// src/style/meter.ts
function blockBar(fraction, width) {
  const f = Math.min(1, Math.max(0, fraction));
  const cells2 = f * width;
  const full = Math.floor(cells2);
  const part = Math.floor((cells2 - full) * 8);
  const tail = full < width ? EIGHTHS[part] + " ".repeat(width - full - 1) : "";
  return "\u2588".repeat(full) + tail;
}
function formatIterRate(perSecond, unit = "it") {
  if (!Number.isFinite(perSecond) || perSecond <= 0) return `?${unit}/s`;
  return perSecond >= 1 ? `${perSecond.toFixed(2)}${unit}/s` : `${(1 / perSecond).toFixed(2)}s/${unit}`;
}
function meterLine(label2, done, total, elapsedS, width = 20, unit = "it") {
  const fraction = total > 0 ? done / total : 0;
  const rate = elapsedS > 0 && done > 0 ? done / elapsedS : NaN;
  const remaining = Number.isFinite(rate) ? (total - done) / rate : NaN;
  const pct2 = `${Math.floor(fraction * 100)}%`.padStart(4);
  return `${label2}: ${pct2}|${blockBar(fraction, width)}| ${done}/${total} [${formatClock(elapsedS)}<${formatClock(remaining)}, ${formatIterRate(rate, unit)}]`;
}
var EIGHTHS;
var init_meter = __esm({
  "src/style/meter.ts"() {
    init_units();
    EIGHTHS = [
      " ",
      "\u258F",
      "\u258E",
      "\u258D",
      "\u258C",
      "\u258B",
      "\u258A",
      "\u2589"
    ];
  }
});

// src/sim/timeline.ts
function createTimeline(cfg, cadence) {
  return {
    cfg,
    simMs: cfg.startMs,
    nextTickMs: cfg.startMs + cadence.initMs,
    cadence,
    everyMs: cadence.initMs,
    memGiB: cfg.plan.memory.totalGiB,
    downNodes: []
  };
}
function setCadence(t, everyMs) {
  t.everyMs = everyMs;
  t.nextTickMs = Math.min(t.nextTickMs, t.simMs + everyMs);
}
function intensityFor(activity, cfg) {
  if (activity === "train") return Math.min(0.93, 0.74 + 0.04 * Math.log10(cfg.model.params / 1e8));
  if (activity === "val") return 0.7;
  if (activity === "hang") return 0.25;
  if (activity === "load" || activity === "ckpt" || activity === "export") return 0.3;
  return 0;
}
function tickEvent(t, simMs, activity, loadFraction = 1) {
  return {
    type: "tick",
    simMs,
    report: true,
    tick: {
      activity,
      intensity: intensityFor(activity, t.cfg),
      memGiB: t.memGiB,
      loadFraction,
      ...t.downNodes.length > 0 ? {
        downNodes: [
          ...t.downNodes
        ]
      } : {}
    }
  };
}
function* advance(t, dtMs, activity, loadFraction = 1) {
  const end = t.simMs + Math.max(0, dtMs);
  while (t.nextTickMs <= end) {
    yield tickEvent(t, t.nextTickMs, activity, loadFraction);
    t.nextTickMs += t.everyMs;
  }
  t.simMs = end;
}
function moveClock(t, dtMs) {
  const end = t.simMs + Math.max(0, dtMs);
  if (t.nextTickMs <= end) return false;
  t.simMs = end;
  return true;
}
function logLine(t, key, msg, level2 = "info", bar) {
  return {
    type: "log",
    simMs: t.simMs,
    level: level2,
    msg,
    key,
    ...bar ? {
      bar
    } : {}
  };
}
function* progress(t, id, label2, total, unit, totalMs, activity, maxUpdates = 12) {
  const updates = Math.max(1, Math.min(total, maxUpdates));
  const startMs = t.simMs;
  let done = 0;
  for (let i = 1; i <= updates; i++) {
    const next = Math.round(total * i / updates);
    yield* advance(t, totalMs * (next - done) / total, activity, next / total);
    done = next;
    const msg = meterLine(label2, done, total, (t.simMs - startMs) / 1e3, 20, unit);
    yield logLine(t, `${id}.progress`, msg, "info", {
      id,
      label: label2,
      done,
      total,
      unit
    });
  }
}
var init_timeline = __esm({
  "src/sim/timeline.ts"() {
    init_meter();
  }
});

// src/sim/phases/launch.ts
function launchCommand(cfg) {
  const c = cfg.cluster;
  const flags = [
    `--model ${cfg.model.hf}`,
    `--dataset ${cfg.dataset.name}`,
    `--seq-len ${cfg.seqLen}`,
    `--micro-batch-size ${cfg.plan.microBatch}`,
    `--global-batch-size ${cfg.globalBatch}`,
    `--lr ${cfg.lrMax}`,
    `--warmup-steps ${cfg.warmupSteps}`,
    `--epochs ${cfg.epochs}`,
    `--${cfg.precision}`,
    strategyFlag(cfg),
    `--seed ${cfg.seed}`,
    `--save ${cfg.outputDir}`,
    ...cfg.resumeStep > 0 ? [
      `--resume-from ${cfg.outputDir}/checkpoint-${cfg.resumeStep}`
    ] : []
  ];
  return `srun --nodes=${cfg.nodes} --ntasks-per-node=1 --gpus-per-node=${cfg.gpusPerNode} torchrun --nnodes=${cfg.nodes} --nproc_per_node=${cfg.gpusPerNode} --rdzv_backend=c10d --rdzv_endpoint=${c.masterAddr}:${c.masterPort} ${c.script} ${flags.join(" ")}`;
}
function strategyFlag(cfg) {
  const p = cfg.plan;
  switch (p.strategy) {
    case "ddp":
      return "--ddp";
    case "fsdp":
      return "--fsdp full_shard";
    case "megatron":
      return `--tensor-parallel ${p.tp} --pipeline-parallel ${p.pp} --use-distributed-optimizer`;
    default:
      return `--zero-stage ${p.strategy.slice(4)}`;
  }
}
function workerPid(cfg, node, local) {
  return cfg.cluster.pids + node * 97 + local;
}
function ncclPrefix(cfg, node, local) {
  const pid = workerPid(cfg, node, local);
  return `${hostName(cfg.cluster, node)}:${pid}:${pid + 71} [${local}]`;
}
function* launchPhase(t, rng) {
  const cfg = t.cfg;
  const c = cfg.cluster;
  const lib = cfg.gpu.vendor === "amd" ? "RCCL" : "NCCL";
  yield logLine(t, "launch", `+ ${launchCommand(cfg)}`);
  yield* advance(t, rng.range(800, 2500), "idle");
  yield logLine(t, "launch.job", `SLURM_JOB_ID=${c.jobId} partition=${c.partition} user=${c.user} nodes=${cfg.nodes} nodelist=${nodeList(cfg)}`);
  yield logLine(t, "torchrun.omp", "Setting OMP_NUM_THREADS environment variable for each process to be 1 in default, to avoid your system being overloaded, please further tune the variable for optimal performance in your application as needed.", "warn");
  yield* advance(t, rng.range(2e3, 9e3), "idle");
  yield logLine(t, "torchrun.rdzv", `[default] Rendezvous complete for workers. restart_count=0 master_addr=${c.masterAddr} master_port=${c.masterPort} group_world_size=${cfg.nodes} local_world_size=${cfg.gpusPerNode} world_size=${cfg.worldSize}`);
  yield logLine(t, "torchrun.start", "[default] Starting worker group");
  yield* advance(t, rng.range(3e3, 8e3), "idle");
  yield logLine(t, "dist.init", `Initializing torch.distributed: backend=nccl init_method=env:// MASTER_ADDR=${c.masterAddr} MASTER_PORT=${c.masterPort} WORLD_SIZE=${cfg.worldSize} nodes=${cfg.nodes} gpus_per_node=${cfg.gpusPerNode}`);
  yield logLine(t, "dist.versions", `torch ${c.torchVersion}, python ${c.pythonVersion}, ${lib} ${c.ncclVersion}`);
  yield* ncclInit(t, rng, lib);
}
function* ncclInit(t, rng, lib) {
  const cfg = t.cfg;
  const c = cfg.cluster;
  const p0 = ncclPrefix(cfg, 0, 0);
  const nic = cfg.gpu.vendor === "amd" ? "bnxt_re" : "mlx5";
  const transport = cfg.gpu.vendor === "amd" ? "RoCE" : "IB";
  yield logLine(t, "nccl.bootstrap", `${p0} NCCL INFO Bootstrap : Using ib0:${hostAddr(c, 0)}<0>`);
  yield logLine(t, "nccl.version", `${p0} NCCL INFO ${lib} version ${c.ncclVersion}`);
  const nics = Array.from({
    length: cfg.gpu.nicsPerNode
  }, (_, i) => `[${i}]${nic}_${i}:1/${transport}`);
  yield logLine(t, "nccl.net", `${p0} NCCL INFO NET/IB : Using ${nics.join(" ")} [RO]; OOB ib0:${hostAddr(c, 0)}<0>`);
  const comm = `0x${rng.hex(12)}`;
  const commId = `0x${rng.hex(16)}`;
  const shown = Math.min(cfg.worldSize, 6);
  for (let i = 0; i < shown; i++) {
    const rank = i === 0 ? 0 : rng.int(1, cfg.worldSize - 1);
    const node = Math.floor(rank / cfg.gpusPerNode), local = rank % cfg.gpusPerNode;
    yield* advance(t, rng.range(5, 60), "idle");
    yield logLine(t, "nccl.init", `${ncclPrefix(cfg, node, local)} NCCL INFO ncclCommInitRank comm 0x${rng.hex(12)} rank ${rank} nranks ${cfg.worldSize} cudaDev ${local} busId ${busId(local)} commId ${commId} - Init START`);
  }
  const channels = cfg.nodes > 1 ? 16 : 24;
  for (let ch = 0; ch < Math.min(channels, 4); ch++) {
    yield logLine(t, "nccl.channel", `${p0} NCCL INFO Channel ${pad2(ch)}/${channels} : ${ringOrder(cfg, ch)}`);
  }
  yield* advance(t, rng.range(200, 1500) * Math.log2(cfg.nodes + 1), "idle");
  yield logLine(t, "nccl.rings", `${p0} NCCL INFO Connected all rings`);
  yield logLine(t, "nccl.trees", `${p0} NCCL INFO Connected all trees`);
  yield logLine(t, "nccl.channels", `${p0} NCCL INFO ${channels} coll channels, ${channels} collnet channels, 0 nvls channels, ${channels} p2p channels, 2 p2p channels per peer`);
  yield logLine(t, "nccl.done", `${p0} NCCL INFO comm ${comm} rank 0 nranks ${cfg.worldSize} cudaDev 0 busId ${busId(0)} commId ${commId} - Init COMPLETE`);
}
function pad2(n) {
  return String(n).padStart(2, "0");
}
function busId(i) {
  return [
    "18000",
    "2a000",
    "3a000",
    "5d000",
    "9a000",
    "ab000",
    "ba000",
    "db000"
  ][i % 8];
}
function ringOrder(cfg, ch) {
  const g = cfg.gpusPerNode;
  const order = [];
  for (let k = 0; k < Math.min(cfg.worldSize, 16); k++) {
    const node = Math.floor(k / g), local = (k + ch) % g;
    order.push(node * g + local);
  }
  return order.map((r) => String(r).padStart(4)).join("") + (cfg.worldSize > 16 ? " ..." : "");
}
function nodeList(cfg) {
  const c = cfg.cluster;
  if (cfg.nodes === 1) return hostName(c, 0);
  const digits = (i) => hostName(c, i).slice(-c.hostDigits);
  return `${c.hostPrefix}[${digits(0)}-${digits(cfg.nodes - 1)}]`;
}
var init_launch = __esm({
  "src/sim/phases/launch.ts"() {
    init_names2();
    init_timeline();
  }
});

// src/sim/model/loss.ts
function chinchillaLoss(params, tokens) {
  const c = CHINCHILLA;
  return c.e + c.a / params ** c.alpha + c.b / Math.max(1, tokens) ** c.beta;
}
function expectedLoss(c, step) {
  if (c.kind === "pretrain") {
    const lnV = Math.log(c.vocab);
    const law = Math.min(lnV, chinchillaLoss(c.params, step * c.tokensPerStep));
    const efolds = (step - 1) / PRETRAIN_FAST_STEPS;
    return efolds > NEGLIGIBLE_EFOLDS ? law : law + (lnV - law) * Math.exp(-efolds);
  }
  const tau = Math.max(3, c.totalSteps * 0.03);
  const decay = (1 + (step - 1) / tau) ** -0.7;
  const epoch = Math.floor((step - 1) / c.stepsPerEpoch);
  const base = c.endLoss + (c.startLoss - c.endLoss) * decay;
  return base * (1 - c.epochDrop) ** epoch;
}
function lossNoiseSigma(c) {
  return c.kind === "pretrain" ? 0.012 : 0.05;
}
function ar1(prev, rho, sigma, normal) {
  return rho * prev + Math.sqrt(1 - rho * rho) * sigma * normal;
}
function expectedGradNorm(g, step) {
  const t = step / Math.max(1, g.totalSteps);
  const level2 = g.steady * (1 + 0.2 * t * t);
  const efolds = step / g.tauSteps;
  return efolds > NEGLIGIBLE_EFOLDS ? level2 : level2 + (g.initial - g.steady) * Math.exp(-efolds);
}
function validationLoss(c, step, epoch, noise) {
  const gap = c.kind === "pretrain" ? 0.025 + 0.01 * epoch : 0.04 + 0.09 * epoch;
  return expectedLoss(c, step) + gap + noise;
}
function tokenAccuracy(loss) {
  return Math.exp(-0.3 * loss);
}
var CHINCHILLA, PRETRAIN_FAST_STEPS, NEGLIGIBLE_EFOLDS;
var init_loss = __esm({
  "src/sim/model/loss.ts"() {
    CHINCHILLA = {
      e: 1.69,
      a: 406.4,
      b: 410.7,
      alpha: 0.34,
      beta: 0.28
    };
    PRETRAIN_FAST_STEPS = 35;
    NEGLIGIBLE_EFOLDS = 60;
  }
});

// src/sim/model/schedule.ts
function learningRate(s, step) {
  if (step <= s.warmupSteps) return s.lrMax * step / Math.max(1, s.warmupSteps);
  const span = Math.max(1, s.totalSteps - s.warmupSteps);
  const t = Math.min(1, (step - s.warmupSteps) / span);
  if (s.kind === "cosine") {
    return s.lrMin + 0.5 * (s.lrMax - s.lrMin) * (1 + Math.cos(Math.PI * t));
  }
  const decayFrom = 0.8;
  if (t <= decayFrom) return s.lrMax;
  return s.lrMax - (s.lrMax - s.lrMin) * ((t - decayFrom) / (1 - decayFrom));
}
var init_schedule = __esm({
  "src/sim/model/schedule.ts"() {
  }
});

// src/sim/phases/noise_log.ts
var INITIAL_STEPS, NoiseLog;
var init_noise_log = __esm({
  "src/sim/phases/noise_log.ts"() {
    INITIAL_STEPS = 1024;
    NoiseLog = class {
      #values = new Float64Array(3 * INITIAL_STEPS);
      #steps = 0;
      /** Steps logged. */
      get steps() {
        return this.#steps;
      }
      /** Appends a step's noise. */
      push(lossAr, white, grad) {
        if (3 * (this.#steps + 1) > this.#values.length) {
          const grown = new Float64Array(this.#values.length * 2);
          grown.set(this.#values);
          this.#values = grown;
        }
        const at = 3 * this.#steps++;
        this.#values[at] = lossAr;
        this.#values[at + 1] = white;
        this.#values[at + 2] = grad;
      }
      /** Copies the noise of step `i` (0 = the oldest) into `out`. */
      read(i, out) {
        out.lossAr = this.#values[3 * i];
        out.white = this.#values[3 * i + 1];
        out.grad = this.#values[3 * i + 2];
      }
    };
  }
});

// src/sim/phases/train_state.ts
function initialTrainState(cfg, trainStartMs) {
  const rng = createRng(cfg.seed, "train");
  const pretrain = cfg.task === "pretrain";
  const domains = cfg.dataset.domains;
  const raw = domains.map(() => rng.range(-0.12, 0.12));
  const mean = raw.reduce((s2, o, i) => s2 + o * domains[i].weight, 0);
  const s = {
    step: cfg.resumeStep,
    trainStartMs,
    warmStep: cfg.resumeStep + 1,
    lastCkpt: {
      step: cfg.resumeStep,
      simMs: trainStartMs
    },
    noiseSinceCkpt: new NoiseLog(),
    replay: null,
    faults: 0,
    stepsReplayed: 0,
    microBatch: cfg.plan.microBatch,
    gradAccum: cfg.gradAccum,
    curve: {
      kind: cfg.task,
      params: cfg.model.params,
      vocab: cfg.model.vocab,
      tokensPerStep: cfg.tokensPerStep,
      totalSteps: cfg.totalSteps,
      stepsPerEpoch: cfg.stepsPerEpoch,
      startLoss: rng.range(1.3, 2),
      endLoss: rng.range(0.45, 1),
      epochDrop: rng.range(0.05, 0.12)
    },
    gradCurve: {
      initial: pretrain ? rng.range(18, 48) : rng.range(2, 9),
      steady: pretrain ? rng.range(0.14, 0.26) : rng.range(0.35, 0.9),
      tauSteps: pretrain ? rng.range(20, 60) : rng.range(5, 20),
      totalSteps: cfg.totalSteps
    },
    schedule: scheduleOf(cfg),
    lossNoise: 0,
    gradNoise: 0,
    speedNoise: 0,
    firstStepFactor: rng.range(2.5, 7),
    emaStepS: null,
    resumePenalty: 1,
    lossScale: cfg.precision === "fp16" ? 2 ** 20 : 1,
    lossScaleFloor: 2 ** rng.int(14, 17),
    skipped: 0,
    lastLoss: Math.log(cfg.model.vocab),
    bestValLoss: Infinity,
    checkpoints: 0,
    domainOffsets: raw.map((o) => o - mean),
    rngLoss: createRng(cfg.seed, "loss"),
    rngGrad: createRng(cfg.seed, "grad"),
    rngSpeed: createRng(cfg.seed, "speed"),
    rngEvents: createRng(cfg.seed, "train-events")
  };
  if (cfg.precision === "fp16" && cfg.resumeStep > 0) s.lossScale = s.lossScaleFloor;
  return s;
}
function scheduleOf(cfg) {
  return {
    kind: cfg.schedule,
    lrMax: cfg.lrMax,
    lrMin: cfg.lrMin,
    warmupSteps: cfg.warmupSteps,
    totalSteps: cfg.totalSteps
  };
}
function steadyStepSeconds(cfg) {
  return cfg.tokensPerStep / cfg.tokensPerSecond;
}
function freshNoise(s, out) {
  out.lossAr = ar1(s.lossNoise, 0.9, lossNoiseSigma(s.curve), s.rngLoss.normal());
  out.white = 2e-3 * s.rngLoss.normal();
  out.grad = ar1(s.gradNoise, 0.8, 0.12, s.rngGrad.normal());
}
function stepNoise(s) {
  const noise = {
    lossAr: 0,
    white: 0,
    grad: 0
  };
  const r = s.replay;
  if (r && r.next < r.log.steps) r.log.read(r.next++, noise);
  else freshNoise(s, noise);
  s.noiseSinceCkpt.push(noise.lossAr, noise.white, noise.grad);
  return noise;
}
function nextStep(cfg, s, d = CALM) {
  s.step += 1;
  const step = s.step;
  const noise = stepNoise(s);
  s.lossNoise = noise.lossAr;
  s.gradNoise = noise.grad;
  const smooth = expectedLoss(s.curve, step) * Math.exp(s.lossNoise) + noise.white;
  const loss = smooth * d.lossFactor;
  const gradNorm = expectedGradNorm(s.gradCurve, step) * Math.exp(s.gradNoise) * d.gradFactor;
  s.speedNoise = ar1(s.speedNoise, 0.7, 0.012, s.rngSpeed.normal());
  const warm = step === s.warmStep ? s.firstStepFactor : 1;
  const stepS = steadyStepSeconds(cfg) * Math.exp(s.speedNoise) * warm * s.resumePenalty * d.speedFactor;
  s.resumePenalty = 1;
  const fp16 = cfg.precision === "fp16";
  const overflow2 = fp16 && (s.lossScale > s.lossScaleFloor || d.overflow);
  if (overflow2) {
    s.lossScale /= 2;
  } else if (fp16 && step % 1e3 === 0) {
    s.lossScale *= 2;
  }
  const skipped = overflow2 || d.skip;
  if (skipped) s.skipped += 1;
  if (step !== s.warmStep) {
    s.emaStepS = s.emaStepS === null ? stepS : 0.9 * s.emaStepS + 0.1 * stepS;
  }
  s.lastLoss = loss;
  const lr = skipped ? 0 : learningRate(s.schedule, step);
  return {
    loss,
    gradNorm,
    lr,
    stepS,
    overflow: overflow2,
    skipped
  };
}
function markCheckpoint(s, simMs) {
  s.lastCkpt = {
    step: s.step,
    simMs
  };
  s.noiseSinceCkpt = new NoiseLog();
}
function rollBack(s) {
  const c = s.lastCkpt;
  s.stepsReplayed += s.step - c.step;
  s.step = c.step;
  s.warmStep = c.step + 1;
  s.replay = {
    log: s.noiseSinceCkpt,
    next: 0
  };
  s.noiseSinceCkpt = new NoiseLog();
}
function etaSeconds(cfg, s, lastStepS) {
  return (s.emaStepS ?? lastStepS) * (cfg.totalSteps - s.step);
}
function domainLosses(cfg, s, loss) {
  const out = {};
  cfg.dataset.domains.forEach((d, i) => out[d.name] = loss * (1 + s.domainOffsets[i]));
  return out;
}
var CALM;
var init_train_state = __esm({
  "src/sim/phases/train_state.ts"() {
    init_rng();
    init_loss();
    init_schedule();
    init_noise_log();
    CALM = Object.freeze({
      lossFactor: 1,
      gradFactor: 1,
      speedFactor: 1,
      overflow: false,
      skip: false
    });
  }
});

// src/sim/model/storage.ts
function checkpointBytes(params) {
  return params * (2 + 12);
}
function storageBandwidthGBps(nodes, perNodeGBps, capGBps) {
  return Math.min(capGBps, nodes * perNodeGBps);
}
function writeSeconds(bytes, bandwidthGBps, fixedS = 2.5) {
  return bytes / (bandwidthGBps * 1e9) + fixedS;
}
function exportShards(params, f) {
  const total = Math.round(params * f.bytesPerParam + 1048576);
  if (f.shardBytes <= 0 || total <= f.shardBytes) return [
    total
  ];
  const count = Math.ceil(total / f.shardBytes);
  const each = Math.floor(total / count);
  return Array.from({
    length: count
  }, (_, i) => i === count - 1 ? total - each * (count - 1) : each);
}
var EXPORT_FORMATS;
var init_storage = __esm({
  "src/sim/model/storage.ts"() {
    EXPORT_FORMATS = [
      {
        format: "safetensors",
        bytesPerParam: 2,
        shardBytes: 5e9,
        extension: "safetensors"
      },
      {
        format: "gguf",
        bytesPerParam: 1.0625,
        shardBytes: 0,
        extension: "gguf"
      }
    ];
  }
});

// src/sim/disturbance.ts
function spikeFactors(f, x) {
  if (f.skip) return {
    grad: x <= 2 ? f.gradPeak ** (x / 2) : 1,
    loss: 1
  };
  const grad = x <= 3 ? f.gradPeak ** (x / 3) : 1 + (f.gradPeak - 1) * Math.exp(-(x - 3) / 1.5);
  const y = x - SPIKE_LAG_UNITS;
  const shape = y < 0 ? 0 : y <= 3 ? (y / 3) ** 2 : Math.exp(-(y - 3) / SPIKE_HEAL_UNITS);
  return {
    grad,
    loss: 1 + f.lossAmp * shape
  };
}
function disturbanceAt(plan, step) {
  let d = null;
  const get = () => d ??= {
    ...CALM
  };
  for (const f of plan.faults) {
    if (f.kind === "loss_spike") {
      const x = (step - f.startStep) / f.unitSteps;
      if (x < 0 || step > f.endStep) continue;
      const k = spikeFactors(f, x);
      get().gradFactor *= k.grad;
      get().lossFactor *= k.loss;
      if (f.skip && step === f.step) get().skip = true;
    } else if (f.kind === "straggler" && step >= f.sinceStep && step <= f.step) {
      get().speedFactor *= 1 + f.slowdown;
    } else if (f.kind === "oom" && step >= f.step) {
      get().speedFactor *= 1 + f.slowdown;
    } else if (f.kind === "fp16_overflow" && step === f.step) {
      get().overflow = true;
    } else if (f.kind === "nan" && step === f.step) {
      get().skip = true;
    }
  }
  return d ?? CALM;
}
var SPIKE_LAG_UNITS, SPIKE_HEAL_UNITS;
var init_disturbance = __esm({
  "src/sim/disturbance.ts"() {
    init_train_state();
    SPIKE_LAG_UNITS = 1;
    SPIKE_HEAL_UNITS = 5;
  }
});

// src/sim/chaos.ts
function expectedFaults(cfg) {
  const steps = cfg.totalSteps - cfg.resumeStep;
  const hours = steps * steadyStepSeconds(cfg) / 3600;
  return {
    gpu_fault: Math.min(1.5, 0.03 + 9e-6 * hours * cfg.worldSize),
    straggler: Math.min(0.8, 0.08 + 4e-5 * hours * cfg.nodes),
    loss_spike: cfg.task === "pretrain" ? Math.min(0.8, 0.15 + steps / 6e4) : 0.06,
    fp16_overflow: cfg.precision === "fp16" ? 0.4 : 0,
    nan: 0.06,
    oom: cfg.plan.microBatch >= 2 ? 0.05 : 0
  };
}
function drawChaosPlan(cfg) {
  if (cfg.chaos === "off") return {
    level: "off",
    faults: []
  };
  const rng = createRng(cfg.seed, "chaos");
  const rates = expectedFaults(cfg);
  const high = cfg.chaos === "high";
  const count = (kind) => {
    if (rates[kind] === 0) return 0;
    const n = high ? Math.min(3, 1 + poisson(rng, 2 * rates[kind])) : poisson(rng, rates[kind]);
    return kind === "oom" ? Math.min(n, Math.floor(Math.log2(cfg.plan.microBatch))) : n;
  };
  const remaining = cfg.totalSteps - cfg.resumeStep;
  const placer = createPlacer(cfg, rng);
  let budget = high ? Infinity : LOW_LINE_SHARE * (remaining / cfg.logInterval + 100);
  const faults = [];
  const order = [
    "gpu_fault",
    "straggler",
    "loss_spike",
    "oom",
    "fp16_overflow",
    "nan"
  ];
  for (const kind of order) {
    const n = high && kind === "loss_spike" ? Math.max(2, count(kind)) : count(kind);
    for (let i = 0; i < n; i++) {
      if (LINE_COST[kind] > budget) break;
      const skip = high && i < 2 ? i === 1 : rng.chance(0.35);
      const f = drawFault(kind, cfg, rng, placer, skip);
      if (!f) continue;
      faults.push(f);
      budget -= LINE_COST[kind];
    }
  }
  faults.sort((a, b) => a.step - b.step);
  return {
    level: cfg.chaos,
    faults
  };
}
function poisson(rng, mean) {
  const limit = Math.exp(-mean);
  let k = 0, p = rng.next();
  while (p > limit) k += 1, p *= rng.next();
  return k;
}
function createPlacer(cfg, rng) {
  const remaining = cfg.totalSteps - cfg.resumeStep;
  const lo = cfg.resumeStep + Math.max(10, Math.round(0.05 * remaining));
  const hi = cfg.totalSteps - Math.max(3, Math.round(0.04 * remaining));
  const spans = [];
  const free = (a, b) => spans.every(([x, y]) => b < x - 1 || a > y + 1);
  const take = (a, b) => {
    if (a < lo || b > hi || !free(a, b)) return false;
    spans.push([
      a,
      b
    ]);
    return true;
  };
  return {
    lo,
    hi,
    take,
    place(length) {
      for (let attempt = 0; attempt < 24 && hi - length >= lo; attempt++) {
        const start = rng.int(lo, hi - length);
        if (take(start, start + length)) return start;
      }
      return null;
    }
  };
}
function drawFault(kind, cfg, rng, placer, skip) {
  const rank = rng.int(0, cfg.worldSize - 1);
  switch (kind) {
    case "gpu_fault":
      return drawGpuFault(cfg, rng, placer, rank);
    case "straggler":
      return drawStraggler(cfg, rng, placer, rank);
    case "loss_spike":
      return drawSpike(cfg, rng, placer, skip);
    case "oom": {
      const step = placer.place(0);
      if (step === null) return null;
      const requestGiB = rng.range(0.5, 6);
      return {
        kind,
        step,
        rank,
        requestGiB,
        freeGiB: requestGiB * rng.range(0.05, 0.8),
        stepFraction: rng.range(0.2, 0.8),
        slowdown: rng.range(0.03, 0.08)
      };
    }
    default: {
      const step = placer.place(0);
      return step === null ? null : {
        kind,
        step,
        rank
      };
    }
  }
}
function drawGpuFault(cfg, rng, placer, rank) {
  const every = cfg.ckptInterval;
  const saves = cfg.resumeStep > 0 ? [
    cfg.resumeStep
  ] : [];
  for (let c = (Math.floor(cfg.resumeStep / every) + 1) * every; c < placer.hi; c += every) {
    saves.push(c);
  }
  for (let attempt = 0; attempt < 24 && saves.length > 0; attempt++) {
    const resumeStep = rng.pick(saves);
    const epochEnd = Math.ceil((resumeStep + 1) / cfg.stepsPerEpoch) * cfg.stepsPerEpoch;
    const first = Math.max(resumeStep + 1, placer.lo);
    const last = Math.min(resumeStep + every, epochEnd, placer.hi);
    if (last < first) continue;
    const step = rng.int(first, last);
    if (!placer.take(first, step)) continue;
    return {
      kind: "gpu_fault",
      step,
      rank,
      ecc: rng.chance(0.4),
      resumeStep,
      stepFraction: rng.range(0.1, 0.9),
      drainS: rng.range(40, 75),
      rendezvousS: rng.range(8, 25),
      ncclS: rng.range(15, 45)
    };
  }
  return null;
}
function drawStraggler(cfg, rng, placer, rank) {
  const remaining = cfg.totalSteps - cfg.resumeStep;
  const length = Math.max(3 * cfg.logInterval, Math.round(remaining * rng.range(0.02, 0.08)));
  const sinceStep = placer.place(length);
  if (sinceStep === null) return null;
  return {
    kind: "straggler",
    step: sinceStep + length,
    sinceStep,
    rank,
    slowdown: rng.range(0.02, 0.08),
    cause: rng.pick(STRAGGLER_CAUSES)
  };
}
function drawSpike(cfg, rng, placer, skip) {
  const u = cfg.logInterval;
  const pretrain = cfg.task === "pretrain";
  const gradPeak = Math.exp(pretrain ? rng.range(Math.log(40), Math.log(1500)) : rng.range(2.5, 4.4));
  const lossAmp = pretrain ? rng.range(0.15, 1.3) : rng.range(0.1, 0.6);
  const healUnits = Math.ceil(SPIKE_LAG_UNITS + 3 + SPIKE_HEAL_UNITS * Math.log(lossAmp / 0.03));
  const tailUnits = Math.ceil(SPIKE_HEAL_UNITS * Math.log(10));
  const length = skip ? 2 * u : (healUnits + tailUnits) * u;
  const found = placer.place(length + u);
  if (found === null) return null;
  const startStep = Math.ceil(found / u) * u;
  return {
    kind: "loss_spike",
    step: startStep + (skip ? 2 : SPIKE_LAG_UNITS + 3) * u,
    startStep,
    unitSteps: u,
    skip,
    gradPeak,
    lossAmp,
    recoveredStep: startStep + healUnits * u,
    endStep: startStep + length
  };
}
var LINE_COST, LOW_LINE_SHARE, STRAGGLER_CAUSES;
var init_chaos = __esm({
  "src/sim/chaos.ts"() {
    init_rng();
    init_train_state();
    init_disturbance();
    LINE_COST = {
      gpu_fault: 9,
      oom: 2,
      straggler: 1,
      loss_spike: 1,
      fp16_overflow: 1,
      nan: 1
    };
    LOW_LINE_SHARE = 0.02;
    STRAGGLER_CAUSES = [
      "HW slowdown: power brake asserted",
      "thermal slowdown at 88C",
      "SM clocks stuck at 1035 MHz"
    ];
  }
});

// src/sim/phases/faults.ts
function startChaos(plan) {
  return {
    plan,
    fired: /* @__PURE__ */ new Set(),
    restarts: 0,
    spikeGradMax: 0
  };
}
function rankPlace(cfg, rank) {
  const node = Math.floor(rank / cfg.gpusPerNode);
  return {
    rank,
    node,
    host: hostName(cfg.cluster, node),
    gpu: rank % cfg.gpusPerNode
  };
}
function faultEvent(t, s, level2, data) {
  s.faults += 1;
  return {
    type: "fault",
    simMs: t.simMs,
    level: level2,
    msg: "",
    data
  };
}
function interruptAt(run, step) {
  for (const f of run.plan.faults) {
    if (f.step !== step || run.fired.has(f) || f.kind !== "gpu_fault" && f.kind !== "oom") {
      continue;
    }
    run.fired.add(f);
    return f;
  }
  return void 0;
}
function* oomRetry(t, s, f) {
  const cfg = t.cfg;
  const where2 = rankPlace(cfg, f.rank);
  yield* advance(t, f.stepFraction * steadyStepSeconds(cfg) * 1e3, "train");
  const capGiB = cfg.gpu.memMiB / 1024;
  yield logLine(t, "fault.oom", `[rank${f.rank}]: torch.OutOfMemoryError: CUDA out of memory. Tried to allocate ${f.requestGiB.toFixed(2)} GiB. GPU ${where2.gpu} has a total capacity of ${capGiB.toFixed(2)} GiB of which ${f.freeGiB.toFixed(2)} GiB is free.`, "error");
  const before = s.microBatch;
  s.microBatch = Math.max(1, Math.floor(before / 2));
  s.gradAccum = s.gradAccum * before / s.microBatch;
  const freed = cfg.plan.memory.activationsGiB * (before - s.microBatch) / cfg.plan.microBatch;
  t.memGiB -= freed * 1.06;
  yield faultEvent(t, s, "error", {
    kind: "oom",
    step: f.step,
    ...where2,
    recovery: "reduce_micro_batch",
    cause: `allocator fragmentation at micro batch ${before}`,
    micro_batch: s.microBatch,
    grad_accum: s.gradAccum
  });
}
function stepFaults(t, s, run, n) {
  let out = null;
  for (const f of run.plan.faults) {
    if (f.kind === "loss_spike" && s.step >= f.startStep && s.step <= f.step) {
      run.spikeGradMax = Math.max(run.spikeGradMax, n.gradNorm);
    }
    if (f.kind === "loss_spike" && !f.skip && s.step === f.recoveredStep) {
      (out ??= []).push(logLine(t, "fault.recovered", `Loss back to ${n.loss.toFixed(4)} at step ${s.step}, ${s.step - f.step} steps after the spike at step ${f.step}`));
    }
    if (f.step !== s.step || run.fired.has(f)) continue;
    run.fired.add(f);
    const data = faultData(t.cfg, s, run, f, n);
    if (data) (out ??= []).push(faultEvent(t, s, "warn", data));
  }
  return out ?? NONE;
}
function faultData(cfg, s, run, f, n) {
  const step = s.step;
  switch (f.kind) {
    case "loss_spike": {
      const peak = run.spikeGradMax;
      run.spikeGradMax = 0;
      if (f.skip) {
        const mean = expectedGradNorm(s.gradCurve, step);
        const cause = `${(n.gradNorm / mean).toFixed(0)}\xD7 its running mean of ${mean.toFixed(3)}`;
        return {
          kind: f.kind,
          step,
          ...NO_RANK,
          recovery: "skip_batch",
          cause,
          grad_norm: peak
        };
      }
      const ratio = n.loss / expectedLoss(s.curve, step);
      return {
        kind: f.kind,
        step,
        ...NO_RANK,
        recovery: "continue",
        cause: `${ratio.toFixed(2)}\xD7 the running loss`,
        loss: n.loss,
        grad_norm: peak
      };
    }
    case "fp16_overflow":
      return {
        kind: f.kind,
        step,
        ...rankPlace(cfg, f.rank),
        recovery: "skip_step",
        cause: "inf in the fp16 gradients",
        loss_scale: s.lossScale
      };
    case "nan":
      return {
        kind: f.kind,
        step,
        ...rankPlace(cfg, f.rank),
        recovery: "skip_batch",
        cause: "grad_norm is nan",
        loss: n.loss
      };
    case "straggler":
      return {
        kind: f.kind,
        step,
        ...rankPlace(cfg, f.rank),
        recovery: "gpu_reset",
        cause: f.cause,
        since_step: f.sinceStep,
        slowdown_pct: f.slowdown * 100
      };
    default:
      return null;
  }
}
var NO_RANK, NONE;
var init_faults = __esm({
  "src/sim/phases/faults.ts"() {
    init_names2();
    init_loss();
    init_timeline();
    init_train_state();
    NO_RANK = {
      rank: null,
      node: null,
      host: null,
      gpu: null
    };
    NONE = Object.freeze([]);
  }
});

// src/sim/phases/gpu_fault.ts
function gpuFaultCause(cfg, f) {
  if (cfg.gpu.vendor === "amd") {
    return f.ecc ? "uncorrectable ECC error in HBM" : "GPU lost from the PCIe bus";
  }
  if (!f.ecc) return "Xid 79: GPU has fallen off the bus";
  return cfg.gpu.id === "v100" ? "Xid 48: double-bit ECC error" : "Xid 95: uncontained ECC error";
}
function kernelLine(cfg, f) {
  const where2 = rankPlace(cfg, f.rank);
  const bus = PCI_BUS[where2.gpu % PCI_BUS.length];
  const pid = cfg.cluster.pids + where2.node * 97 + where2.gpu;
  if (cfg.gpu.vendor === "amd") {
    return `${where2.host}: amdgpu 0000:${bus}:00.0: amdgpu: ` + (f.ecc ? "uncorrectable HBM ECC error, GPU reset required" : "device lost from the bus");
  }
  const [xid, text] = gpuFaultCause(cfg, f).split(": ");
  return `${where2.host}: NVRM: Xid (PCI:0000:${bus}:00): ${xid.slice(4)}, pid=${pid}, name=python3, ${text}.`;
}
function glogTime(simMs, rank) {
  const iso = new Date(simMs).toISOString();
  const micros = String(Math.floor(simMs) % 1e3 * 1e3 + rank * 7919 % 1e3).padStart(6, "0");
  return `E${iso.slice(5, 7)}${iso.slice(8, 10)} ${iso.slice(11, 19)}.${micros}`;
}
function watchdogLines(t, f) {
  const cfg = t.cfg;
  const local = cfg.model.params / (cfg.plan.tp * cfg.plan.pp);
  const buckets = Math.min(64, Math.max(1, Math.ceil(local / 1e8)));
  const numel = Math.round(local / buckets);
  const seq = (f.step - 1) * buckets + Math.ceil(buckets * f.stepFraction);
  const ranks = [
    0,
    f.rank ^ 1,
    cfg.worldSize - 1
  ].filter((r, i, all) => r !== f.rank && r < cfg.worldSize && all.indexOf(r) === i).slice(0, 2);
  const out = ranks.map((r) => logLine(t, "fault.watchdog", `[rank${r}]:[${glogTime(t.simMs, r)} ProcessGroupNCCL.cpp:632] [Rank ${r}] Watchdog caught collective operation timeout: WorkNCCL(SeqNum=${seq}, OpType=ALLREDUCE, NumelIn=${numel}, NumelOut=${numel}, Timeout(ms)=${WATCHDOG_S * 1e3}) ran for ${WATCHDOG_S * 1e3 + 11 + r % 40} milliseconds before timing out.`, "error"));
  const more = cfg.worldSize - 1 - ranks.length;
  if (more > 0) {
    out.push(logLine(t, "fault.watchdog", `... and ${more} more ranks timed out the same way`, "error"));
  }
  return out;
}
function* gpuOutage(t, s, f, restart, ckpt) {
  const cfg = t.cfg;
  const where2 = rankPlace(cfg, f.rank);
  const epoch = Math.floor(s.step / cfg.stepsPerEpoch) + 1;
  yield* advance(t, f.stepFraction * steadyStepSeconds(cfg) * 1e3, "train");
  const faultMs = t.simMs;
  const lostSteps = f.step - 1 - s.lastCkpt.step;
  t.downNodes = [
    where2.node
  ];
  yield logLine(t, "fault.kernel", kernelLine(cfg, f), "error");
  yield logLine(t, "fault.cuda", `[rank${f.rank}]: RuntimeError: ${cfg.gpu.vendor === "amd" ? "HIP" : "CUDA"} error: ` + (f.ecc ? "uncorrectable ECC error encountered" : "unspecified launch failure"), "error");
  yield faultEvent(t, s, "error", {
    kind: "gpu_fault",
    step: f.step,
    ...where2,
    recovery: "restart_from_checkpoint",
    cause: gpuFaultCause(cfg, f),
    resume_step: s.lastCkpt.step,
    lost_steps: lostSteps,
    downtime_s: WATCHDOG_S + f.drainS + f.rendezvousS + f.ncclS + ckpt.seconds,
    restart
  });
  yield* advance(t, WATCHDOG_S * 1e3, "hang");
  yield* watchdogLines(t, f);
  yield logLine(t, "fault.elastic", `torch.distributed.elastic.agent.server.api: [default] Worker group FAILED. ${MAX_RESTARTS2 - restart + 1}/${MAX_RESTARTS2} attempts left; will restart worker group`, "warn");
  yield logLine(t, "fault.elastic", "[default] Stopping worker group");
  yield {
    type: "phase",
    simMs: t.simMs,
    phase: "init",
    epoch
  };
  yield* advance(t, f.drainS * 1e3, "idle");
  yield logLine(t, "fault.node", `Slurm: node ${where2.host} drained (${gpuFaultCause(cfg, f)} on GPU ${where2.gpu}); a spare node from the pool takes its place in job ${cfg.cluster.jobId}`, "warn");
  t.downNodes = [];
  yield {
    type: "phase",
    simMs: t.simMs,
    phase: "train",
    epoch
  };
  yield* restartWorkers(t, f, restart);
  yield* reload(t, s, ckpt);
  yield logLine(t, "fault.resume", `Resuming from step ${s.lastCkpt.step} after restart ${restart}: step counter rolled back from ${f.step - 1}, ${lostSteps} steps to redo; lost ${formatDuration((faultMs - s.lastCkpt.simMs) / 1e3)} of training and ${formatDuration((t.simMs - faultMs) / 1e3)} of recovery`, "warn");
  rollBack(s);
}
function* restartWorkers(t, f, restart) {
  const cfg = t.cfg;
  yield logLine(t, "fault.elastic", "[default] Rendezvous'ing worker group");
  yield* advance(t, f.rendezvousS * 1e3, "idle");
  yield logLine(t, "fault.elastic", `[default] Rendezvous complete for workers: restart_count=${restart}, master_addr=${cfg.cluster.masterAddr}, master_port=${cfg.cluster.masterPort}, group_world_size=${cfg.nodes}`);
  yield logLine(t, "fault.elastic", "[default] Starting worker group");
  yield* advance(t, f.ncclS * 1e3, "load", 0.1);
  yield logLine(t, "fault.nccl", `${cfg.gpu.vendor === "amd" ? "RCCL" : "NCCL"} communicators rebuilt: ${cfg.worldSize} ranks on ${cfg.nodes} node${cfg.nodes > 1 ? "s" : ""}`);
}
function* reload(t, s, ckpt) {
  const dir = `${t.cfg.outputDir}/checkpoint-${s.lastCkpt.step}`;
  yield logLine(t, "fault.load", `Loading checkpoint ${dir} (${formatBytes(ckpt.bytes)})`);
  yield* readCheckpoint(t, ckpt);
}
function* readCheckpoint(t, ckpt) {
  const ms = ckpt.seconds * 1e3;
  yield* progress(t, "load", "Loading checkpoint shards", ckpt.shards, "shard", ms, "load", 8);
}
var WATCHDOG_S, MAX_RESTARTS2, PCI_BUS;
var init_gpu_fault = __esm({
  "src/sim/phases/gpu_fault.ts"() {
    init_timeline();
    init_units();
    init_train_state();
    init_faults();
    WATCHDOG_S = 600;
    MAX_RESTARTS2 = 3;
    PCI_BUS = [
      "18",
      "2a",
      "3a",
      "5d",
      "9a",
      "ab",
      "ba",
      "db"
    ];
  }
});

// src/sim/phases/warnings.ts
function warningLine(cfg, s, rng) {
  const rank = rng.int(0, cfg.worldSize - 1);
  const host = hostName(cfg.cluster, Math.floor(rank / cfg.gpusPerNode));
  const kinds = [
    () => `[rank${rank}] DataLoader worker (pid ${cfg.cluster.pids + rng.int(100, 9e3)}) took ${rng.range(4, 12).toFixed(1)} s to return batch ${s.step * cfg.gradAccum}; consider increasing num_workers`,
    () => `Token indices sequence length is longer than the specified maximum sequence length for this model (${cfg.seqLen + rng.int(1, 4e3)} > ${cfg.seqLen}); the sample was truncated`,
    () => `${host}: slow read from ${cfg.dataset.path}: ${rng.range(0.4, 1.2).toFixed(2)} GB/s for ${rng.range(2, 9).toFixed(1)} s (expected > 2 GB/s)`,
    () => `[rank${rank}] torch.utils.checkpoint: the use_reentrant parameter should be passed explicitly; defaulting to use_reentrant=True`
  ];
  return rng.pick(kinds)();
}
var init_warnings = __esm({
  "src/sim/phases/warnings.ts"() {
    init_names2();
  }
});

// src/sim/phases/train_step.ts
function allReduceEverySteps(cfg) {
  const logs = Math.ceil(cfg.totalSteps / (MAX_ALLREDUCE_LINES * cfg.logInterval));
  return cfg.logInterval * Math.max(ALLREDUCE_EVERY_LOGS, logs);
}
function stepEvents(t, s, epoch, chaos, allReduceEvery) {
  const cfg = t.cfg;
  const disturbance = disturbanceAt(chaos.plan, s.step + 1);
  const n = nextStep(cfg, s, disturbance);
  const out = [];
  if (!moveClock(t, n.stepS * 1e3)) out.push(...advance(t, n.stepS * 1e3, "train"));
  const logged = s.step === 1 || s.step % cfg.logInterval === 0 || s.step === cfg.totalSteps || disturbance.skip || disturbance.overflow;
  const data = stepData(t, s, epoch, n);
  if (n.overflow && !disturbance.overflow) {
    out.push(logLine(t, "fp16.overflow", `Gradient overflow at step ${s.step}: skipping update, loss scale reduced to ${s.lossScale}`, "warn"));
  }
  const faults = stepFaults(t, s, chaos, n);
  if (faults.length > 0) out.push(...faults);
  out.push({
    type: "step",
    simMs: t.simMs,
    level: "info",
    msg: "",
    data,
    logged
  });
  if (!logged) return out;
  if (s.step === 1 || s.step % allReduceEvery === 0) {
    out.push(allReduceProbe(t, s.step));
  }
  if (s.step > 1 && s.rngEvents.chance(WARNING_CHANCE)) {
    out.push(logLine(t, "warning", warningLine(cfg, s, s.rngEvents), "warn"));
  }
  return out;
}
function stepData(t, s, epoch, n) {
  const cfg = t.cfg;
  const tokensPerS = cfg.tokensPerStep / n.stepS;
  const tflops = tflopsPerGpu(tokensPerS, cfg.flopsPerToken, cfg.worldSize);
  const data = {
    epoch,
    epochs: cfg.epochs,
    epoch_step: s.step - (epoch - 1) * cfg.stepsPerEpoch,
    steps_per_epoch: cfg.stepsPerEpoch,
    step: s.step,
    total_steps: cfg.totalSteps,
    loss: n.loss,
    ppl: Math.exp(n.loss),
    lr: n.lr,
    grad_norm: n.gradNorm,
    loss_scale: s.lossScale,
    step_time_s: n.stepS,
    tokens_per_s: tokensPerS,
    samples_per_s: cfg.globalBatch / n.stepS,
    tflops_per_gpu: tflops,
    mfu: tflops / cfg.peakTflops,
    elapsed_s: (t.simMs - s.trainStartMs) / 1e3,
    eta_s: etaSeconds(cfg, s, n.stepS),
    tokens_seen: s.step * cfg.tokensPerStep
  };
  if (n.skipped) data.skipped = true;
  if (cfg.dataset.domains.length > 1) data.domain_losses = domainLosses(cfg, s, n.loss);
  return data;
}
function allReduceProbe(t, step) {
  const cfg = t.cfg;
  const p = cfg.plan;
  const ranks = p.dp > 1 ? p.dp : cfg.worldSize;
  const tick = {
    activity: "train",
    intensity: 0.85,
    memGiB: t.memGiB,
    loadFraction: 1
  };
  if (ranks <= 1) return {
    type: "tick",
    simMs: t.simMs,
    report: false,
    tick
  };
  return {
    type: "tick",
    simMs: t.simMs,
    report: false,
    allreduceStep: step,
    algo: allReduceAlgo(cfg.gpu, cfg.nodes),
    tick: {
      ...tick,
      allreduce: {
        bytes: gradientBytes(cfg),
        ranks,
        busbwGBps: cfg.busbwGBps
      }
    }
  };
}
function gradientBytes(cfg) {
  const perParam = cfg.plan.strategy === "megatron" ? 4 : 2;
  return Math.round(cfg.model.params / (cfg.plan.tp * cfg.plan.pp) * perParam);
}
var ALLREDUCE_EVERY_LOGS, MAX_ALLREDUCE_LINES, WARNING_CHANCE;
var init_train_step = __esm({
  "src/sim/phases/train_step.ts"() {
    init_timeline();
    init_train_state();
    init_throughput();
    init_comm();
    init_warnings();
    init_disturbance();
    init_faults();
    ALLREDUCE_EVERY_LOGS = 5;
    MAX_ALLREDUCE_LINES = 240;
    WARNING_CHANCE = 6e-3;
  }
});

// src/sim/phases/train.ts
function* trainPhase(t) {
  const cfg = t.cfg;
  const s = initialTrainState(cfg, t.simMs);
  const chaos = startChaos(drawChaosPlan(cfg));
  const allReduceEvery = allReduceEverySteps(cfg);
  let announced = 0;
  while (s.step < cfg.totalSteps) {
    const epoch = Math.floor(s.step / cfg.stepsPerEpoch) + 1;
    if (epoch !== announced) {
      yield* announceEpoch(t, s, epoch);
      announced = epoch;
    }
    const interrupt = interruptAt(chaos, s.step + 1);
    if (interrupt && !(yield* interrupted(t, s, chaos, interrupt))) {
      announced = 0;
      continue;
    }
    yield* stepEvents(t, s, epoch, chaos, allReduceEvery);
    if (s.step % cfg.ckptInterval === 0 && s.step !== cfg.totalSteps) {
      yield* checkpoint(t, s, epoch);
    }
    if (s.step % cfg.stepsPerEpoch === 0) yield* validate(t, s, epoch);
  }
  yield* checkpoint(t, s, cfg.epochs);
  return s;
}
function* announceEpoch(t, s, epoch) {
  const cfg = t.cfg;
  const done = s.step - (epoch - 1) * cfg.stepsPerEpoch;
  yield {
    type: "phase",
    simMs: t.simMs,
    phase: "train",
    epoch
  };
  yield logLine(t, "epoch.start", done === 0 ? `Epoch ${epoch}/${cfg.epochs}: ${cfg.stepsPerEpoch} steps` : `Epoch ${epoch}/${cfg.epochs}: resuming at step ${done}/${cfg.stepsPerEpoch}`);
}
function* interrupted(t, s, chaos, interrupt) {
  if (interrupt.kind === "gpu_fault") {
    chaos.restarts += 1;
    yield* gpuOutage(t, s, interrupt, chaos.restarts, checkpointRead(t.cfg));
    return false;
  }
  if (interrupt.kind === "oom") yield* oomRetry(t, s, interrupt);
  return true;
}
function* checkpoint(t, s, epoch) {
  const cfg = t.cfg;
  yield {
    type: "phase",
    simMs: t.simMs,
    phase: "ckpt",
    epoch
  };
  const dir = `${cfg.outputDir}/checkpoint-${s.step}`;
  const { bytes, shards, seconds } = checkpointPlan(cfg);
  yield logLine(t, "ckpt.start", `Saving checkpoint at step ${s.step} to ${dir} (${formatBytes(bytes)})`);
  yield* progress(t, "ckpt", "Writing shards", shards, "shard", seconds * 1e3, "ckpt", 8);
  s.checkpoints += 1;
  markCheckpoint(s, t.simMs);
  s.resumePenalty = 1.03;
  yield {
    type: "ckpt",
    simMs: t.simMs,
    level: "info",
    msg: "",
    data: {
      epoch,
      step: s.step,
      path: dir,
      bytes,
      shards,
      time_s: seconds
    }
  };
}
function* validate(t, s, epoch) {
  const cfg = t.cfg;
  yield {
    type: "phase",
    simMs: t.simMs,
    phase: "val",
    epoch
  };
  const { samples, batches, seconds } = validationPlan(cfg);
  yield logLine(t, "val.start", `Running validation after epoch ${epoch}: ${samples} samples, ${batches} batches`);
  yield* progress(t, "val", "Validation", batches, "it", seconds * 1e3, "val");
  const loss = validationLoss(s.curve, s.step, epoch - 1, 6e-3 * s.rngEvents.normal());
  s.bestValLoss = Math.min(s.bestValLoss, loss);
  s.resumePenalty = 1.02;
  yield {
    type: "val",
    simMs: t.simMs,
    level: "info",
    msg: "",
    data: {
      epoch,
      step: s.step,
      loss,
      ppl: Math.exp(loss),
      accuracy: tokenAccuracy(loss),
      samples,
      time_s: seconds
    }
  };
  yield logLine(t, "val.time", `Validation took ${formatSeconds(seconds)}; best val loss ${s.bestValLoss.toFixed(4)}`);
}
function checkpointPlan(cfg) {
  const bytes = checkpointBytes(cfg.model.params);
  const shardCount = cfg.plan.strategy === "ddp" ? 1 : cfg.plan.tp * cfg.plan.pp * cfg.plan.dp;
  const bw = storageBandwidthGBps(cfg.nodes, cfg.storagePerNodeGBps, cfg.storageCapGBps);
  return {
    bytes,
    shards: Math.max(4, Math.min(shardCount, 512)),
    seconds: writeSeconds(bytes, bw)
  };
}
function checkpointRead(cfg) {
  const { bytes, shards } = checkpointPlan(cfg);
  const bw = storageBandwidthGBps(cfg.nodes, cfg.storagePerNodeGBps, cfg.storageCapGBps) * 1.5;
  return {
    bytes,
    shards,
    seconds: writeSeconds(bytes, bw)
  };
}
function validationPlan(cfg) {
  const perBatch = cfg.plan.microBatch * 2 * cfg.plan.dp;
  const wanted = Math.min(2e4, cfg.stepsPerEpoch * cfg.globalBatch * 5e-3);
  const batches = Math.max(1, Math.round(wanted / perBatch));
  const samples = batches * perBatch;
  return {
    samples,
    batches,
    seconds: samples * cfg.seqLen / (cfg.tokensPerSecond * 3) + 1.5
  };
}
function estimateTrainSeconds(cfg) {
  const r = cfg.resumeStep;
  const steps = (cfg.totalSteps - r) * steadyStepSeconds(cfg);
  const saves = Math.floor(cfg.totalSteps / cfg.ckptInterval) - Math.floor(r / cfg.ckptInterval) + 1;
  const vals = cfg.epochs - Math.floor(r / cfg.stepsPerEpoch);
  return steps + vals * validationPlan(cfg).seconds + saves * checkpointPlan(cfg).seconds;
}
var init_train = __esm({
  "src/sim/phases/train.ts"() {
    init_timeline();
    init_train_state();
    init_storage();
    init_loss();
    init_units();
    init_chaos();
    init_faults();
    init_gpu_fault();
    init_train_step();
    init_train_step();
  }
});

// src/style/fault_line.ts
function where(d) {
  if (d.rank === null) return "";
  return ` on rank ${d.rank}${d.host ? ` (${d.host} GPU ${d.gpu})` : ""}`;
}
function faultLine(d) {
  switch (d.kind) {
    case "loss_spike":
      return d.recovery === "skip_batch" ? `Grad-norm spike at step ${d.step}: grad_norm ${d.grad_norm?.toFixed(3)} (${d.cause}); skipping this batch, no update applied` : `Loss spike at step ${d.step}: loss ${d.loss?.toFixed(4)} (${d.cause}) after grad_norm peaked at ${d.grad_norm?.toFixed(3)}; continuing, the loss should recover`;
    case "fp16_overflow":
      return `Gradient overflow at step ${d.step} (${d.cause}): skipping update, loss scale reduced to ${d.loss_scale}`;
    case "nan":
      return `Non-finite gradients at step ${d.step}${where(d)}: ${d.cause}; skipping this batch, no update applied`;
    case "gpu_fault":
      return `GPU fault at step ${d.step}${where(d)}: ${d.cause}; the job restarts without ${d.host} and resumes from the checkpoint at step ${d.resume_step} (${d.lost_steps} steps lost, about ${formatDuration(d.downtime_s ?? 0)} down)`;
    case "straggler":
      return `Straggler found at step ${d.step}${where(d)}: ${d.cause}; every step since step ${d.since_step} ran ${d.slowdown_pct?.toFixed(1)}% slow. GPU reset, clocks restored`;
    case "oom":
      return `CUDA out of memory at step ${d.step}${where(d)} (${d.cause}): retrying with micro batch ${d.micro_batch} and gradient accumulation ${d.grad_accum} (same global batch)`;
  }
}
var init_fault_line = __esm({
  "src/style/fault_line.ts"() {
    init_units();
  }
});

// src/style/native.ts
function formatNative(ev) {
  switch (ev.type) {
    case "run": {
      const d = ev.data;
      return `Run ${d.run_id}: seed ${d.seed}, ${d.model} (${formatParams(d.params)}) on ${d.gpus} \xD7 ${d.gpu} (${d.nodes} node${d.nodes > 1 ? "s" : ""}), ${d.task} on ${d.dataset}, ${d.precision}, ${d.strategy}`;
    }
    case "step": {
      const d = ev.data;
      const width = String(d.total_steps).length;
      return `epoch ${d.epoch}/${d.epochs} | step ${String(d.step).padStart(width)}/${d.total_steps} | loss ${d.loss.toFixed(4)} | ppl ${d.ppl.toFixed(2)} | lr ${formatLr(d.lr)} | grad_norm ${d.grad_norm.toFixed(3)} | ${formatRate(d.tokens_per_s)} tok/s | ${d.samples_per_s.toFixed(1)} samples/s | ${d.step_time_s.toFixed(2)} s/step | ${d.tflops_per_gpu.toFixed(1)} TFLOP/s/GPU (MFU ${(d.mfu * 100).toFixed(1)}%)` + (d.loss_scale !== 1 ? ` | loss_scale ${d.loss_scale}` : "") + ` | elapsed ${formatDuration(d.elapsed_s)} | eta ${formatDuration(d.eta_s)}`;
    }
    case "val": {
      const d = ev.data;
      return `validation epoch ${d.epoch} step ${d.step} | val_loss ${d.loss.toFixed(4)} | val_ppl ${d.ppl.toFixed(2)} | accuracy ${(d.accuracy * 100).toFixed(2)}% | ${thousands(d.samples)} samples`;
    }
    case "ckpt": {
      const d = ev.data;
      return `Saved checkpoint ${d.path} (${formatBytes(d.bytes)}, ${d.shards} shards) in ${formatSeconds(d.time_s)}`;
    }
    case "export": {
      const d = ev.data;
      return `Exported ${d.format}: ${d.path} (${formatBytes(d.bytes)}, ${d.files} file${d.files > 1 ? "s" : ""}) in ${formatSeconds(d.time_s)}`;
    }
    case "summary": {
      const d = ev.data;
      return `Training complete in ${formatDuration(d.total_time_s)}: ${thousands(d.steps)} steps, ${formatTokens(d.tokens)} tokens, final loss ${d.final_loss.toFixed(4)} (ppl ${d.final_ppl.toFixed(2)}), best val loss ${d.best_val_loss.toFixed(4)}, ${d.checkpoints} checkpoints, output ${d.output_dir}`;
    }
    case "allreduce": {
      const d = ev.data;
      return `NCCL AllReduce ${d.step === 0 ? "warm-up" : `step ${d.step}`}: ${formatBytes(d.bytes)} over ${d.ranks} ranks in ${d.time_ms.toFixed(2)} ms (algo ${d.algo}, busbw ${d.busbw_gbps.toFixed(1)} GB/s)`;
    }
    case "gpu": {
      const d = ev.data;
      const cells2 = d.gpus.map((g) => `${g.rank}:${Math.round(g.util_pct)}% ${Math.round(g.temp_c)}C ${g.mem_used_gib.toFixed(1)}G ${Math.round(g.power_w)}W`);
      return `gpu ${d.host} | ${cells2.join(" | ")}`;
    }
    case "fault":
      return faultLine(ev.data);
  }
}
var init_native = __esm({
  "src/style/native.ts"() {
    init_units();
    init_fault_line();
  }
});

// src/render/byte_buffer.ts
var MIN_BYTES, COPY_MAX, DIGITS4, ByteBuffer;
var init_byte_buffer = __esm({
  "src/render/byte_buffer.ts"() {
    MIN_BYTES = 1 << 17;
    COPY_MAX = 96;
    DIGITS4 = new Uint8Array(4e4);
    {
      let i = 0;
      for (let a = 48; a < 58; a++) {
        for (let b = 48; b < 58; b++) {
          for (let c = 48; c < 58; c++) {
            for (let d = 48; d < 58; d++) {
              DIGITS4[i++] = a;
              DIGITS4[i++] = b;
              DIGITS4[i++] = c;
              DIGITS4[i++] = d;
            }
          }
        }
      }
    }
    ByteBuffer = class {
      bytes;
      length = 0;
      #encoder = new TextEncoder();
      /** A buffer with room for `capacity` bytes to start with (it grows as needed). */
      constructor(capacity = MIN_BYTES) {
        this.bytes = new Uint8Array(capacity);
      }
      /** Makes room for `n` more bytes. */
      reserve(n) {
        if (this.length + n <= this.bytes.length) return;
        const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.length + n));
        grown.set(this.bytes.subarray(0, this.length));
        this.bytes = grown;
      }
      /** The bytes gathered so far (a view, valid until the next write). */
      view() {
        return this.bytes.subarray(0, this.length);
      }
      /** Forgets every byte gathered. */
      clear() {
        this.length = 0;
      }
      /** One byte. */
      byte(b) {
        this.reserve(1);
        this.bytes[this.length++] = b;
      }
      /** Bytes prepared earlier (short ones: copied one by one). */
      copy(src) {
        this.reserve(src.length);
        const out = this.bytes;
        let at = this.length;
        for (let i = 0; i < src.length; i++) out[at++] = src[i];
        this.length = at;
      }
      /** Any text, as UTF-8. */
      text(s) {
        this.reserve(s.length * 3);
        if (s.length <= COPY_MAX && this.#copyAscii(s)) return;
        this.length += this.#encoder.encodeInto(s, this.bytes.subarray(this.length)).written;
      }
      /** Copies `s` if it is all printable ASCII without `"` or `\`; false (nothing kept) if not. */
      plain(s) {
        this.reserve(s.length);
        const out = this.bytes, at = this.length;
        for (let i = 0; i < s.length; i++) {
          const c = s.charCodeAt(i);
          if (c < 32 || c > 126 || c === 34 || c === 92) return false;
          out[at + i] = c;
        }
        this.length = at + s.length;
        return true;
      }
      #copyAscii(s) {
        const out = this.bytes, at = this.length;
        for (let i = 0; i < s.length; i++) {
          const c = s.charCodeAt(i);
          if (c > 127) return false;
          out[at + i] = c;
        }
        this.length = at + s.length;
        return true;
      }
      /** The last `width` (1–4) digits of 0 ≤ n < 10,000, zero-padded. */
      padded(n, width) {
        this.reserve(4);
        const out = this.bytes;
        let at = this.length;
        for (let i = 4 * n + 4 - width; i < 4 * n + 4; i++) out[at++] = DIGITS4[i];
        this.length = at;
      }
      /** A whole number 0 ≤ n ≤ 2^53 in decimal. */
      uint(n) {
        if (n < 1e4) this.padded(n, n < 10 ? 1 : n < 100 ? 2 : n < 1e3 ? 3 : 4);
        else if (n < 1e8) {
          const high = n / 1e4 | 0;
          this.uint(high);
          this.padded(n - high * 1e4, 4);
        } else {
          const high = Math.floor(n / 1e8);
          const low = n - high * 1e8;
          const mid = low / 1e4 | 0;
          this.uint(high);
          this.padded(mid, 4);
          this.padded(low - mid * 1e4, 4);
        }
      }
    };
  }
});

// src/render/sink.ts
var PipeClosed, FLUSH_AT, MAX_SPARE, PLACEHOLDER_BYTES, Kept, Sink;
var init_sink = __esm({
  "src/render/sink.ts"() {
    init_byte_buffer();
    PipeClosed = class extends Error {
      constructor() {
        super("stdout closed");
      }
    };
    FLUSH_AT = 1 << 16;
    MAX_SPARE = 16;
    PLACEHOLDER_BYTES = 1 << 12;
    Kept = class {
      buffer = new ByteBuffer(PLACEHOLDER_BYTES);
      filled = false;
      #onFill;
      constructor(onFill) {
        this.#onFill = onFill;
      }
      write(text) {
        this.buffer.text(text);
      }
      wrote() {
      }
      fill() {
        this.filled = true;
        this.#onFill();
      }
    };
    Sink = class {
      #out;
      #buffer = new ByteBuffer();
      /** Output before `#buffer` that waits behind an unfilled placeholder, oldest first. */
      #waiting = [];
      /** Buffers written out, kept for reuse (allocating and zeroing a new one costs). */
      #spare = [];
      closed = false;
      constructor(out) {
        this.#out = out;
      }
      /** Queues text; flushes once enough has gathered. */
      write(text) {
        this.#buffer.text(text);
        this.wrote();
      }
      /** The buffer behind the queue, for renderers that write bytes themselves. */
      get buffer() {
        return this.#buffer;
      }
      /** Flushes once enough has gathered (after writing into `buffer`). */
      wrote() {
        if (this.#buffer.length >= FLUSH_AT && this.#waiting.length === 0) this.flush();
      }
      /** Keeps a place for lines that come later; what is written meanwhile goes after it. */
      placeholder() {
        const kept = new Kept(() => this.#release());
        if (this.#buffer.length > 0) {
          this.#waiting.push(this.#buffer);
          this.#buffer = this.#spare.pop() ?? new ByteBuffer();
        }
        this.#waiting.push(kept);
        return kept;
      }
      /** Writes everything queued, in full (up to the first placeholder not filled yet). */
      flush() {
        this.#release();
        if (this.#waiting.length > 0 || this.#buffer.length === 0) return;
        this.#writeAll(this.#buffer);
      }
      /** Writes what waited, from the front, up to the first placeholder not filled yet. */
      #release() {
        while (this.#waiting.length > 0) {
          const first = this.#waiting[0];
          if (first instanceof Kept) {
            if (!first.filled) return;
            this.#waiting.shift();
            this.#writeAll(first.buffer);
          } else {
            this.#waiting.shift();
            this.#writeAll(first);
            if (this.#spare.length < MAX_SPARE) this.#spare.push(first);
          }
        }
      }
      #writeAll(from) {
        if (from.length === 0) return;
        if (this.closed) throw new PipeClosed();
        const bytes = from.view();
        from.clear();
        let offset = 0;
        try {
          while (offset < bytes.length) offset += this.#out.writeSync(bytes.subarray(offset));
        } catch (e) {
          if (e instanceof Deno.errors.BrokenPipe || e.code === "EPIPE") {
            this.closed = true;
            throw new PipeClosed();
          }
          throw e;
        }
      }
    };
  }
});

// src/render/ansi.ts
function paint(text, color, enabled) {
  return enabled && text ? `${ESC}${SGR[color]}m${text}${ESC}0m` : text;
}
function stripAnsi(text) {
  return text.replace(ESCAPE_RE, "");
}
function visibleWidth(text) {
  return stripAnsi(text).length;
}
function crop(text, width) {
  if (text.length <= width || visibleWidth(text) <= width) return text;
  let out = "", seen = 0, i = 0;
  while (i < text.length && seen < width) {
    if (text[i] === "\x1B") {
      const m = /^\x1b\[[0-9;?]*[A-Za-z]/.exec(text.slice(i));
      if (m) {
        out += m[0];
        i += m[0].length;
        continue;
      }
    }
    out += text[i++];
    seen++;
  }
  return out.includes("\x1B") ? out + ansi.reset : out;
}
var ESC, ansi, SGR, ESCAPE_RE;
var init_ansi = __esm({
  "src/render/ansi.ts"() {
    ESC = "\x1B[";
    ansi = {
      hideCursor: `${ESC}?25l`,
      showCursor: `${ESC}?25h`,
      syncStart: `${ESC}?2026h`,
      syncEnd: `${ESC}?2026l`,
      clearBelow: `${ESC}J`,
      clearScreen: `${ESC}2J`,
      home: `${ESC}H`,
      clearLine: `${ESC}2K`,
      up: (n) => n > 0 ? `${ESC}${n}A` : "",
      col0: "\r",
      reset: `${ESC}0m`
    };
    SGR = {
      red: "31",
      green: "32",
      yellow: "33",
      blue: "34",
      magenta: "35",
      cyan: "36",
      gray: "90",
      bold: "1",
      dim: "2"
    };
    ESCAPE_RE = /\x1b\[[0-9;?]*[A-Za-z]/g;
  }
});

// src/style/clock.ts
function pad3(n, width = 2) {
  return String(n).padStart(width, "0");
}
function parts(simMs) {
  const d = new Date(simMs);
  return {
    d,
    date: `${d.getUTCFullYear()}-${pad3(d.getUTCMonth() + 1)}-${pad3(d.getUTCDate())}`,
    time: `${pad3(d.getUTCHours())}:${pad3(d.getUTCMinutes())}:${pad3(d.getUTCSeconds())}`,
    ms: pad3(d.getUTCMilliseconds(), 3)
  };
}
function dateTime(simMs) {
  const p = parts(simMs);
  return `${p.date} ${p.time}`;
}
function pyLogTime(simMs) {
  const p = parts(simMs);
  return `${p.date} ${p.time},${p.ms}`;
}
function usDateTime(simMs) {
  const p = parts(simMs);
  return `${pad3(p.d.getUTCMonth() + 1)}/${pad3(p.d.getUTCDate())}/${p.d.getUTCFullYear()} ${p.time}`;
}
function glogHead(severity, simMs, pid, where2) {
  const p = parts(simMs);
  return `${severity}${pad3(p.d.getUTCMonth() + 1)}${pad3(p.d.getUTCDate())} ${p.time}.${p.ms}000 ${pid} ${where2}] `;
}
function ctime(simMs) {
  const p = parts(simMs);
  const day = String(p.d.getUTCDate()).padStart(2, " ");
  return `${DAYS[p.d.getUTCDay()]} ${MONTHS[p.d.getUTCMonth()]} ${day} ${p.time} ${p.d.getUTCFullYear()}`;
}
var DAYS, MONTHS;
var init_clock = __esm({
  "src/style/clock.ts"() {
    DAYS = [
      "Sun",
      "Mon",
      "Tue",
      "Wed",
      "Thu",
      "Fri",
      "Sat"
    ];
    MONTHS = [
      "Jan",
      "Feb",
      "Mar",
      "Apr",
      "May",
      "Jun",
      "Jul",
      "Aug",
      "Sep",
      "Oct",
      "Nov",
      "Dec"
    ];
  }
});

// src/style/define.ts
function defineStyle(spec) {
  return {
    name: spec.name,
    message(ev, cfg) {
      if (ev.type === "log") {
        const f2 = spec.logs[ev.key];
        if (f2 === "") return "";
        if (f2) return f2(ev, cfg);
        return ev.key.startsWith("fault.") || ev.key.startsWith("interrupt") ? null : spec.otherLog(ev, cfg);
      }
      if (ev.type === "step" && !ev.logged) return "";
      const f = spec.data[ev.type];
      if (f === "") return "";
      return f ? f(ev, cfg) : null;
    }
  };
}
function forKeys(keys, f) {
  return Object.fromEntries(keys.map((k) => [
    k,
    f
  ]));
}
function blank(...keys) {
  return Object.fromEntries(keys.map((k) => [
    k,
    ""
  ]));
}
function styleInterval(cfg, want) {
  return cfg.logInterval * Math.max(1, Math.ceil(want / cfg.logInterval));
}
function onInterval(step, totalSteps, interval) {
  return step % interval === 0 || step === totalSteps;
}
function barDone(ev) {
  return ev.bar !== void 0 && ev.bar.done >= ev.bar.total;
}
function ckptStep(ev) {
  return Number(/at step (\d+)/.exec(ev.msg)?.[1] ?? 0);
}
var NCCL_KEYS;
var init_define = __esm({
  "src/style/define.ts"() {
    NCCL_KEYS = [
      "nccl.bootstrap",
      "nccl.version",
      "nccl.net",
      "nccl.init",
      "nccl.channel",
      "nccl.rings",
      "nccl.trees",
      "nccl.channels",
      "nccl.done"
    ];
  }
});

// src/style/ranks.ts
function nodeOf(cfg, rank) {
  return Math.floor(rank / cfg.gpusPerNode);
}
function startupRanks(cfg) {
  const g = cfg.gpusPerNode;
  const first = Array.from({
    length: g
  }, (_, i) => i);
  if (cfg.nodes === 1) return first;
  return [
    ...first,
    ...first.map((i) => (cfg.nodes - 1) * g + i)
  ];
}
function startupNodes(cfg, max = 8) {
  if (cfg.nodes <= max) return Array.from({
    length: cfg.nodes
  }, (_, i) => i);
  return [
    ...Array.from({
      length: max - 1
    }, (_, i) => i),
    cfg.nodes - 1
  ];
}
function teePrefix(cfg, rank) {
  return `[default${rank % cfg.gpusPerNode}]:`;
}
function pdshPrefix(cfg, node) {
  return cfg.nodes > 1 ? `${hostName(cfg.cluster, node)}: ` : "";
}
function prefixLines(prefix, text) {
  if (prefix === "" || text === "") return text;
  return text.split("\n").map((line) => prefix + line).join("\n");
}
function lineRng(cfg, style, ev) {
  const key = ev.type === "log" ? ev.key : ev.type;
  return createRng(cfg.seed, `style:${style}:${key}:${ev.simMs}`);
}
function shuffled(items, rng) {
  const out = [
    ...items
  ];
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [out[i], out[j]] = [
      out[j],
      out[i]
    ];
  }
  return out;
}
function interleave(blocks, rng) {
  const next = blocks.map(() => 0);
  const out = [];
  for (; ; ) {
    const open = blocks.flatMap((b, i2) => next[i2] < b.length ? [
      i2
    ] : []);
    if (open.length === 0) return out;
    const i = rng.pick(open);
    out.push(blocks[i][next[i]++]);
  }
}
function perRank(ranks, rng, lines) {
  return interleave(shuffled(ranks, rng).map(lines), rng).join("\n");
}
function agentPid(cfg, node) {
  return cfg.cluster.pids - 41 + node * 97;
}
var init_ranks = __esm({
  "src/style/ranks.ts"() {
    init_names2();
    init_rng();
  }
});

// src/style/nccl_lines.ts
function rankNcclPrefix(cfg, rank) {
  return ncclPrefix(cfg, nodeOf(cfg, rank), rank % cfg.gpusPerNode);
}
function commPointer(cfg, rank) {
  const hi = mix32(cfg.seed, rank, 101) & 65535;
  const lo = mix32(cfg.seed, rank, 102);
  return `0x${(21760 | hi & 255).toString(16)}${lo.toString(16).padStart(8, "0")}`;
}
function cpuAffinity(local) {
  return local < 4 ? "00000000,ffffffff,00000000,ffffffff" : "ffffffff,00000000,ffffffff,00000000";
}
function treeLine(cfg, rank) {
  const g = cfg.gpusPerNode, local = rank % g, node = nodeOf(cfg, rank);
  const child = local < g - 1 ? rank + 1 : node < cfg.nodes - 1 ? rank + 1 : -1;
  const parent = local > 0 ? rank - 1 : node > 0 ? rank - g : -1;
  const one = `${child}/-1/-1->${rank}->${parent}`;
  return `Trees [0] ${one} [1] ${one}`;
}
function connections(cfg, rank) {
  const g = cfg.gpusPerNode, local = rank % g, node = nodeOf(cfg, rank);
  const crossing = local === g - 1 && cfg.nodes > 1;
  const next = crossing ? (node + 1) % cfg.nodes * g : node * g + (local + 1) % g;
  const via = crossing ? `[send] via NET/IB/${local}/GDRDMA` : "via P2P/IPC";
  return [
    0,
    1
  ].map((ch) => `Channel 0${ch}/0 : ${rank}[${local}] -> ${next}[${next % g}] ${via}`);
}
function cudaDriverVersion(cfg) {
  const [major, minor] = cfg.gpu.cuda.split(".").map(Number);
  return major * 1e3 + minor * 10;
}
function ncclLines(ev, cfg, style, launcher) {
  const info = (r, text) => `${launcher(r)}${rankNcclPrefix(cfg, r)} NCCL INFO ${text}`;
  const at = ev.msg.indexOf("NCCL INFO ");
  const body = at < 0 ? ev.msg : ev.msg.slice(at + "NCCL INFO ".length);
  const lines = PER_RANK[ev.key];
  if (!lines) return info(0, body);
  if (ev.key === "nccl.init" && !/ rank 0 nranks /.test(ev.msg)) return "";
  const line = {
    cfg,
    body,
    commId: /commId (0x[0-9a-f]+)/.exec(ev.msg)?.[1] ?? "0x0"
  };
  return perRank(startupRanks(cfg), lineRng(cfg, style, ev), (r) => lines(line, r).map((t) => info(r, t)));
}
var PER_RANK;
var init_nccl_lines = __esm({
  "src/style/nccl_lines.ts"() {
    init_names2();
    init_launch();
    init_rng();
    init_ranks();
    PER_RANK = {
      "nccl.bootstrap": ({ cfg }, r) => [
        `Bootstrap : Using ib0:${hostAddr(cfg.cluster, nodeOf(cfg, r))}<0>`,
        ...cfg.gpu.vendor === "nvidia" ? [
          `cudaDriverVersion ${cudaDriverVersion(cfg)}`
        ] : []
      ],
      "nccl.net": ({ cfg, body }, r) => [
        body.replaceAll(hostAddr(cfg.cluster, 0), hostAddr(cfg.cluster, nodeOf(cfg, r))),
        "Using network IB"
      ],
      "nccl.init": ({ cfg, commId }, r) => {
        const local = r % cfg.gpusPerNode;
        return [
          `ncclCommInitRank comm ${commPointer(cfg, r)} rank ${r} nranks ${cfg.worldSize} cudaDev ${local} nvmlDev ${local} busId ${busId(local)} commId ${commId} - Init START`,
          `Setting affinity for GPU ${local} to ${cpuAffinity(local)}`
        ];
      },
      "nccl.channel": ({ body }) => [
        body
      ],
      "nccl.channels": ({ body }) => [
        body
      ],
      "nccl.rings": ({ cfg }, r) => [
        treeLine(cfg, r),
        "P2P Chunksize set to 131072",
        ...connections(cfg, r),
        "Connected all rings"
      ],
      "nccl.trees": () => [
        "Connected all trees",
        "threadThresholds 8/8/64 | 512/8/64 | 512 | 512"
      ],
      "nccl.done": ({ cfg, commId }, r) => [
        `comm ${commPointer(cfg, r)} rank ${r} nranks ${cfg.worldSize} cudaDev ${r % cfg.gpusPerNode} busId ${busId(r % cfg.gpusPerNode)} commId ${commId} - Init COMPLETE`
      ]
    };
  }
});

// src/style/nvidia_smi.ts
function isStartupSnapshot(ev, cfg) {
  const half = cfg.plan.memory.totalGiB * 0.5;
  return ev.data.gpus.every((g) => g.mem_used_gib < half);
}
function usedMiB(gib) {
  return Math.round(gib * 1024);
}
function startupTable(ev, cfg) {
  if (!isStartupSnapshot(ev, cfg)) return formatNative(ev);
  if (ev.data.node !== 0) return "";
  return cfg.gpu.vendor === "amd" ? rocmSmi(ev, cfg) : nvidiaSmi(ev, cfg);
}
function row(cells2, widths) {
  return `|${cells2.map((c, i) => c.padEnd(widths[i]).slice(0, widths[i])).join("|")}|`;
}
function rule(widths, fill, left = "+", right = left) {
  return left + widths.map((w) => fill.repeat(w)).join("+") + right;
}
function smiLayout(cfg) {
  const wide = Number(cfg.gpu.driver.split(".")[0]) >= 550;
  const widths = [
    41,
    wide ? 24 : 22,
    22
  ];
  return {
    wide,
    widths,
    inner: widths.reduce((a, b) => a + b, 0) + 2
  };
}
function nvidiaSmi(ev, cfg) {
  const layout = smiLayout(cfg);
  return [
    ctime(ev.simMs),
    ...smiHeader(cfg, layout),
    ...ev.data.gpus.flatMap((x, i) => smiGpu(cfg, layout, x, i)),
    "",
    ...processes(ev.data, cfg, layout.inner)
  ].join("\n");
}
function smiHeader(cfg, { wide, widths, inner }) {
  const g = cfg.gpu;
  const version = ` NVIDIA-SMI ${g.driver}`.padEnd(35) + `Driver Version: ${g.driver}`.padEnd(wide ? 31 : 29) + `CUDA Version: ${g.cuda}`;
  return [
    rule([
      inner
    ], "-"),
    `|${version.padEnd(inner)}|`,
    rule(widths, "-", "|", "+"),
    row([
      " GPU  Name                 Persistence-M",
      " Bus-Id".padEnd(widths[1] - 7) + "Disp.A",
      " Volatile Uncorr. ECC"
    ], widths),
    row([
      " Fan  Temp   Perf          Pwr:Usage/Cap",
      "Memory-Usage".padStart(widths[1] - 1),
      " GPU-Util  Compute M."
    ], widths),
    row([
      "",
      "",
      "MIG M.".padStart(widths[2] - 1)
    ], widths),
    rule(widths, "=", "|")
  ];
}
function smiGpu(cfg, { wide, widths }, x, i) {
  const g = cfg.gpu;
  const cap = wide ? String(g.tdpW).padStart(4) : String(g.tdpW);
  const power = `${Math.round(x.power_w)}W / ${cap}W`;
  const left = ` N/A  ${`${Math.round(x.temp_c)}C`.padStart(4)}    P0`;
  const total = wide ? String(g.memMiB).padStart(6) : String(g.memMiB);
  return [
    row([
      `${String(i).padStart(4)}  ${g.name.slice(0, 29).padEnd(31)}On  `,
      `00000000:${busId(i).slice(0, 2).toUpperCase()}:00.0 Off `.padStart(widths[1]),
      "0 ".padStart(widths[2])
    ], widths),
    row([
      left + power.padStart(widths[0] - left.length - 1) + " ",
      `${usedMiB(x.mem_used_gib)}MiB / ${total}MiB `.padStart(widths[1]),
      `${`${Math.round(x.util_pct)}%`.padStart(8)}      Default `
    ], widths),
    row([
      "",
      "",
      "Disabled ".padStart(widths[2])
    ], widths),
    rule(widths, "-")
  ];
}
function processes(d, cfg, inner) {
  const line = (text) => `|${text.padEnd(inner)}|`;
  const tail = "GPU Memory ";
  return [
    rule([
      inner
    ], "-"),
    line(" Processes:"),
    line(`  GPU   GI   CI        PID   Type   Process name`.padEnd(inner - tail.length) + tail),
    line(`        ID   ID`.padEnd(inner - tail.length) + "Usage      "),
    rule([
      inner
    ], "=", "|"),
    ...d.gpus.map((x, i) => {
      const pid = workerPid(cfg, d.node, i);
      const head = `  ${String(i).padStart(3)}   N/A  N/A  ${String(pid).padStart(9)}      C   ` + cfg.cluster.venv;
      const mem = `${Math.max(0, usedMiB(x.mem_used_gib) - 10)}MiB `;
      return line(head.padEnd(inner - mem.length) + mem);
    }),
    rule([
      inner
    ], "-")
  ];
}
function rocmSmi(ev, cfg) {
  const cols = [
    "Device",
    "Node",
    "Temp",
    "AvgPwr",
    "SCLK",
    "MCLK",
    "Fan",
    "Perf",
    "PwrCap",
    "VRAM%",
    "GPU%"
  ];
  const widths = [
    8,
    6,
    10,
    9,
    9,
    9,
    5,
    6,
    8,
    7,
    6
  ];
  const fmt = (cells2) => cells2.map((c, i) => c.padEnd(widths[i])).join("").trimEnd();
  const width = widths.reduce((a, b) => a + b, 0);
  const title = (t) => ` ${t} `.padStart(width + t.length + 2 >> 1, "=").padEnd(width, "=");
  const rows = ev.data.gpus.map((x, i) => fmt([
    String(i),
    String(i + 2),
    `${x.temp_c.toFixed(1)}\xB0C`,
    `${x.power_w.toFixed(1)}W`,
    `${x.util_pct > 5 ? 2100 : 132}Mhz`,
    "900Mhz",
    "0%",
    "auto",
    `${cfg.gpu.tdpW.toFixed(1)}W`,
    `${Math.round(x.mem_used_gib / x.mem_total_gib * 100)}%`,
    `${Math.round(x.util_pct)}%`
  ]));
  return [
    title("ROCm System Management Interface"),
    title("Concise Info"),
    fmt(cols),
    "=".repeat(width),
    ...rows,
    "=".repeat(width),
    title("End of ROCm SMI Log")
  ].join("\n");
}
var init_nvidia_smi = __esm({
  "src/style/nvidia_smi.ts"() {
    init_launch();
    init_clock();
    init_native();
  }
});

// src/style/torchrun_lines.ts
function rankList(from, count) {
  return `[${Array.from({
    length: count
  }, (_, i) => from + i).join(", ")}]`;
}
function ompBanner(ev, cfg, style) {
  const rng = lineRng(cfg, style, ev);
  const blocks = shuffled(startupNodes(cfg), rng).map((node) => {
    const head = glogHead("W", ev.simMs + node * 3, agentPid(cfg, node), "torch/distributed/run.py:793");
    return [
      head + STARS,
      head + ev.msg,
      head + STARS
    ];
  });
  return interleave(blocks, rng).join("\n");
}
function rendezvousReport(ev, cfg, style) {
  const c = cfg.cluster, g = cfg.gpusPerNode;
  const nodes = shuffled(startupNodes(cfg, 4), lineRng(cfg, style, ev));
  return nodes.map((node) => [
    glogHead("I", ev.simMs + node * 5, agentPid(cfg, node), `${AGENT}:525`) + "[default] Rendezvous complete for workers. Result:",
    "  restart_count=0",
    `  master_addr=${c.masterAddr}`,
    `  master_port=${c.masterPort}`,
    `  group_rank=${node}`,
    `  group_world_size=${cfg.nodes}`,
    `  local_ranks=${rankList(0, g)}`,
    `  role_ranks=${rankList(node * g, g)}`,
    `  global_ranks=${rankList(node * g, g)}`,
    `  role_world_sizes=[${Array(g).fill(cfg.worldSize).join(", ")}]`,
    `  global_world_sizes=[${Array(g).fill(cfg.worldSize).join(", ")}]`,
    ""
  ].join("\n")).join("\n");
}
function startingWorkers(ev, cfg, style) {
  return shuffled(startupNodes(cfg), lineRng(cfg, style, ev)).map((node) => glogHead("I", ev.simMs + node * 2, agentPid(cfg, node), `${AGENT}:685`) + "[default] Starting worker group").join("\n");
}
function agentsFinished(ev, cfg, style) {
  const rng = lineRng(cfg, style, ev);
  const blocks = shuffled(startupNodes(cfg), rng).map((node) => {
    const head = glogHead("I", ev.simMs + node * 7, agentPid(cfg, node), `${AGENT}:879`);
    return [
      head + "[default] worker group successfully finished. Waiting 300 seconds for other agents to finish.",
      head + `Done waiting for other agents. Elapsed: ${(4e-4 + node * 3e-4).toFixed(4)} seconds`
    ];
  });
  return interleave(blocks, rng).join("\n");
}
var STARS, AGENT;
var init_torchrun_lines = __esm({
  "src/style/torchrun_lines.ts"() {
    init_clock();
    init_ranks();
    STARS = "*****************************************";
    AGENT = "torch/distributed/elastic/agent/server/api.py";
  }
});

// src/style/python_repr.ts
function pyFloat(x) {
  if (Number.isNaN(x)) return "nan";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  const [mantissa, expText] = Math.abs(x).toExponential().split("e");
  const exp = Number(expText);
  const digits = mantissa.replace(".", "");
  let body;
  if (exp < -4 || exp >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    body = `${m}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
  } else if (exp < 0) {
    body = `0.${"0".repeat(-exp - 1)}${digits}`;
  } else if (digits.length <= exp + 1) {
    body = `${digits}${"0".repeat(exp + 1 - digits.length)}.0`;
  } else {
    body = `${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
  }
  return (x < 0 ? "-" : "") + body;
}
function pyRound(x, ndigits) {
  return Number(x.toFixed(ndigits));
}
function pyGeneral(x, precision) {
  if (x === 0) return "0";
  const [mantissa, expText] = x.toExponential(precision - 1).split("e");
  const exp = Number(expText);
  const strip = (s) => s.includes(".") ? s.replace(/0+$/, "").replace(/\.$/, "") : s;
  if (exp >= -4 && exp < precision) return strip(x.toFixed(Math.max(0, precision - 1 - exp)));
  return `${strip(mantissa)}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
}
function tqdmNum(x) {
  const short = pyGeneral(x, 3).replace("e+0", "e+").replace("e-0", "e-");
  const plain = pyFloat(x);
  return short.length < plain.length ? short : plain;
}
function pyDict(entries) {
  return `{${entries.map(([k, v]) => `'${k}': ${v}`).join(", ")}}`;
}
function pyStr(s) {
  return `'${s.replaceAll("\\", "\\\\").replaceAll("'", "\\'")}'`;
}
function sciUpper(x, digits) {
  return x.toExponential(digits).replace(/e([+-])(\d)$/, "e$10$2").toUpperCase();
}
var PY_LEVEL;
var init_python_repr = __esm({
  "src/style/python_repr.ts"() {
    PY_LEVEL = {
      info: "INFO",
      warn: "WARNING",
      error: "ERROR"
    };
  }
});

// src/style/torchrun.ts
var torchrun_exports = {};
__export(torchrun_exports, {
  TORCHRUN_STYLE: () => TORCHRUN_STYLE,
  torchrunStep: () => torchrunStep
});
function logger(cfg, simMs, level2, msg) {
  const head = `${teePrefix(cfg, 0)}${pyLogTime(simMs)} - ${PY_LEVEL[level2]} - `;
  return prefixLines(head, msg);
}
function torchrunStep(ev, cfg) {
  const d = ev.data;
  const memGiB = cfg.plan.memory.totalGiB;
  const memPct = memGiB / (cfg.gpu.memMiB / 1024) * 100;
  const msg = `step: ${d.step}  loss: ${d.loss.toFixed(4).padStart(7)}  grad_norm: ${d.grad_norm.toFixed(4)}  lr: ${formatExp(d.lr, 4)}  memory: ${memGiB.toFixed(2)}GiB(${memPct.toFixed(2)}%)  tps: ${thousands(d.tokens_per_s / cfg.worldSize)}  tflops: ${d.tflops_per_gpu.toFixed(2)}  mfu: ${(d.mfu * 100).toFixed(2)}%`;
  return logger(cfg, ev.simMs, ev.level, msg);
}
function distInit(ev, cfg) {
  return perRank(startupRanks(cfg), lineRng(cfg, NAME, ev), (r) => [
    `${teePrefix(cfg, r)}| distributed init (rank ${r}): env://, gpu ${r % cfg.gpusPerNode}`
  ]);
}
var NAME, script, nccl, TORCHRUN_STYLE;
var init_torchrun = __esm({
  "src/style/torchrun.ts"() {
    init_clock();
    init_define();
    init_native();
    init_nccl_lines();
    init_nvidia_smi();
    init_ranks();
    init_torchrun_lines();
    init_units();
    init_python_repr();
    NAME = "torchrun";
    script = (ev, cfg) => ev.bar ? prefixLines(teePrefix(cfg, 0), ev.msg) : logger(cfg, ev.simMs, ev.level, ev.msg);
    nccl = (ev, cfg) => ncclLines(ev, cfg, NAME, (r) => teePrefix(cfg, r));
    TORCHRUN_STYLE = defineStyle({
      name: NAME,
      logs: {
        launch: () => null,
        "launch.job": () => null,
        "torchrun.omp": (ev, cfg) => ompBanner(ev, cfg, NAME),
        "torchrun.rdzv": (ev, cfg) => rendezvousReport(ev, cfg, NAME),
        "torchrun.start": (ev, cfg) => startingWorkers(ev, cfg, NAME),
        "dist.init": distInit,
        ...forKeys(NCCL_KEYS, nccl),
        "summary.size": (ev, cfg) => `${script(ev, cfg)}
${agentsFinished(ev, cfg, NAME)}`
      },
      otherLog: script,
      data: {
        run: "",
        step: torchrunStep,
        val: (ev, cfg) => logger(cfg, ev.simMs, ev.level, formatNative(ev)),
        ckpt: (ev, cfg) => logger(cfg, ev.simMs, ev.level, formatNative(ev)),
        export: (ev, cfg) => logger(cfg, ev.simMs, ev.level, formatNative(ev)),
        summary: (ev, cfg) => logger(cfg, ev.simMs, ev.level, formatNative(ev)),
        allreduce: "",
        gpu: (ev, cfg) => prefixLines(teePrefix(cfg, 0), startupTable(ev, cfg))
      }
    });
  }
});

// src/style/model_names.ts
function hfArchitecture(m) {
  return (ARCH[m.family] ?? ARCH.llama)[0];
}
function hfModelType(m) {
  return (ARCH[m.family] ?? ARCH.llama)[1];
}
function hfConfigClass(m) {
  return hfArchitecture(m).replace(/(ForCausalLM|LMHeadModel)$/, "Config");
}
function ggufTensorCount(m) {
  return m.layers * 9 + 3;
}
var ARCH;
var init_model_names = __esm({
  "src/style/model_names.ts"() {
    ARCH = {
      llama: [
        "LlamaForCausalLM",
        "llama"
      ],
      mistral: [
        "MistralForCausalLM",
        "mistral"
      ],
      qwen: [
        "Qwen2ForCausalLM",
        "qwen2"
      ],
      gemma: [
        "Gemma2ForCausalLM",
        "gemma2"
      ],
      phi: [
        "Phi3ForCausalLM",
        "phi3"
      ],
      falcon: [
        "FalconForCausalLM",
        "falcon"
      ],
      gpt2: [
        "GPT2LMHeadModel",
        "gpt2"
      ],
      "gpt-neox": [
        "GPTNeoXForCausalLM",
        "gpt_neox"
      ],
      bloom: [
        "BloomForCausalLM",
        "bloom"
      ],
      olmo: [
        "OlmoForCausalLM",
        "olmo"
      ]
    };
  }
});

// src/style/tqdm.ts
function tqdmRate(secondsPerIt, unit = "it") {
  if (!(secondsPerIt > 0) || !Number.isFinite(secondsPerIt)) return `?${unit}/s`;
  return secondsPerIt <= 1 ? `${(1 / secondsPerIt).toFixed(2).padStart(5)}${unit}/s` : `${secondsPerIt.toFixed(2).padStart(5)}s/${unit}`;
}
function tqdmSize(n) {
  let v = n;
  for (const suffix of [
    "",
    "k",
    "M",
    "G",
    "T",
    "P"
  ]) {
    if (Math.abs(v) < 999.5) {
      if (Math.abs(v) < 99.95) {
        if (Math.abs(v) < 9.995) return `${v.toFixed(2)}${suffix}`;
        return `${v.toFixed(1)}${suffix}`;
      }
      return `${v.toFixed(0)}${suffix}`;
    }
    v /= 1e3;
  }
  return `${v.toFixed(1)}E`;
}
function tqdmLine(desc, done, total, fraction, elapsedS, remainingS, rate, postfix = "") {
  const pct2 = `${Math.round(Math.min(1, Math.max(0, fraction)) * 100)}`.padStart(3);
  return `${desc ? `${desc}: ` : ""}${pct2}%|${blockBar(fraction, 10)}| ${done}/${total} [${formatClock(elapsedS)}<${formatClock(remainingS)}, ${rate}${postfix ? `, ${postfix}` : ""}]`;
}
var init_tqdm = __esm({
  "src/style/tqdm.ts"() {
    init_meter();
    init_units();
  }
});

// src/style/export_lines.ts
function isGgufLine(ev) {
  return ev.msg.includes("GGUF");
}
function ggufStart(cfg) {
  return [
    `INFO:hf-to-gguf:Loading model: hf`,
    `INFO:hf-to-gguf:Model architecture: ${hfArchitecture(cfg.model)}`,
    `INFO:gguf.gguf_writer:gguf: This GGUF file is for Little Endian only`,
    `INFO:hf-to-gguf:Set model parameters`,
    `INFO:hf-to-gguf:gguf: context length = ${cfg.model.ctx}`,
    `INFO:hf-to-gguf:gguf: embedding length = ${cfg.model.hidden}`,
    `INFO:hf-to-gguf:gguf: feed forward length = ${cfg.model.ffn}`,
    `INFO:hf-to-gguf:gguf: head count = ${cfg.model.heads}`,
    `INFO:hf-to-gguf:gguf: key-value head count = ${cfg.model.kvHeads}`,
    `INFO:hf-to-gguf:Set model tokenizer`,
    `INFO:gguf.gguf_writer:Writing the following files:`
  ].join("\n");
}
function ggufDone(ev, cfg) {
  const d = ev.data;
  const size = tqdmSize(d.bytes);
  return [
    `INFO:gguf.gguf_writer:${d.path}: n_tensors = ${ggufTensorCount(cfg.model)}, total_size = ${(d.bytes / 1e9).toFixed(1)}G`,
    tqdmLine("Writing", `${size}`, `${size}`, 1, d.time_s, 0, `${tqdmSize(d.bytes / d.time_s)}byte/s`),
    `INFO:hf-to-gguf:Model successfully exported to ${d.path}`
  ].join("\n");
}
var init_export_lines = __esm({
  "src/style/export_lines.ts"() {
    init_model_names();
    init_tqdm();
  }
});

// src/style/megatron_setup.ts
function megatronRank(cfg, tp, dp, pp) {
  return pp * cfg.plan.tp * cfg.plan.dp + dp * cfg.plan.tp + tp;
}
function megatronLaunch(cfg) {
  const c = cfg.cluster, p = cfg.plan, m = cfg.model;
  const flags = [
    `--tensor-model-parallel-size ${p.tp}`,
    `--pipeline-model-parallel-size ${p.pp}`,
    p.tp > 1 ? "--sequence-parallel" : "",
    `--num-layers ${m.layers} --hidden-size ${m.hidden} --ffn-hidden-size ${m.ffn}`,
    `--num-attention-heads ${m.heads}`,
    m.kvHeads !== m.heads ? `--group-query-attention --num-query-groups ${m.kvHeads}` : "",
    `--seq-length ${cfg.seqLen} --max-position-embeddings ${m.ctx}`,
    `--micro-batch-size ${p.microBatch} --global-batch-size ${cfg.globalBatch}`,
    `--lr ${cfg.lrMax} --min-lr ${cfg.lrMin} --lr-decay-style ${decayStyle(cfg)}`,
    `--lr-warmup-iters ${cfg.warmupSteps} --train-iters ${cfg.totalSteps}`,
    `--${cfg.precision === "fp16" ? "fp16" : "bf16"} --use-distributed-optimizer`,
    `--tokenizer-type HuggingFaceTokenizer --tokenizer-model ${m.hf}`,
    `--data-path ${cfg.dataset.path}`,
    `--log-interval ${megatronLogInterval(cfg)} --save-interval ${cfg.ckptInterval}`,
    `--eval-interval ${cfg.stepsPerEpoch} --eval-iters ${evalIters(cfg)}`,
    `--save ${cfg.outputDir}`
  ].filter((f) => f !== "");
  return `+ srun --nodes=${cfg.nodes} --ntasks-per-node=1 torchrun --nnodes=${cfg.nodes} --nproc-per-node=${cfg.gpusPerNode} --rdzv-backend=c10d --rdzv-endpoint=${c.masterAddr}:${c.masterPort} --tee 3 pretrain_gpt.py ${flags.join(" ")}`;
}
function megatronLogInterval(cfg) {
  return styleInterval(cfg, 10);
}
function decayStyle(cfg) {
  return cfg.schedule === "wsd" ? "WSD" : "cosine";
}
function evalIters(cfg) {
  return Math.max(1, Math.ceil(validationPlan(cfg).samples / cfg.globalBatch));
}
function megatronArgs(cfg) {
  const p = cfg.plan, m = cfg.model;
  const f = pyFloat;
  const b = (v) => v ? "True" : "False";
  return {
    adam_beta1: f(0.9),
    adam_beta2: f(0.95),
    adam_eps: f(1e-8),
    bf16: b(cfg.precision !== "fp16"),
    clip_grad: f(1),
    context_parallel_size: 1,
    data_parallel_size: p.dp,
    data_path: `[${pyStr(cfg.dataset.path)}]`,
    eval_interval: cfg.stepsPerEpoch,
    eval_iters: evalIters(cfg),
    ffn_hidden_size: m.ffn,
    fp16: b(cfg.precision === "fp16"),
    global_batch_size: cfg.globalBatch,
    group_query_attention: b(m.kvHeads !== m.heads),
    hidden_size: m.hidden,
    init_method_std: f(0.02),
    log_interval: megatronLogInterval(cfg),
    lr: f(cfg.lrMax),
    lr_decay_iters: cfg.totalSteps,
    lr_decay_style: decayStyle(cfg),
    lr_warmup_iters: cfg.warmupSteps,
    max_position_embeddings: m.ctx,
    micro_batch_size: p.microBatch,
    min_lr: f(cfg.lrMin),
    num_attention_heads: m.heads,
    num_layers: m.layers,
    num_query_groups: m.kvHeads,
    pipeline_model_parallel_size: p.pp,
    recompute_granularity: p.recompute === "none" ? "None" : p.recompute,
    save: cfg.outputDir,
    save_interval: cfg.ckptInterval,
    seed: cfg.seed,
    seq_length: cfg.seqLen,
    sequence_parallel: b(p.tp > 1),
    tensor_model_parallel_size: p.tp,
    tokenizer_model: m.hf,
    tokenizer_type: "HuggingFaceTokenizer",
    train_iters: cfg.totalSteps,
    use_distributed_optimizer: "True",
    weight_decay: f(0.1),
    world_size: cfg.worldSize
  };
}
function argumentDump(cfg) {
  const p = cfg.plan;
  const args = megatronArgs(cfg);
  return [
    `using world size: ${cfg.worldSize}, data-parallel size: ${p.dp}, context-parallel size: 1, tensor-model-parallel size: ${p.tp}, pipeline-model-parallel size: ${p.pp}`,
    `using torch.${cfg.precision === "fp16" ? "float16" : "bfloat16"} for parameters ...`,
    "------------------------ arguments ------------------------",
    ...Object.entries(args).map(([k, v]) => `  ${k} ${".".repeat(48 - k.length)} ${v}`),
    "-------------------- end of arguments ---------------------",
    `setting number of micro-batches to constant ${cfg.gradAccum}`,
    "> initializing torch distributed ..."
  ];
}
function afterInit(cfg) {
  return [
    `> initialized tensor model parallel with size ${cfg.plan.tp}`,
    `> initialized pipeline model parallel with size ${cfg.plan.pp}`,
    `> setting random seeds to ${cfg.seed} ...`,
    "> compiling dataset index builder ...",
    ">>> done with dataset index builder. Compilation time: 0.047 seconds",
    "> compiling and loading fused kernels ...",
    ">>> done with compiling and loading fused kernels. Compilation time: 1.912 seconds"
  ];
}
function milestone(cfg, simMs, what) {
  const head = what === "after megatron is initialized" ? [
    `time to initialize megatron (seconds): ${((simMs - cfg.startMs) / 1e3).toFixed(3)}`
  ] : [];
  return [
    ...head,
    `[${what}] datetime: ${dateTime(simMs)} `
  ];
}
function paramsOnStage(cfg, pp) {
  const m = cfg.model, p = cfg.plan;
  const embed = paddedVocab(cfg) * m.hidden;
  const perLayer = Math.max(0, m.params - 2 * m.vocab * m.hidden) / m.layers;
  let n = m.layers / p.pp * perLayer;
  if (pp === 0) n += embed;
  if (pp === p.pp - 1) n += embed;
  return Math.round(n / p.tp);
}
function paddedVocab(cfg) {
  const unit = 128 * cfg.plan.tp;
  return Math.ceil(cfg.model.vocab / unit) * unit;
}
function tokenizerLines(cfg) {
  const v = cfg.model.vocab, padded = paddedVocab(cfg);
  return [
    "> building HuggingFaceTokenizer tokenizer ...",
    ` > padded vocab (size: ${v}) with ${padded - v} dummy tokens (new size: ${padded})`
  ];
}
function datasetLines(cfg) {
  const evalSamples = evalIters(cfg) * cfg.globalBatch;
  const train = cfg.totalSteps * cfg.globalBatch;
  const valid = (Math.floor(cfg.totalSteps / cfg.stepsPerEpoch) + 1) * evalSamples;
  return [
    "> building train, validation, and test datasets ...",
    " > datasets target sizes (minimum size):",
    `    train:      ${train}`,
    `    validation: ${valid}`,
    `    test:       ${evalSamples}`,
    "> building train, validation, and test datasets for GPT ..."
  ];
}
var init_megatron_setup = __esm({
  "src/style/megatron_setup.ts"() {
    init_train();
    init_clock();
    init_define();
    init_python_repr();
  }
});

// src/style/megatron.ts
var megatron_exports = {};
__export(megatron_exports, {
  MEGATRON_STYLE: () => MEGATRON_STYLE,
  megatronIteration: () => megatronIteration,
  megatronSaved: () => megatronSaved,
  megatronValidation: () => megatronValidation
});
function rank0(cfg, lines) {
  return prefixLines(teePrefix(cfg, 0), Array.isArray(lines) ? lines.join("\n") : lines);
}
function rankLast(cfg, lines) {
  return prefixLines(teePrefix(cfg, cfg.worldSize - 1), lines.join("\n"));
}
function pad4(n, width) {
  return String(n).padStart(width);
}
function megatronIteration(ev, cfg) {
  const d = ev.data;
  if (!onInterval(d.step, d.total_steps, megatronLogInterval(cfg))) return "";
  const line = ` [${dateTime(ev.simMs)}] iteration ${pad4(d.step, 8)}/${pad4(d.total_steps, 8)} | consumed samples: ${pad4(d.step * cfg.globalBatch, 12)} | elapsed time per iteration (ms): ${(d.step_time_s * 1e3).toFixed(1)} | throughput per GPU (TFLOP/s/GPU): ${d.tflops_per_gpu.toFixed(1)} | learning rate: ${sciUpper(d.lr, 6)} | global batch size: ${pad4(cfg.globalBatch, 5)} | lm loss: ${sciUpper(d.loss, 6)} | loss scale: ${d.loss_scale.toFixed(1)} | grad norm: ${d.grad_norm.toFixed(3)} | number of skipped iterations: ${pad4(d.skipped ? 1 : 0, 3)} | number of nan iterations: ${pad4(0, 3)} |`;
  const first = d.step === Math.min(megatronLogInterval(cfg), d.total_steps);
  return rankLast(cfg, [
    line
  ]) + (first ? "\n" + rank0(cfg, memoryReport(cfg, d.step)) : "");
}
function mb(gib) {
  const bytes = Math.round(gib * 2 ** 30);
  return String(bytes / 2 ** 20);
}
function memoryReport(cfg, step) {
  const m = cfg.plan.memory;
  const states = m.weightsGiB + m.gradsGiB + m.optimizerGiB;
  const embed = cfg.model.vocab * cfg.model.hidden * 2 / 1e9;
  return [
    `Number of parameters in transformer layers in billions: ${(cfg.model.params / 1e9 - embed).toFixed(2).padStart(5)}`,
    `Number of parameters in embedding layers in billions: ${embed.toFixed(2)}`,
    `Total number of parameters in billions: ${(cfg.model.params / 1e9).toFixed(2)}`,
    `Theoretical memory footprints: weight and optimizer=${(states * 1024).toFixed(2)} MB`,
    `[Rank 0] (after ${step} iterations) memory (MB) | allocated: ${mb(states)} | max allocated: ${mb(m.totalGiB - m.overheadGiB)} | reserved: ${mb(m.totalGiB)} | max reserved: ${mb(m.totalGiB)}`
  ];
}
function megatronValidation(ev, cfg) {
  const d = ev.data;
  const text = ` validation loss at iteration ${d.step} on validation set | lm loss value: ${sciUpper(d.loss, 6)} | lm loss PPL: ${sciUpper(d.ppl, 6)} | `;
  const rule2 = "-".repeat(text.length + 1);
  return rankLast(cfg, [
    rule2,
    text,
    rule2
  ]);
}
function megatronSaved(ev, cfg) {
  const d = ev.data;
  const maxMs = d.time_s * 1e3;
  const minMs = maxMs - 0.05 - 4 * hashUnit(cfg.seed, d.step, 31);
  return rank0(cfg, [
    `  successfully saved checkpoint from iteration ${pad4(d.step, 7)} to ${cfg.outputDir} [ t 1/${cfg.plan.tp}, p 1/${cfg.plan.pp} ]`,
    "(min, max) time across ranks (ms):",
    `    ${"save-checkpoint ".padEnd(48, ".")}: (${minMs.toFixed(2)}, ${maxMs.toFixed(2)})`
  ]);
}
function parameterCounts(ev, cfg) {
  const p = cfg.plan;
  const coords = Array.from({
    length: p.tp * p.pp
  }, (_, i) => i);
  const lines = perRank(coords, lineRng(cfg, NAME2, ev), (i) => {
    const tp = i % p.tp, pp = Math.floor(i / p.tp);
    return [
      `${teePrefix(cfg, megatronRank(cfg, tp, 0, pp))} > number of parameters on (tensor, pipeline) model parallel rank (${tp}, ${pp}): ${paramsOnStage(cfg, pp)}`
    ];
  });
  return rank0(cfg, "building GPT model ...") + "\n" + lines;
}
var NAME2, nccl2, exportLine, MEGATRON_STYLE;
var init_megatron = __esm({
  "src/style/megatron.ts"() {
    init_rng();
    init_clock();
    init_define();
    init_export_lines();
    init_megatron_setup();
    init_nccl_lines();
    init_nvidia_smi();
    init_python_repr();
    init_ranks();
    init_torchrun_lines();
    NAME2 = "megatron";
    nccl2 = (ev, cfg) => ncclLines(ev, cfg, NAME2, (r) => teePrefix(cfg, r));
    exportLine = (ev, cfg) => isGgufLine(ev) ? ev.key === "export.format" ? ggufStart(cfg) : "" : null;
    MEGATRON_STYLE = defineStyle({
      name: NAME2,
      logs: {
        ...blank("torchrun.rdzv", "torchrun.start", "dist.versions", "gpu.node", "gpu.driver"),
        ...blank("model.arch", "load.progress", "model.memory", "dataset.mixture", "dataset.epoch"),
        ...blank("config.header", "config", "seed", "epoch.start", "fp16.overflow", "summary.size"),
        ...blank("val.start", "val.progress", "val.time", "ckpt.progress"),
        launch: (_ev, cfg) => megatronLaunch(cfg),
        "launch.job": () => null,
        "torchrun.omp": (ev, cfg) => ompBanner(ev, cfg, NAME2),
        "dist.init": (_ev, cfg) => rank0(cfg, argumentDump(cfg)),
        ...forKeys(NCCL_KEYS, nccl2),
        "nccl.done": (ev, cfg) => `${nccl2(ev, cfg)}
${rank0(cfg, afterInit(cfg))}`,
        "gpu.detect": (ev, cfg) => rank0(cfg, milestone(cfg, ev.simMs, "after megatron is initialized")),
        "model.init": parameterCounts,
        "model.load": parameterCounts,
        "model.wrap": (_ev, cfg) => rank0(cfg, `> learning rate decay style: ${cfg.schedule === "wsd" ? "WSD" : "cosine"}`),
        tokenizer: (_ev, cfg) => rank0(cfg, tokenizerLines(cfg)),
        "dataset.open": (_ev, cfg) => rank0(cfg, datasetLines(cfg)),
        "ckpt.plan": (ev, cfg) => rank0(cfg, [
          "> finished creating GPT datasets ...",
          ...milestone(cfg, ev.simMs, "after dataloaders are built"),
          "done with setup ...",
          "training ...",
          ...milestone(cfg, ev.simMs, "before the start of training step")
        ]),
        warning: (ev, cfg) => prefixLines(teePrefix(cfg, Number(/\[rank(\d+)\]/.exec(ev.msg)?.[1] ?? 0)), ev.msg),
        "ckpt.start": (ev, cfg) => rank0(cfg, `saving checkpoint at iteration ${pad4(ckptStep(ev), 7)} to ${cfg.outputDir} in torch_dist format`),
        "export.start": (ev, cfg) => `${rank0(cfg, milestone(cfg, ev.simMs, "after training is done"))}
${ev.msg}`,
        "export.format": exportLine,
        "export.progress": (ev, cfg) => barDone(ev) ? exportLine(ev, cfg) : "",
        "export.index": () => null,
        "export.extra": () => null
      },
      otherLog: (ev, cfg) => rank0(cfg, ev.msg),
      data: {
        run: "",
        step: megatronIteration,
        val: megatronValidation,
        ckpt: megatronSaved,
        export: (ev, cfg) => ev.data.format === "gguf" ? ggufDone(ev, cfg) : null,
        allreduce: "",
        gpu: startupTable
      }
    });
  }
});

// src/style/deepspeed_engine.ts
function deepspeedVersion(cfg) {
  return createRng(cfg.seed, "style:deepspeed:version").pick([
    "0.14.4",
    "0.15.4",
    "0.16.4"
  ]);
}
function scriptArgs(cfg) {
  return `${cfg.cluster.script} --model_name_or_path ${cfg.model.hf} --dataset ${cfg.dataset.name} --seq_len ${cfg.seqLen} --num_train_epochs ${cfg.epochs} --learning_rate ${cfg.lrMax} --output_dir ${cfg.outputDir} --deepspeed --deepspeed_config ds_config.json`;
}
function deepspeedLaunch(cfg) {
  const c = cfg.cluster;
  return `+ deepspeed --hostfile /tmp/hostfile.${c.jobId} --num_nodes ${cfg.nodes} --num_gpus ${cfg.gpusPerNode} --master_addr ${c.masterAddr} --master_port ${c.masterPort} ` + scriptArgs(cfg);
}
function hostRanks(cfg, byGlobal) {
  const g = cfg.gpusPerNode;
  return `{${startupNodes(cfg, 16).map((n) => {
    const ranks = Array.from({
      length: g
    }, (_, i) => (byGlobal ? n * g : 0) + i);
    return `'${hostName(cfg.cluster, n)}': [${ranks.join(", ")}]`;
  }).join(", ")}}`;
}
function runnerCommand(cfg) {
  const c = cfg.cluster;
  const worldInfo = btoa(hostRanks(cfg, false).replaceAll("'", '"').replaceAll(" ", ""));
  return `cmd = pdsh -S -f 1024 -w ${nodeList(cfg)} export NCCL_DEBUG=INFO; export PYTHONPATH=/workspace; cd /workspace; ${c.venv} -u -m deepspeed.launcher.launch --world_info=${worldInfo} --node_rank=%n --master_addr=${c.masterAddr} --master_port=${c.masterPort} ${scriptArgs(cfg)}`;
}
function launcherReport(cfg, node) {
  const g = cfg.gpusPerNode;
  const small = cfg.nodes <= 16;
  return [
    ...small ? [
      [
        "launch.py:146:main",
        `WORLD INFO DICT: ${hostRanks(cfg, false)}`
      ]
    ] : [],
    [
      "launch.py:152:main",
      `nnodes=${cfg.nodes}, num_local_procs=${g}, node_rank=${node}`
    ],
    ...small ? [
      [
        "launch.py:163:main",
        `global_rank_mapping=defaultdict(<class 'list'>, ${hostRanks(cfg, true)})`
      ]
    ] : [],
    [
      "launch.py:164:main",
      `dist_world_size=${cfg.worldSize}`
    ],
    [
      "launch.py:168:main",
      `Setting CUDA_VISIBLE_DEVICES=${Array.from({
        length: g
      }, (_, i) => i).join(",")}`
    ]
  ];
}
function zeroStage(cfg) {
  const s = cfg.plan.strategy;
  return s.startsWith("zero") ? Number(s.slice(4)) : 0;
}
function gb(gib) {
  return String(Number(gib.toFixed(2)));
}
function memoryUsage(cfg, when, maGiB, maxGiB) {
  const used = 60 + 40 * hashUnit(cfg.seed, maGiB * 100, 5);
  return [
    [
      "utils.py:781:see_memory_usage",
      when
    ],
    [
      "utils.py:782:see_memory_usage",
      `MA ${gb(maGiB)} GB         Max_MA ${gb(maxGiB)} GB         CA ${gb(maxGiB * 1.04)} GB         Max_CA ${Math.ceil(maxGiB * 1.04)} GB `
    ],
    [
      "utils.py:789:see_memory_usage",
      `CPU Virtual Memory:  used = ${used.toFixed(2)} GB, percent = ${(used / 20.48).toFixed(1)}%`
    ]
  ];
}
function engineInit(cfg) {
  return [
    ...optimizerSetup(cfg),
    ...engineConfig(cfg)
  ];
}
function optimizerSetup(cfg) {
  const stage = zeroStage(cfg), m = cfg.plan.memory;
  const dtype = cfg.precision === "fp16" ? "fp16" : "torch.bfloat16";
  const zeroFile = stage === 3 ? "stage3.py:130:__init__" : "stage_1_and_2.py:149:__init__";
  const states = m.weightsGiB + m.gradsGiB;
  const version = deepspeedVersion(cfg);
  return [
    [
      DIST,
      `[Rank 0] DeepSpeed info: version=${version}, git-hash=unknown, git-branch=unknown`
    ],
    [
      "config.py:733:__init__",
      `Config mesh_device None world_size = ${cfg.worldSize}`
    ],
    [
      DIST,
      "[Rank 0] DeepSpeed Flops Profiler Enabled: False"
    ],
    [
      DIST,
      "[Rank 0] Using client Optimizer as basic optimizer"
    ],
    [
      DIST,
      "[Rank 0] Removing param_group that has no 'params' in the basic Optimizer"
    ],
    [
      DIST,
      "[Rank 0] DeepSpeed Basic Optimizer = FusedAdam"
    ],
    [
      "utils.py:59:is_zero_supported_optimizer",
      "Checking ZeRO support for optimizer=FusedAdam type=<class 'deepspeed.ops.adam.fused_adam.FusedAdam'>"
    ],
    [
      DIST,
      `[Rank 0] Creating ${dtype} ZeRO stage ${stage} optimizer` + (stage === 3 ? ", MiCS is enabled False, Hierarchical params gather False" : "")
    ],
    [
      zeroFile,
      "Reduce bucket size 500000000"
    ],
    [
      zeroFile,
      stage === 3 ? "Prefetch bucket size 50000000" : "Allgather bucket size 500000000"
    ],
    [
      zeroFile,
      "CPU Offload: False"
    ],
    ...memoryUsage(cfg, "Before initializing optimizer states", states, states),
    ...memoryUsage(cfg, "After initializing optimizer states", states + m.optimizerGiB, states + m.optimizerGiB * 1.5),
    [
      zeroFile,
      "optimizer state initialized"
    ]
  ];
}
function engineConfig(cfg) {
  const stage = zeroStage(cfg), p = cfg.plan;
  const b = (v) => v ? "True" : "False";
  const config = {
    bfloat16_enabled: b(cfg.precision !== "fp16"),
    fp16_enabled: b(cfg.precision === "fp16"),
    gradient_accumulation_steps: String(cfg.gradAccum),
    gradient_clipping: pyFloat(1),
    steps_per_print: String(deepspeedLogInterval(cfg)),
    train_batch_size: String(cfg.globalBatch),
    train_micro_batch_size_per_gpu: String(p.microBatch),
    wall_clock_breakdown: "False",
    world_size: String(p.dp),
    zero_enabled: b(stage > 0),
    zero_optimization_stage: String(stage)
  };
  const optimizer = stage === 3 ? "DeepSpeedZeroOptimizer_Stage3" : "DeepSpeedZeroOptimizer";
  return [
    [
      DIST,
      `[Rank 0] DeepSpeed Final Optimizer = ${optimizer}`
    ],
    [
      DIST,
      "[Rank 0] DeepSpeed using configured LR scheduler = WarmupCosineLR"
    ],
    [
      DIST,
      `[Rank 0] step=0, skipped=0, lr=[0.0, 0.0], mom=[[0.9, 0.95], [0.9, 0.95]]`
    ],
    [
      "config.py:1001:print",
      "DeepSpeedEngine configuration:"
    ],
    ...Object.entries(config).map(([k, v]) => [
      "config.py:1005:print",
      `  ${k} ${".".repeat(Math.max(1, 30 - k.length))} ${v}`
    ])
  ];
}
function deepspeedLogInterval(cfg) {
  return styleInterval(cfg, 10);
}
var DIST;
var init_deepspeed_engine = __esm({
  "src/style/deepspeed_engine.ts"() {
    init_names2();
    init_rng();
    init_launch();
    init_define();
    init_python_repr();
    init_ranks();
    DIST = "logging.py:128:log_dist";
  }
});

// src/style/deepspeed.ts
var deepspeed_exports = {};
__export(deepspeed_exports, {
  DEEPSPEED_STYLE: () => DEEPSPEED_STYLE,
  deepspeedSaved: () => deepspeedSaved,
  deepspeedStep: () => deepspeedStep,
  skippedSoFar: () => skippedSoFar
});
function record(cfg, node, simMs, where2, msg) {
  return prefixLines(pdshPrefix(cfg, node), `[${pyLogTime(simMs)}] [INFO] [${where2}] ${msg}`);
}
function records(cfg, simMs, rows) {
  return rows.map(([where2, msg]) => record(cfg, 0, simMs, where2, msg)).join("\n");
}
function deepspeedStep(ev, cfg) {
  const d = ev.data;
  if (!onInterval(d.step, d.total_steps, deepspeedLogInterval(cfg))) return "";
  const lr = pyFloat(d.lr);
  const mem = cfg.plan.memory;
  const running = d.step * cfg.globalBatch / d.elapsed_s;
  return records(cfg, ev.simMs, [
    [
      "logging.py:128:log_dist",
      `[Rank 0] step=${d.step}, skipped=${skippedSoFar(cfg, d.loss_scale)}, lr=[${lr}, ${lr}], mom=[[0.9, 0.95], [0.9, 0.95]]`
    ],
    [
      "timer.py:264:stop",
      `epoch=${d.epoch - 1}/micro_step=${d.step * cfg.gradAccum}/global_step=${d.step}, RunningAvgSamplesPerSec=${pyFloat(running)}, CurrSamplesPerSec=${pyFloat(d.samples_per_s)}, MemAllocated=${(mem.totalGiB - mem.activationsGiB).toFixed(2)}GB, MaxMemAllocated=${(mem.totalGiB - mem.overheadGiB).toFixed(2)}GB`
    ]
  ]) + "\n" + prefixLines(pdshPrefix(cfg, 0), formatNative(ev));
}
function skippedSoFar(cfg, lossScale) {
  if (cfg.precision !== "fp16") return 0;
  return Math.max(0, Math.round(20 - Math.log2(lossScale)));
}
function checkpointDir(cfg, step) {
  return `${cfg.outputDir}/global_step${step}`;
}
function saveStart(ev, cfg) {
  const step = ckptStep(ev), file = `${checkpointDir(cfg, step)}/mp_rank_00_model_states.pt`;
  return records(cfg, ev.simMs, [
    [
      "logging.py:128:log_dist",
      `[Rank 0] [Torch] Checkpoint global_step${step} is about to be saved!`
    ],
    [
      "logging.py:128:log_dist",
      `[Rank 0] Saving model checkpoint: ${file}`
    ],
    [
      "torch_checkpoint_engine.py:21:save",
      `[Torch] Saving ${file}...`
    ]
  ]);
}
function deepspeedSaved(ev, cfg) {
  const d = ev.data, dir = checkpointDir(cfg, d.step);
  const prefix = cfg.precision === "fp16" ? "" : "bf16_";
  const shard = (r) => `${dir}/${prefix}zero_pp_rank_${r}_mp_rank_00_optim_states.pt`;
  const engine = "torch_checkpoint_engine.py";
  const modelDoneMs = ev.simMs - d.time_s * 700;
  const shards = perRank(startupRanks(cfg), lineRng(cfg, NAME3, ev), (r) => {
    const at = (ms, where2, msg) => record(cfg, nodeOf(cfg, r), ms, where2, msg);
    const doneMs = ev.simMs - 40 + r;
    return [
      at(modelDoneMs + 5 + r, `${engine}:21:save`, `[Torch] Saving ${shard(r)}...`),
      at(doneMs, `${engine}:23:save`, `[Torch] Saved ${shard(r)}.`),
      at(doneMs + 1, "engine.py:3645:_save_zero_checkpoint", `zero checkpoint saved ${shard(r)}`)
    ];
  });
  const size = `${formatBytes(d.bytes)}, ${d.shards} shards`;
  return [
    record(cfg, 0, modelDoneMs, `${engine}:23:save`, `[Torch] Saved ${dir}/mp_rank_00_model_states.pt.`),
    shards,
    record(cfg, 0, ev.simMs + 20, `${engine}:33:commit`, `[Torch] Checkpoint global_step${d.step} is ready now!`),
    prefixLines(pdshPrefix(cfg, 0), `Saved checkpoint global_step${d.step} (${size}) in ${formatSeconds(d.time_s)}`)
  ].join("\n");
}
function overflow(ev, cfg) {
  const scale = Number(/reduced to (\d+)/.exec(ev.msg)?.[1] ?? 0);
  return record(cfg, 0, ev.simMs, "loss_scaler.py:183:update_scale", `[deepspeed] OVERFLOW! Rank 0 Skipping step. Attempted loss scale: ${scale * 2}, reducing to ${scale}`);
}
function launchers(ev, cfg) {
  const rng = lineRng(cfg, NAME3, ev);
  const blocks = shuffled(startupNodes(cfg), rng).map((node) => launcherReport(cfg, node).map(([where2, msg]) => record(cfg, node, ev.simMs + node, where2, msg)));
  return interleave(blocks, rng).join("\n");
}
function distInit2(ev, cfg) {
  return perRank(startupRanks(cfg), lineRng(cfg, NAME3, ev), (r) => [
    record(cfg, nodeOf(cfg, r), ev.simMs + r, "real_accelerator.py:219:get_accelerator", "Setting ds_accelerator to cuda (auto detect)"),
    record(cfg, nodeOf(cfg, r), ev.simMs + 90 + r, "comm.py:652:init_distributed", "cdb=None")
  ]);
}
function consolidate(_ev, cfg) {
  return [
    `Processing zero checkpoint '${checkpointDir(cfg, cfg.totalSteps)}'`,
    `Detected checkpoint of type zero stage ${zeroStage(cfg)}, world_size: ${cfg.plan.dp}`,
    `Parsing checkpoint created by deepspeed==${deepspeedVersion(cfg)}`,
    `Reconstructed fp32 state dict with ${ggufTensorCount(cfg.model)} params ${cfg.model.params} elements`
  ].join("\n");
}
var NAME3, script2, exportLine2, nccl3, DEEPSPEED_STYLE;
var init_deepspeed = __esm({
  "src/style/deepspeed.ts"() {
    init_clock();
    init_define();
    init_deepspeed_engine();
    init_export_lines();
    init_model_names();
    init_native();
    init_nccl_lines();
    init_nvidia_smi();
    init_python_repr();
    init_ranks();
    init_units();
    NAME3 = "deepspeed";
    script2 = (ev, cfg) => prefixLines(pdshPrefix(cfg, 0), ev.msg);
    exportLine2 = (ev, cfg) => isGgufLine(ev) ? ev.key === "export.format" ? ggufStart(cfg) : "" : null;
    nccl3 = (ev, cfg) => ncclLines(ev, cfg, NAME3, (r) => pdshPrefix(cfg, nodeOf(cfg, r)));
    DEEPSPEED_STYLE = defineStyle({
      name: NAME3,
      logs: {
        ...blank("torchrun.rdzv", "torchrun.start", "gpu.detect", "gpu.node", "gpu.driver"),
        ...blank("model.memory", "ckpt.progress", "summary.size", "config.header", "config"),
        launch: (_ev, cfg) => deepspeedLaunch(cfg),
        "launch.job": (ev, cfg) => `${ev.msg}
[${pyLogTime(ev.simMs)}] [INFO] [runner.py:607:main] ${runnerCommand(cfg)}`,
        "torchrun.omp": launchers,
        "dist.init": distInit2,
        "dist.versions": (ev, cfg) => record(cfg, 0, ev.simMs, "comm.py:683:init_distributed", "Initializing TorchBackend in DeepSpeed with backend nccl"),
        ...forKeys(NCCL_KEYS, nccl3),
        "model.wrap": (ev, cfg) => records(cfg, ev.simMs, engineInit(cfg)),
        warning: (ev, cfg) => prefixLines(pdshPrefix(cfg, 0), `[${pyLogTime(ev.simMs)}] [${PY_LEVEL[ev.level]}] ${ev.msg}`),
        "ckpt.start": saveStart,
        "fp16.overflow": overflow,
        "export.start": consolidate,
        "export.format": exportLine2,
        "export.progress": (ev, cfg) => barDone(ev) ? exportLine2(ev, cfg) : "",
        "export.index": () => null,
        "export.extra": () => null
      },
      otherLog: script2,
      data: {
        run: "",
        step: deepspeedStep,
        ckpt: deepspeedSaved,
        val: (ev, cfg) => prefixLines(pdshPrefix(cfg, 0), formatNative(ev)),
        export: (ev, cfg) => ev.data.format === "gguf" ? ggufDone(ev, cfg) : null,
        allreduce: "",
        gpu: (ev, cfg) => prefixLines(pdshPrefix(cfg, 0), startupTable(ev, cfg))
      }
    });
  }
});

// src/style/hf_setup.ts
function hfHead(simMs, where2, level2 = "INFO") {
  return `[${level2}|${where2}] ${pyLogTime(simMs)} >> `;
}
function hfLines(simMs, where2, lines) {
  const head = hfHead(simMs, where2);
  return lines.map((l) => head + l).join("\n");
}
function strategyFlags(cfg) {
  const s = cfg.plan.strategy;
  if (s.startsWith("zero")) return `--deepspeed ds_config_zero${s.slice(4)}.json`;
  if (s === "fsdp") return `--fsdp "full_shard auto_wrap"`;
  return "--ddp_backend nccl";
}
function hfLaunch(cfg) {
  const c = cfg.cluster, p = cfg.plan;
  return `+ srun --nodes=${cfg.nodes} --ntasks-per-node=1 torchrun --nnodes=${cfg.nodes} --nproc-per-node=${cfg.gpusPerNode} --rdzv-backend=c10d --rdzv-endpoint=${c.masterAddr}:${c.masterPort} run_clm.py --model_name_or_path ${cfg.model.hf} --dataset_name ${cfg.dataset.name} --block_size ${cfg.seqLen} --per_device_train_batch_size ${p.microBatch} --gradient_accumulation_steps ${cfg.gradAccum} --learning_rate ${cfg.lrMax} --warmup_steps ${cfg.warmupSteps} --num_train_epochs ${cfg.epochs} --${cfg.precision} --logging_steps ${cfg.logInterval} --save_steps ${cfg.ckptInterval} --eval_strategy epoch ${strategyFlags(cfg)} --seed ${cfg.seed} --output_dir ${cfg.outputDir}`;
}
function trainingArguments(cfg) {
  const b = (v) => v ? "True" : "False";
  const fields = {
    _n_gpu: "1",
    bf16: b(cfg.precision !== "fp16"),
    eval_strategy: "IntervalStrategy.EPOCH",
    fp16: b(cfg.precision === "fp16"),
    gradient_accumulation_steps: String(cfg.gradAccum),
    learning_rate: pyFloat(cfg.lrMax),
    local_rank: "0",
    logging_steps: String(cfg.logInterval),
    lr_scheduler_type: "SchedulerType.COSINE",
    max_grad_norm: "1.0",
    num_train_epochs: pyFloat(cfg.epochs),
    output_dir: cfg.outputDir,
    per_device_eval_batch_size: String(cfg.plan.microBatch * 2),
    per_device_train_batch_size: String(cfg.plan.microBatch),
    save_steps: String(cfg.ckptInterval),
    seed: String(cfg.seed),
    warmup_steps: String(cfg.warmupSteps),
    weight_decay: "0.1"
  };
  return [
    "Training/evaluation parameters TrainingArguments(",
    ...Object.entries(fields).map(([k, v]) => `${k}=${v},`),
    ")"
  ];
}
function hubCache(cfg) {
  const snapshot = createRng(cfg.seed, "style:hf:snapshot").hex(40);
  return `/root/.cache/huggingface/hub/models--${cfg.model.hf.replace("/", "--")}/snapshots/${snapshot}`;
}
function modelConfig(cfg) {
  const m = cfg.model;
  const json = {
    _name_or_path: m.hf,
    architectures: [
      hfArchitecture(m)
    ],
    hidden_size: m.hidden,
    intermediate_size: m.ffn,
    max_position_embeddings: m.ctx,
    model_type: hfModelType(m),
    num_attention_heads: m.heads,
    num_hidden_layers: m.layers,
    num_key_value_heads: m.kvHeads,
    torch_dtype: "bfloat16",
    transformers_version: TRANSFORMERS_VERSION,
    vocab_size: m.vocab
  };
  return [
    `Model config ${hfConfigClass(m)} ${JSON.stringify(json, null, 2)}
`
  ];
}
function trainingBanner(cfg) {
  return [
    "***** Running training *****",
    `  Num examples = ${thousands(cfg.stepsPerEpoch * cfg.globalBatch)}`,
    `  Num Epochs = ${cfg.epochs}`,
    `  Instantaneous batch size per device = ${cfg.plan.microBatch}`,
    `  Total train batch size (w. parallel, distributed & accumulation) = ${cfg.globalBatch}`,
    `  Gradient Accumulation steps = ${cfg.gradAccum}`,
    `  Total optimization steps = ${thousands(cfg.totalSteps)}`,
    `  Number of trainable parameters = ${thousands(cfg.model.params)}`
  ];
}
function savedModel(cfg, simMs, dir) {
  const shards = exportShards(cfg.model.params, EXPORT_FORMATS[0]).length;
  const weights = shards > 1 ? `The model is bigger than the maximum size per checkpoint (5GB) and is going to be split in ${shards} checkpoint shards. You can find where each parameters has been saved in the index located at ${dir}/model.safetensors.index.json.` : `Model weights saved in ${dir}/model.safetensors`;
  return [
    hfHead(simMs, "configuration_utils.py:419") + `Configuration saved in ${dir}/config.json`,
    hfHead(simMs, "configuration_utils.py:911") + `Configuration saved in ${dir}/generation_config.json`,
    hfHead(simMs, "modeling_utils.py:3042") + weights,
    hfHead(simMs, "tokenization_utils_base.py:2646") + `tokenizer config file saved in ${dir}/tokenizer_config.json`,
    hfHead(simMs, "tokenization_utils_base.py:2655") + `Special tokens file saved in ${dir}/special_tokens_map.json`
  ].join("\n");
}
function metricsBlock(split, metrics) {
  const kw = Math.max(...metrics.map(([k]) => k.length));
  const vw = Math.max(...metrics.map(([, v]) => v.length));
  return [
    `***** ${split} metrics *****`,
    ...metrics.map(([k, v]) => `  ${k.padEnd(kw)} = ${v.padStart(vw)}`)
  ];
}
function hfRuntime(seconds) {
  const h = Math.floor(seconds / 3600), m = Math.floor(seconds % 3600 / 60);
  const s = seconds - h * 3600 - m * 60;
  return `${h}:${String(m).padStart(2, "0")}:${s.toFixed(2).padStart(5, "0")}`;
}
var TRANSFORMERS_VERSION;
var init_hf_setup = __esm({
  "src/style/hf_setup.ts"() {
    init_rng();
    init_storage();
    init_clock();
    init_model_names();
    init_python_repr();
    init_units();
    TRANSFORMERS_VERSION = "4.46.3";
  }
});

// src/style/hf.ts
var hf_exports = {};
__export(hf_exports, {
  HF_STYLE: () => HF_STYLE,
  hfEval: () => hfEval,
  hfStep: () => hfStep,
  hfSummary: () => hfSummary
});
function mainLog(simMs, level2, msg) {
  return `${usDateTime(simMs)} - ${PY_LEVEL[level2]} - __main__ - ${msg}`;
}
function capturedBar(ev, bare = false) {
  if (!barDone(ev)) return "";
  const line = ev.msg.replace(/\|[^|]*\|/, `|${blockBar(1, 10)}|`);
  return bare ? line.slice(line.indexOf(":") + 1) : line;
}
function hfStep(ev, _cfg) {
  const d = ev.data;
  const epoch = d.epoch - 1 + d.epoch_step / d.steps_per_epoch;
  const bar = tqdmLine("", d.step, d.total_steps, d.step / d.total_steps, d.elapsed_s, d.eta_s, tqdmRate(d.step_time_s));
  const dict = pyDict([
    [
      "loss",
      pyFloat(pyRound(d.loss, 4))
    ],
    [
      "grad_norm",
      pyFloat(Math.fround(d.grad_norm))
    ],
    [
      "learning_rate",
      pyFloat(d.lr)
    ],
    [
      "epoch",
      pyFloat(pyRound(epoch, 2))
    ]
  ]);
  return `${bar}
${dict}`;
}
function hfEval(ev, cfg) {
  const d = ev.data;
  const batches = validationPlan(cfg).batches;
  return pyDict([
    [
      "eval_loss",
      pyFloat(Math.fround(d.loss))
    ],
    [
      "eval_accuracy",
      pyFloat(Math.fround(d.accuracy))
    ],
    [
      "eval_runtime",
      pyFloat(pyRound(d.time_s, 4))
    ],
    [
      "eval_samples_per_second",
      pyFloat(pyRound(d.samples / d.time_s, 3))
    ],
    [
      "eval_steps_per_second",
      pyFloat(pyRound(batches / d.time_s, 3))
    ],
    [
      "epoch",
      pyFloat(d.epoch)
    ]
  ]);
}
function hfSummary(ev, cfg) {
  const d = ev.data;
  const samples = d.steps * cfg.globalBatch;
  const perS = pyRound(samples / d.total_time_s, 3), stepsPerS = pyRound(d.steps / d.total_time_s, 3);
  const flos = 6 * cfg.model.params * d.tokens;
  const dict = pyDict([
    [
      "train_runtime",
      pyFloat(pyRound(d.total_time_s, 4))
    ],
    [
      "train_samples_per_second",
      pyFloat(perS)
    ],
    [
      "train_steps_per_second",
      pyFloat(stepsPerS)
    ],
    [
      "train_loss",
      pyFloat(d.final_loss)
    ],
    [
      "epoch",
      pyFloat(cfg.epochs)
    ]
  ]);
  return [
    dict,
    ...metricsBlock("train", [
      [
        "epoch",
        pyFloat(cfg.epochs)
      ],
      [
        "total_flos",
        `${Math.floor(flos / 1e9)}GF`
      ],
      [
        "train_loss",
        d.final_loss.toFixed(4)
      ],
      [
        "train_runtime",
        hfRuntime(d.total_time_s)
      ],
      [
        "train_samples",
        String(samples)
      ],
      [
        "train_samples_per_second",
        perS.toFixed(3)
      ],
      [
        "train_steps_per_second",
        stepsPerS.toFixed(3)
      ]
    ])
  ].join("\n");
}
function processRanks(ev, cfg) {
  return perRank(startupRanks(cfg), lineRng(cfg, NAME4, ev), (r) => [
    mainLog(ev.simMs + r, "warn", `Process rank: ${r}, device: cuda:${r % cfg.gpusPerNode}, n_gpu: 1, distributed training: True, 16-bits training: ${cfg.precision === "fp16" ? "True" : "False"}`)
  ]);
}
function tokenizerFiles(ev, cfg) {
  const files = [
    "tokenizer.json",
    "tokenizer_config.json",
    "special_tokens_map.json"
  ];
  return hfLines(ev.simMs, "tokenization_utils_base.py:2209", files.map((f) => `loading file ${f} from cache at ${hubCache(cfg)}/${f}`));
}
function modelFiles(ev, cfg) {
  const cache = hubCache(cfg);
  const lines = [
    hfHead(ev.simMs, "configuration_utils.py:733") + `loading configuration file config.json from cache at ${cache}/config.json`,
    hfLines(ev.simMs, "configuration_utils.py:800", modelConfig(cfg))
  ];
  if (ev.key === "model.load") {
    lines.push(hfHead(ev.simMs, "modeling_utils.py:3937") + `loading weights file model.safetensors from cache at ${cache}/model.safetensors.index.json`);
  } else {
    const mib = (cfg.model.params / 2 ** 20).toFixed(2);
    lines.push(mainLog(ev.simMs, "info", `Training new model from scratch - Total size=${mib}M params`));
  }
  return lines.join("\n");
}
var NAME4, script3, nccl4, HF_STYLE;
var init_hf = __esm({
  "src/style/hf.ts"() {
    init_train();
    init_clock();
    init_define();
    init_export_lines();
    init_hf_setup();
    init_meter();
    init_nccl_lines();
    init_nvidia_smi();
    init_python_repr();
    init_ranks();
    init_torchrun_lines();
    init_tqdm();
    NAME4 = "hf";
    script3 = (ev) => mainLog(ev.simMs, ev.level, ev.msg);
    nccl4 = (ev, cfg) => ncclLines(ev, cfg, NAME4, () => "");
    HF_STYLE = defineStyle({
      name: NAME4,
      logs: {
        ...blank("torchrun.rdzv", "torchrun.start", "gpu.detect", "gpu.node", "gpu.driver"),
        ...blank("model.arch", "model.wrap", "model.memory", "config.header", "config", "seed"),
        ...blank("ckpt.plan", "fp16.overflow", "val.time", "ckpt.progress", "summary.size"),
        ...blank("export.index", "export.extra"),
        launch: (_ev, cfg) => hfLaunch(cfg),
        "launch.job": () => null,
        "torchrun.omp": (ev, cfg) => ompBanner(ev, cfg, NAME4),
        "dist.init": processRanks,
        "dist.versions": (ev, cfg) => mainLog(ev.simMs, "info", trainingArguments(cfg).join("\n")),
        ...forKeys(NCCL_KEYS, nccl4),
        "model.init": modelFiles,
        "model.load": modelFiles,
        "load.progress": (ev, cfg) => barDone(ev) && ev.bar?.label === "Loading checkpoint shards" ? perRank(startupRanks(cfg), lineRng(cfg, NAME4, ev), () => [
          capturedBar(ev)
        ]) : capturedBar(ev),
        tokenizer: tokenizerFiles,
        "epoch.start": (ev, cfg) => /^Epoch 1\//.test(ev.msg) ? hfLines(ev.simMs, "trainer.py:2405", trainingBanner(cfg)) + `
  0%|${blockBar(0, 10)}| 0/${cfg.totalSteps} [00:00<?, ?it/s]` : "",
        "val.start": (ev, cfg) => hfLines(ev.simMs, "trainer.py:4226", [
          "***** Running Evaluation *****",
          `  Num examples = ${validationPlan(cfg).samples}`,
          `  Batch size = ${cfg.plan.microBatch * 2}`
        ]),
        "val.progress": (ev) => capturedBar(ev, true),
        "ckpt.start": (ev, cfg) => hfHead(ev.simMs, "trainer.py:3984") + `Saving model checkpoint to ${cfg.outputDir}/checkpoint-${ckptStep(ev)}`,
        "export.start": (ev) => hfHead(ev.simMs, "trainer.py:2681") + "\n\nTraining completed. Do not forget to share your model on huggingface.co/models =)\n\n",
        "export.format": (ev, cfg) => isGgufLine(ev) ? ggufStart(cfg) : hfHead(ev.simMs, "trainer.py:3984") + `Saving model checkpoint to ${cfg.outputDir}/export/hf`,
        "export.progress": ""
      },
      otherLog: script3,
      data: {
        run: "",
        step: hfStep,
        val: hfEval,
        ckpt: (ev, cfg) => savedModel(cfg, ev.simMs, ev.data.path),
        export: (ev, cfg) => ev.data.format === "gguf" ? ggufDone(ev, cfg) : savedModel(cfg, ev.simMs, ev.data.path),
        summary: hfSummary,
        allreduce: "",
        gpu: startupTable
      }
    });
  }
});

// src/style/lightning.ts
var lightning_exports = {};
__export(lightning_exports, {
  LIGHTNING_STYLE: () => LIGHTNING_STYLE,
  humanCount: () => humanCount,
  lightningSaved: () => lightningSaved,
  lightningStep: () => lightningStep,
  lightningValidation: () => lightningValidation
});
function label(rank, text) {
  return prefixLines(`${rank}: `, text);
}
function humanCount(n) {
  const units = [
    " ",
    "K",
    "M",
    "B",
    "T"
  ];
  let i = 0, v = n;
  while (v >= 1e3 && i < units.length - 1) v /= 1e3, i++;
  return i === 0 ? `${n} ` : `${v.toFixed(v >= 100 ? 0 : 1)} ${units[i]}`;
}
function launch(cfg) {
  const strategy = cfg.plan.strategy.startsWith("zero") ? `deepspeed_stage_${cfg.plan.strategy.slice(4)}` : cfg.plan.strategy === "fsdp" ? "fsdp" : "ddp";
  return `+ srun --label --nodes=${cfg.nodes} --ntasks-per-node=${cfg.gpusPerNode} --gpus-per-node=${cfg.gpusPerNode} python ${cfg.cluster.script} fit --trainer.num_nodes=${cfg.nodes} --trainer.devices=${cfg.gpusPerNode} --trainer.strategy=${strategy} --trainer.precision=${precisionFlag(cfg)} --trainer.max_epochs=${cfg.epochs} --model.name=${cfg.model.hf} --model.lr=${cfg.lrMax} --data.path=${cfg.dataset.path} --data.batch_size=${cfg.plan.microBatch}`;
}
function precisionFlag(cfg) {
  return cfg.precision === "fp16" ? "16-mixed" : "bf16-mixed";
}
function distributed(ev, cfg) {
  const amp = cfg.precision === "fp16" ? "16bit" : "bfloat16";
  const head = [
    `Using ${amp} Automatic Mixed Precision (AMP)`,
    "GPU available: True (cuda), used: True",
    "TPU available: False, using: 0 TPU cores",
    "HPU available: False, using: 0 HPUs"
  ];
  const ranks = perRank(startupRanks(cfg), lineRng(cfg, NAME5, ev), (r) => [
    label(r, `Initializing distributed: GLOBAL_RANK: ${r}, MEMBER: ${r + 1}/${cfg.worldSize}`)
  ]);
  return `${label(0, head.join("\n"))}
${ranks}`;
}
function registered(cfg) {
  const rule2 = "-".repeat(100);
  return label(0, [
    rule2,
    "distributed_backend=nccl",
    `All distributed processes registered. Starting with ${cfg.worldSize} processes`,
    rule2,
    ""
  ].join("\n"));
}
function modelSummary(ev, cfg) {
  const g = cfg.gpusPerNode;
  const devices = `[${Array.from({
    length: g
  }, (_, i) => i).join(",")}]`;
  const ranks = perRank(startupRanks(cfg), lineRng(cfg, NAME5, ev), (r) => [
    label(r, `LOCAL_RANK: ${r % g} - CUDA_VISIBLE_DEVICES: ${devices}`)
  ]);
  const params = humanCount(cfg.model.params);
  const cells2 = [
    [
      "",
      "Name",
      "Type",
      "Params",
      "Mode"
    ],
    [
      "0",
      "model",
      hfArchitecture(cfg.model),
      params,
      "train"
    ]
  ];
  const widths = cells2[0].map((_, i) => Math.max(...cells2.map((r) => r[i].length)));
  const row2 = (r) => r.map((c, i) => c.padEnd(widths[i])).join(" | ");
  const rule2 = "-".repeat(row2(cells2[0]).length);
  const table2 = [
    "",
    row2(cells2[0]),
    rule2,
    row2(cells2[1]),
    rule2,
    `${params.padEnd(10)} Trainable params`,
    `${"0".padEnd(10)} Non-trainable params`,
    `${params.padEnd(10)} Total params`,
    `${(cfg.model.params * 4 / 1e6).toFixed(3).padEnd(10)} Total estimated model params size (MB)`
  ];
  return `${ranks}
${label(0, table2.join("\n"))}`;
}
function lightningStep(ev, cfg) {
  const d = ev.data;
  const postfix = `v_num=${cfg.cluster.jobId % 1e4}, train_loss=${tqdmNum(d.loss)}, lr=${tqdmNum(d.lr)}, grad_norm=${tqdmNum(d.grad_norm)}`;
  const bar = tqdmLine(`Epoch ${d.epoch - 1}`, d.epoch_step, d.steps_per_epoch, d.epoch_step / d.steps_per_epoch, d.elapsed_s * d.epoch_step / d.step, d.step === d.total_steps ? 0 : d.eta_s * (d.steps_per_epoch - d.epoch_step) / (d.total_steps - d.step), tqdmRate(d.step_time_s), postfix);
  return label(0, bar);
}
function lightningValidation(ev) {
  const rows = [
    [
      "val_acc",
      ev.data.accuracy
    ],
    [
      "val_loss",
      ev.data.loss
    ],
    [
      "val_ppl",
      ev.data.ppl
    ]
  ];
  const w = 27;
  const mid = (s) => s.padStart(w + s.length >> 1).padEnd(w);
  const line = (l, m, r, fill) => l + fill.repeat(w) + m + fill.repeat(w) + r;
  return label(0, [
    line("\u250F", "\u2533", "\u2513", "\u2501"),
    `\u2503${mid("Validate metric")}\u2503${mid("DataLoader 0")}\u2503`,
    line("\u2521", "\u2547", "\u2529", "\u2501"),
    ...rows.map(([k, v]) => `\u2502${mid(k)}\u2502${mid(pyFloat(Math.fround(v)))}\u2502`),
    line("\u2514", "\u2534", "\u2518", "\u2500")
  ].join("\n"));
}
function lightningSaved(ev, cfg) {
  const d = ev.data;
  const file = `${cfg.outputDir}/checkpoints/epoch=${d.epoch - 1}-step=${d.step}.ckpt`;
  return label(0, `Epoch ${d.epoch - 1}, global step ${d.step}: 'step' reached ${d.step.toFixed(5)} (best ${d.step.toFixed(5)}), saving model to '${file}' as top 1`);
}
var NAME5, rank02, nccl5, LIGHTNING_STYLE;
var init_lightning = __esm({
  "src/style/lightning.ts"() {
    init_define();
    init_export_lines();
    init_native();
    init_model_names();
    init_nccl_lines();
    init_nvidia_smi();
    init_python_repr();
    init_ranks();
    init_tqdm();
    NAME5 = "lightning";
    rank02 = (ev) => label(0, ev.msg);
    nccl5 = (ev, cfg) => ncclLines(ev, cfg, NAME5, (r) => `${r}: `);
    LIGHTNING_STYLE = defineStyle({
      name: NAME5,
      logs: {
        ...blank("torchrun.omp", "torchrun.rdzv", "torchrun.start", "gpu.detect", "gpu.node"),
        ...blank("gpu.driver", "model.memory", "config.header", "config", "ckpt.plan", "epoch.start"),
        ...blank("fp16.overflow", "val.start", "val.time", "ckpt.start", "ckpt.progress"),
        ...blank("summary.size"),
        launch: (_ev, cfg) => launch(cfg),
        "launch.job": () => null,
        "dist.init": distributed,
        "dist.versions": (_ev, cfg) => registered(cfg),
        ...forKeys(NCCL_KEYS, nccl5),
        "model.wrap": modelSummary,
        seed: (ev, cfg) => perRank(startupRanks(cfg), lineRng(cfg, NAME5, ev), (r) => [
          label(r, `[rank: ${r}] Seed set to ${cfg.seed}`)
        ]),
        "val.progress": (ev) => barDone(ev) ? label(0, ev.msg.replace(/^[^:]*:/, "Validation DataLoader 0:")) : "",
        "export.start": (ev, cfg) => label(0, `\`Trainer.fit\` stopped: \`max_epochs=${cfg.epochs}\` reached.
${ev.msg}`),
        "export.format": (ev, cfg) => isGgufLine(ev) ? ggufStart(cfg) : rank02(ev, cfg),
        "export.progress": (ev, cfg) => isGgufLine(ev) || !barDone(ev) ? "" : rank02(ev, cfg)
      },
      otherLog: rank02,
      data: {
        run: "",
        step: lightningStep,
        val: lightningValidation,
        ckpt: lightningSaved,
        export: (ev, cfg) => ev.data.format === "gguf" ? ggufDone(ev, cfg) : label(0, formatNative(ev)),
        summary: (ev) => label(0, formatNative(ev)),
        allreduce: "",
        gpu: startupTable
      }
    });
  }
});

// src/style/nanogpt.ts
var nanogpt_exports = {};
__export(nanogpt_exports, {
  MFU_WARMUP_ITERS: () => MFU_WARMUP_ITERS,
  NANOGPT_STYLE: () => NANOGPT_STYLE,
  nanogptIter: () => nanogptIter,
  nanogptLogInterval: () => nanogptLogInterval
});
function nanogptLogInterval(cfg) {
  return styleInterval(cfg, 10);
}
function launch2(cfg) {
  const c = cfg.cluster, conf = `config/train_${cfg.model.id}.py`;
  if (cfg.nodes === 1) {
    return `+ torchrun --standalone --nproc_per_node=${cfg.gpusPerNode} train.py ${conf}`;
  }
  return `+ srun --nodes=${cfg.nodes} --ntasks-per-node=1 torchrun --nnodes=${cfg.nodes} --nproc_per_node=${cfg.gpusPerNode} --rdzv_backend=c10d --rdzv_endpoint=${c.masterAddr}:${c.masterPort} train.py ${conf}`;
}
function configFile(cfg) {
  const dtype = cfg.precision === "fp16" ? "float16" : "bfloat16";
  return [
    `Overriding config with config/train_${cfg.model.id}.py:`,
    `# ${cfg.model.name} on ${cfg.dataset.name}, ${cfg.nodes} node(s) of ${cfg.gpusPerNode} GPUs`,
    "",
    "wandb_log = False",
    `out_dir = ${pyStr(cfg.outputDir)}`,
    `dataset = ${pyStr(cfg.dataset.id)}`,
    cfg.task === "finetune" ? `init_from = ${pyStr(cfg.model.hf)}` : `init_from = 'scratch'`,
    `batch_size = ${cfg.plan.microBatch}`,
    `block_size = ${cfg.seqLen}`,
    `gradient_accumulation_steps = ${cfg.gradAccum * cfg.plan.dp}`,
    `max_iters = ${cfg.totalSteps}`,
    `lr_decay_iters = ${cfg.totalSteps}`,
    `learning_rate = ${pyFloat(cfg.lrMax)}`,
    `min_lr = ${pyFloat(cfg.lrMin)}`,
    `warmup_iters = ${cfg.warmupSteps}`,
    `eval_interval = ${cfg.stepsPerEpoch}`,
    `eval_iters = ${evalIters(cfg)}`,
    `log_interval = ${nanogptLogInterval(cfg)}`,
    "weight_decay = 1e-1",
    `dtype = ${pyStr(dtype)}`,
    "compile = True",
    "",
    `tokens per iteration will be: ${thousands(cfg.tokensPerStep)}`
  ].join("\n");
}
function modelLines(cfg) {
  const m = cfg.model;
  return [
    `found vocab_size = ${m.vocab} (inside data/${cfg.dataset.id}/meta.pkl)`,
    cfg.task === "finetune" ? `Initializing from ${m.hf} weights` : "Initializing a new model from scratch",
    `number of parameters: ${(m.params / 1e6).toFixed(2)}M`
  ].join("\n");
}
function optimizerLines(cfg) {
  const m = cfg.model;
  const noDecayTensors = 2 * m.layers + 1;
  const noDecay = noDecayTensors * m.hidden;
  const decayed = thousands(m.params - noDecay);
  return [
    `num decayed parameter tensors: ${7 * m.layers + 2}, with ${decayed} parameters`,
    `num non-decayed parameter tensors: ${noDecayTensors}, with ${thousands(noDecay)} parameters`,
    "using fused AdamW: True",
    "compiling the model... (takes a ~minute)"
  ].join("\n");
}
function nanogptIter(ev, cfg) {
  const d = ev.data;
  const on = d.step === 1 || d.step % nanogptLogInterval(cfg) === 0 || d.step === d.total_steps;
  if (!on) return "";
  const mfu = d.step < MFU_WARMUP_ITERS ? -100 : d.mfu * 100;
  return `iter ${d.step}: loss ${d.loss.toFixed(4)}, time ${(d.step_time_s * 1e3).toFixed(2)}ms, mfu ${mfu.toFixed(2)}%`;
}
function peakMemory(cfg) {
  const m = cfg.plan.memory;
  const allocated = Math.round((m.totalGiB - m.overheadGiB) * 1024);
  return `peak memory allocated: ${allocated} MiB reserved: ${Math.round(m.totalGiB * 1024)} MiB`;
}
var NAME6, MFU_WARMUP_ITERS, nccl6, NANOGPT_STYLE;
var init_nanogpt = __esm({
  "src/style/nanogpt.ts"() {
    init_define();
    init_export_lines();
    init_megatron_setup();
    init_nccl_lines();
    init_nvidia_smi();
    init_python_repr();
    init_torchrun_lines();
    init_units();
    NAME6 = "nanogpt";
    MFU_WARMUP_ITERS = 5;
    nccl6 = (ev, cfg) => ncclLines(ev, cfg, NAME6, () => "");
    NANOGPT_STYLE = defineStyle({
      name: NAME6,
      logs: {
        ...blank("torchrun.rdzv", "torchrun.start", "dist.init", "gpu.detect", "gpu.node"),
        ...blank("gpu.driver", "model.init", "model.load", "load.progress", "model.memory"),
        ...blank("dataset.open", "dataset.mixture", "dataset.epoch", "config", "seed", "ckpt.plan"),
        ...blank("epoch.start", "fp16.overflow", "val.start", "val.progress", "val.time"),
        ...blank("ckpt.start", "ckpt.progress", "summary.size", "config.header", "tokenizer"),
        launch: (_ev, cfg) => launch2(cfg),
        "launch.job": () => null,
        "torchrun.omp": (ev, cfg) => ompBanner(ev, cfg, NAME6),
        "dist.versions": (_ev, cfg) => `Running Python ${cfg.cluster.pythonVersion}
Running PyTorch ${cfg.cluster.torchVersion}
` + configFile(cfg),
        ...forKeys(NCCL_KEYS, nccl6),
        "model.arch": (_ev, cfg) => modelLines(cfg),
        "model.wrap": (_ev, cfg) => optimizerLines(cfg),
        "export.format": (ev, cfg) => isGgufLine(ev) ? ggufStart(cfg) : null,
        "export.progress": (ev) => isGgufLine(ev) || !barDone(ev) ? "" : null
      },
      otherLog: () => null,
      data: {
        run: "",
        step: nanogptIter,
        val: (ev) => `step ${ev.data.step}: val loss ${ev.data.loss.toFixed(4)}`,
        ckpt: (_ev, cfg) => `saving checkpoint to ${cfg.outputDir}`,
        export: (ev, cfg) => ev.data.format === "gguf" ? ggufDone(ev, cfg) : null,
        summary: (_ev, cfg) => peakMemory(cfg),
        allreduce: "",
        gpu: startupTable
      }
    });
  }
});

// src/render/curve_history.ts
function createCurveHistory(buckets = CURVE_BUCKETS) {
  return {
    stepsPerBucket: 1,
    used: 0,
    lossSum: new Float64Array(buckets),
    lrSum: new Float64Array(buckets),
    count: new Float64Array(buckets),
    lastLoss: NaN,
    lastLr: NaN,
    minLoss: Infinity
  };
}
function mergeNeighbours(h) {
  const half = h.count.length / 2;
  for (const arr of [
    h.lossSum,
    h.lrSum,
    h.count
  ]) {
    for (let i = 0; i < half; i++) arr[i] = arr[2 * i] + arr[2 * i + 1];
    arr.fill(0, half);
  }
  h.stepsPerBucket *= 2;
  h.used = Math.ceil(h.used / 2);
}
function recordStep(h, step, loss, lr) {
  while (Math.floor((step - 1) / h.stepsPerBucket) >= h.count.length) mergeNeighbours(h);
  const i = Math.floor((step - 1) / h.stepsPerBucket);
  h.lossSum[i] += loss;
  h.lrSum[i] += lr;
  h.count[i] += 1;
  h.used = Math.max(h.used, i + 1);
  h.lastLoss = loss;
  h.lastLr = lr;
  h.minLoss = Math.min(h.minLoss, loss);
}
function curveSeries(h) {
  const loss = new Float64Array(h.used), lr = new Float64Array(h.used);
  for (let i = 0; i < h.used; i++) {
    loss[i] = h.lossSum[i] / h.count[i];
    lr[i] = h.lrSum[i] / h.count[i];
  }
  return {
    loss,
    lr
  };
}
var CURVE_BUCKETS;
var init_curve_history = __esm({
  "src/render/curve_history.ts"() {
    CURVE_BUCKETS = 256;
  }
});

// src/render/views/sparkline.ts
function resample(values, n) {
  const out = new Float64Array(n);
  const len = values.length;
  if (len === 0 || n === 0) return out.fill(NaN);
  for (let x = 0; x < n; x++) {
    if (len >= n) {
      const from = Math.floor(x * len / n), to = Math.floor((x + 1) * len / n);
      let sum = 0;
      for (let i = from; i < to; i++) sum += values[i];
      out[x] = sum / (to - from);
    } else {
      const at = Math.max(0, Math.min(len - 1, (x + 0.5) * len / n - 0.5));
      const i = Math.floor(at), f = at - i;
      out[x] = i + 1 < len ? values[i] * (1 - f) + values[i + 1] * f : values[i];
    }
  }
  return out;
}
function level(v, lo, hi) {
  return hi > lo ? Math.max(0, Math.min(1, (v - lo) / (hi - lo))) : 0.5;
}
function sparkline(values, lo, hi) {
  let out = "";
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    out += Number.isNaN(v) ? " " : SPARK[Math.round(level(v, lo, hi) * (SPARK.length - 1))];
  }
  return out;
}
function braillePlot(values, lo, hi, rows) {
  const cols = Math.ceil(values.length / 2);
  const dotRows = rows * 4;
  const cells2 = new Uint8Array(rows * cols);
  let prev = -1;
  for (let x = 0; x < values.length; x++) {
    if (Number.isNaN(values[x])) {
      prev = -1;
      continue;
    }
    const y = dotRows - 1 - Math.round(level(values[x], lo, hi) * (dotRows - 1));
    const from = prev < 0 ? y : Math.min(y, prev + Math.sign(y - prev));
    const to = prev < 0 ? y : Math.max(y, prev + Math.sign(y - prev));
    for (let r = from; r <= to; r++) {
      cells2[Math.floor(r / 4) * cols + (x >> 1)] |= DOTS[x & 1][r % 4];
    }
    prev = y;
  }
  const out = [];
  for (let row2 = 0; row2 < rows; row2++) {
    let line = "";
    for (let c = 0; c < cols; c++) {
      line += String.fromCharCode(BRAILLE_BLANK + cells2[row2 * cols + c]);
    }
    out.push(line);
  }
  return out;
}
function extent(values) {
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    if (values[i] < lo) lo = values[i];
    if (values[i] > hi) hi = values[i];
  }
  return lo <= hi ? [
    lo,
    hi
  ] : [
    NaN,
    NaN
  ];
}
var SPARK, DOTS, BRAILLE_BLANK;
var init_sparkline = __esm({
  "src/render/views/sparkline.ts"() {
    SPARK = "\u2581\u2582\u2583\u2584\u2585\u2586\u2587\u2588";
    DOTS = [
      [
        1,
        2,
        4,
        64
      ],
      [
        8,
        16,
        32,
        128
      ]
    ];
    BRAILLE_BLANK = 10240;
  }
});

// src/render/views/curves.ts
function curveRows(h, width, budget) {
  if (h.used === 0 || budget < 1) return 0;
  if (budget >= PLOT_ROWS + 1 && width >= SIDE_BY_SIDE_MIN_WIDTH) return PLOT_ROWS + 1;
  return Math.min(budget, width >= SIDE_BY_SIDE_MIN_WIDTH ? 1 : 2);
}
function curvesOf(h, scheduleLabel) {
  const { loss, lr } = curveSeries(h);
  const [lossLo, lossHi] = extent(loss);
  return [
    {
      name: "loss",
      values: loss,
      lo: lossLo,
      hi: lossHi,
      now: h.lastLoss.toFixed(4),
      detail: `min ${h.minLoss.toFixed(4)}`
    },
    {
      name: "lr",
      values: lr,
      lo: 0,
      hi: extent(lr)[1],
      now: formatLr(h.lastLr),
      detail: scheduleLabel
    }
  ];
}
function hue(c) {
  return c.name === "loss" ? "cyan" : "magenta";
}
function padTo(text, width) {
  return text + " ".repeat(Math.max(0, width - visibleWidth(text)));
}
function plot(c, width, color) {
  const title = `${c.name} ${paint(c.now, "bold", color)} ${paint(c.detail, "dim", color)}`;
  const rows = braillePlot(resample(c.values, width * 2), c.lo, c.hi, PLOT_ROWS);
  return [
    padTo(crop(title, width), width),
    ...rows.map((r) => paint(r, hue(c), color))
  ];
}
function sparkRow(c, width, color) {
  const room = Math.max(0, width - c.name.length - c.now.length - 2);
  const spark = sparkline(resample(c.values, room), c.lo, c.hi);
  return padTo(crop(`${c.name} ${paint(spark, hue(c), color)} ${c.now}`, width), width);
}
function curveLines(h, scheduleLabel, width, rows, color) {
  if (rows === 0 || h.used === 0) return [];
  const [loss, lr] = curvesOf(h, scheduleLabel);
  if (width >= SIDE_BY_SIDE_MIN_WIDTH) {
    const half = Math.floor((width - GAP.length) / 2);
    if (rows === 1) return [
      sparkRow(loss, half, color) + GAP + sparkRow(lr, half, color)
    ];
    const left = plot(loss, half, color), right = plot(lr, half, color);
    return left.map((l, i) => `${l}${GAP}${right[i]}`);
  }
  return [
    sparkRow(loss, width, color),
    sparkRow(lr, width, color)
  ].slice(0, rows);
}
var PLOT_ROWS, SIDE_BY_SIDE_MIN_WIDTH, GAP;
var init_curves = __esm({
  "src/render/views/curves.ts"() {
    init_ansi();
    init_curve_history();
    init_units();
    init_sparkline();
    PLOT_ROWS = 3;
    SIDE_BY_SIDE_MIN_WIDTH = 60;
    GAP = "   ";
  }
});

// src/render/views/heat_map.ts
function clusterStats(t, gpusPerNode) {
  const n = t.utilPct.length;
  const s = {
    utilMean: 0,
    utilMin: Infinity,
    utilMax: -Infinity,
    tempMean: 0,
    tempMin: Infinity,
    tempMax: -Infinity,
    powerW: 0,
    memMeanGiB: 0,
    hottest: [],
    slowestNode: 0,
    slowestUtil: Infinity
  };
  let utilSum = 0, tempSum = 0, memSum = 0, nodeUtil = 0;
  for (let r = 0; r < n; r++) {
    const u = t.utilPct[r], c = t.tempC[r];
    utilSum += u;
    tempSum += c;
    memSum += t.memGiB[r];
    s.powerW += t.powerW[r];
    s.utilMin = Math.min(s.utilMin, u);
    s.utilMax = Math.max(s.utilMax, u);
    s.tempMin = Math.min(s.tempMin, c);
    s.tempMax = Math.max(s.tempMax, c);
    if (s.hottest.length < HOTTEST || c > t.tempC[s.hottest[HOTTEST - 1]]) keepHottest(t, s, r);
    nodeUtil += u;
    if (r % gpusPerNode === gpusPerNode - 1) {
      if (nodeUtil / gpusPerNode < s.slowestUtil) {
        s.slowestUtil = nodeUtil / gpusPerNode;
        s.slowestNode = Math.floor(r / gpusPerNode);
      }
      nodeUtil = 0;
    }
  }
  s.utilMean = utilSum / n;
  s.tempMean = tempSum / n;
  s.memMeanGiB = memSum / n;
  return s;
}
function keepHottest(t, s, rank) {
  let i = Math.min(s.hottest.length, HOTTEST - 1);
  while (i > 0 && t.tempC[s.hottest[i - 1]] < t.tempC[rank]) i--;
  s.hottest.splice(i, 0, rank);
  s.hottest.length = Math.min(s.hottest.length, HOTTEST);
}
function formatPower(w) {
  if (w >= 1e6) return `${(w / 1e6).toFixed(2)} MW`;
  if (w >= 1e3) return `${(w / 1e3).toFixed(1)} kW`;
  return `${Math.round(w)} W`;
}
function flow(segments, width) {
  const out = [];
  let line = "";
  for (const seg of segments) {
    if (line && line.length + 3 + seg.length <= width) line += ` \xB7 ${seg}`;
    else {
      if (line) out.push(line);
      line = crop(seg, width);
    }
  }
  if (line) out.push(line);
  return out;
}
function headerLines(t, s, info, group, width) {
  const g = info.gpusPerNode;
  const r = Math.round;
  const totals = flow([
    `${info.nodes} nodes \xD7 ${g} GPUs${group > 1 ? `, ${group} nodes per cell` : ""}`,
    `util ${s.utilMean.toFixed(1)}% min ${r(s.utilMin)} max ${r(s.utilMax)}`,
    `temp ${s.tempMean.toFixed(1)}C min ${r(s.tempMin)} max ${r(s.tempMax)}`,
    `power ${formatPower(s.powerW)}`,
    `mem ${s.memMeanGiB.toFixed(1)}/${info.memTotalGiB.toFixed(1)} GiB per GPU`,
    "cells: height util, colour temp"
  ], width);
  const hottest = s.hottest.map((rank) => `${info.host(Math.floor(rank / g))}/${rank % g} ${r(t.tempC[rank])}C`);
  const outliers = flow([
    `hottest ${hottest.join(", ")}`,
    `slowest ${info.host(s.slowestNode)} util ${s.slowestUtil.toFixed(1)}%`
  ], width);
  return [
    totals,
    outliers
  ];
}
function paintRuns(glyphs, colors, color) {
  if (!color) return glyphs.join("");
  let out = "", from = 0;
  for (let i = 1; i <= glyphs.length; i++) {
    if (i === glyphs.length || colors[i] !== colors[from]) {
      out += paint(glyphs.slice(from, i).join(""), colors[from], true);
      from = i;
    }
  }
  return out;
}
function cells(t, info, group) {
  const g = info.gpusPerNode;
  const glyphs = [], colors = [];
  for (let first = 0; first < info.nodes; first += group) {
    const last = Math.min(info.nodes, first + group);
    let util = 0, hot = -Infinity, down = false;
    for (let r = first * g; r < last * g; r++) {
      util += t.utilPct[r];
      if (t.tempC[r] > hot) hot = t.tempC[r];
      down ||= isDown(t, r);
    }
    glyphs.push(down ? "\u2717" : levelGlyph(util / ((last - first) * g) / 100));
    colors.push(down ? "red" : tempColor(hot));
  }
  return [
    glyphs,
    colors
  ];
}
function headerCounts(totals, outliers, maxRows) {
  const budget = Math.max(1, Math.min(maxRows - 1, Math.ceil(maxRows / 2)));
  let nT = 1;
  let nO = Math.min(outliers, budget - nT);
  nT += Math.min(totals - nT, budget - nT - nO);
  nO += Math.min(outliers - nO, budget - nT - nO);
  return [
    nT,
    nO
  ];
}
function heatMapLines(t, info, width, maxRows, color) {
  const hostW = Math.max(info.host(0).length, info.host(info.nodes - 1).length);
  const labelW = width >= LABEL_MIN_WIDTH ? hostW + 1 : 0;
  const perRow = Math.max(1, width - labelW);
  const s = clusterStats(t, info.gpusPerNode);
  const [longT, longO] = headerLines(t, s, info, info.nodes, width);
  const [nT, nO] = headerCounts(longT.length, longO.length, maxRows);
  const mapRows = Math.max(1, maxRows - nT - nO);
  const group = Math.ceil(info.nodes / (mapRows * perRow));
  const [totals, outliers] = headerLines(t, s, info, group, width);
  const header = [
    ...totals.slice(0, nT),
    ...outliers.slice(0, nO)
  ];
  const [glyphs, colors] = cells(t, info, group);
  const out = header.map((l) => paint(l, "dim", color));
  for (let i = 0; i < glyphs.length; i += perRow) {
    const label2 = labelW ? paint(info.host(i * group).padEnd(labelW), "gray", color) : "";
    out.push(label2 + paintRuns(glyphs.slice(i, i + perRow), colors.slice(i, i + perRow), color));
  }
  return out;
}
var HOTTEST, LABEL_MIN_WIDTH;
var init_heat_map = __esm({
  "src/render/views/heat_map.ts"() {
    init_ansi();
    init_grid();
    HOTTEST = 3;
    LABEL_MIN_WIDTH = 60;
  }
});

// src/render/views/grid.ts
function tempColor(tempC) {
  return tempC < 70 ? "green" : tempC < 80 ? "yellow" : "red";
}
function levelGlyph(fraction) {
  return LEVELS[Math.max(0, Math.min(8, Math.round(fraction * 8)))];
}
function isDown(t, r) {
  return t.powerW[r] === 0;
}
function downCell(width, color) {
  return paint(width === 1 ? "\u2717" : "\u2717 DOWN".padEnd(width), "red", color);
}
function pct(v) {
  return `${String(Math.round(v)).padStart(3)}%`;
}
function temp(t, r, color) {
  return paint(`${String(Math.round(t.tempC[r])).padStart(2)}C`, tempColor(t.tempC[r]), color);
}
function hostWidth(info) {
  return Math.max(4, info.host(0).length, info.host(info.nodes - 1).length);
}
function perGpuLayout(info, width, maxRows) {
  const hostW = hostWidth(info), g = info.gpusPerNode;
  for (let rank = 0; rank < LAYOUTS.length; rank++) {
    const [cell, rows] = LAYOUTS[rank];
    const rowsPerNode = Math.min(rows, g);
    const perRow = Math.ceil(g / rowsPerNode);
    const sep = cell.width > 1 ? 1 : 0;
    const rowW = hostW + 3 + perRow * (cell.width + sep) - sep + NODE_POWER_W;
    if (rowW <= width && 1 + info.nodes * rowsPerNode <= maxRows) {
      return {
        cell,
        perRow,
        rowsPerNode,
        hostW,
        rank
      };
    }
  }
  return null;
}
function gridRank(info, width, maxRows) {
  return perGpuLayout(info, width, maxRows)?.rank ?? HEAT_MAP_RANK;
}
function gridLines(t, info, width, maxRows, color) {
  if (maxRows < 2) return [];
  const layout = perGpuLayout(info, width, maxRows);
  return layout ? perGpuLines(t, info, layout, color) : heatMapLines(t, info, width, maxRows, color);
}
function perGpuLines(t, info, l, color) {
  const g = info.gpusPerNode;
  const sep = l.cell.width > 1 ? " " : "";
  const head = `${"node".padEnd(l.hostW)} \u2502 ${l.cell.legend} per GPU`;
  const out = [
    paint(head, "dim", color)
  ];
  for (let n = 0; n < info.nodes; n++) {
    let powerW = 0;
    for (let i = 0; i < g; i++) powerW += t.powerW[n * g + i];
    for (let row2 = 0; row2 < l.rowsPerNode; row2++) {
      const cells2 = [];
      const first = n * g + row2 * l.perRow;
      for (let r = first; r < Math.min(first + l.perRow, (n + 1) * g); r++) {
        cells2.push(isDown(t, r) ? downCell(l.cell.draw(t, r, info.memTotalGiB, false).length, color) : l.cell.draw(t, r, info.memTotalGiB, color));
      }
      const host = row2 === 0 ? info.host(n) : "";
      const power = row2 === 0 ? ` \u2502 ${(powerW / 1e3).toFixed(2)}kW` : "";
      out.push(`${host.padEnd(l.hostW)} \u2502 ${cells2.join(sep)}${power}`);
    }
  }
  return out;
}
var LEVELS, FULL, COMPACT, GLYPH, LAYOUTS, HEAT_MAP_RANK, NODE_POWER_W;
var init_grid = __esm({
  "src/render/views/grid.ts"() {
    init_ansi();
    init_heat_map();
    LEVELS = " \u2581\u2582\u2583\u2584\u2585\u2586\u2587\u2588";
    FULL = {
      width: 21,
      legend: "util temp mem power",
      draw: (t, r, memTotal, c) => `${pct(t.utilPct[r])} ${temp(t, r, c)} ${paint(`${t.memGiB[r].toFixed(1).padStart(5)}G`, t.memGiB[r] > 0.97 * memTotal ? "red" : "gray", c)} ${String(Math.round(t.powerW[r])).padStart(4)}W`
    };
    COMPACT = {
      width: 8,
      legend: "util temp",
      draw: (t, r, _m, c) => `${pct(t.utilPct[r])} ${temp(t, r, c)}`
    };
    GLYPH = {
      width: 1,
      legend: "util \u2581-\u2588, colour temp",
      draw: (t, r, _m, c) => paint(levelGlyph(t.utilPct[r] / 100), tempColor(t.tempC[r]), c)
    };
    LAYOUTS = [
      [
        FULL,
        1
      ],
      [
        FULL,
        2
      ],
      [
        COMPACT,
        1
      ],
      [
        COMPACT,
        2
      ],
      [
        FULL,
        4
      ],
      [
        COMPACT,
        4
      ],
      [
        COMPACT,
        8
      ],
      [
        GLYPH,
        1
      ]
    ];
    HEAT_MAP_RANK = LAYOUTS.length;
    NODE_POWER_W = 10;
  }
});

// src/render/views/live.ts
function splitRows(s, width, room) {
  const curves = s.curves;
  const options = [
    room,
    3,
    1,
    0
  ].map((b) => curves ? curveRows(curves, width, Math.min(b, room)) : 0);
  if (!s.telemetry) return [
    options[0],
    0
  ];
  const score = (gridRows) => {
    const rank = gridRank(s.grid, width, gridRows);
    return rank === HEAT_MAP_RANK && gridRows < HEAT_MAP_MIN_ROWS ? rank + 1 : rank;
  };
  let best = options[0];
  for (const c of options) if (score(room - c) < score(room - best)) best = c;
  return [
    best,
    room - best
  ];
}
function barLine(label2, fraction, suffix, width, color) {
  const pct2 = `${Math.floor(Math.min(1, fraction) * 100)}%`.padStart(4);
  const roomFor = (sfx2) => width - label2.length - sfx2.length - pct2.length - 4;
  const options = typeof suffix === "string" ? [
    suffix
  ] : suffix;
  const sfx = options.find((o) => roomFor(o) >= MIN_BAR_W) ?? options[options.length - 1];
  const barW = Math.max(0, Math.min(50, roomFor(sfx)));
  const bar = barW > 0 ? ` ${paint(blockBar(fraction, barW), "cyan", color)}` : "";
  return crop(`${label2}${bar} ${pct2}${sfx ? " " + sfx : ""}`, width);
}
function metricsLine(d, width, color) {
  const parts2 = [
    `loss ${paint(d.loss.toFixed(4), "bold", color)}`,
    `ppl ${d.ppl.toFixed(2)}`,
    `lr ${formatLr(d.lr)}`,
    `grad ${d.grad_norm.toFixed(3)}`,
    `${formatRate(d.tokens_per_s)} tok/s`,
    `${d.samples_per_s.toFixed(1)} samples/s`,
    `${d.tflops_per_gpu.toFixed(0)} TFLOP/s/GPU`,
    `MFU ${(d.mfu * 100).toFixed(1)}%`
  ];
  const sep = paint(" \u2502 ", "gray", color);
  let line = parts2[0];
  for (const part of parts2.slice(1)) {
    if (visibleWidth(line + sep + part) > width) break;
    line += sep + part;
  }
  return crop(line, width);
}
function liveLines(s, width, height, color, views = VIEWS) {
  const out = [
    crop(paint(s.title, "dim", color), width)
  ];
  const d = s.step;
  if (s.phase !== "init" || d) {
    const epochDone = d ? (d.epoch - 1 + d.epoch_step / d.steps_per_epoch) / s.epochs : 0;
    out.push(barLine(`Epoch ${d?.epoch ?? s.epoch}/${s.epochs}`, epochDone, "", width, color));
    const step = d?.step ?? 0;
    const clock = d ? `${formatDuration(d.elapsed_s)}<${formatDuration(d.eta_s)}` : "?";
    const timing = d ? [
      `${clock} ${d.step_time_s.toFixed(2)}s/it`,
      clock
    ] : "?";
    out.push(barLine(`Step ${step}/${s.totalSteps}`, step / s.totalSteps, timing, width, color));
    if (d) out.push(metricsLine(d, width, color));
  }
  if (s.bar && s.bar.done < s.bar.total) {
    out.push(barLine(`${s.bar.label}`, s.bar.done / s.bar.total, `${s.bar.done}/${s.bar.total} ${s.bar.unit}`, width, color));
  }
  const maxLines = Math.max(1, height - 1);
  const [curveN, gridN] = splitRows(s, width, maxLines - out.length);
  if (s.curves) out.push(...curveLines(s.curves, s.scheduleLabel ?? "", width, curveN, color));
  if (s.telemetry) out.push(...views.grid(s.telemetry, s.grid, width, gridN, color));
  return out.slice(0, maxLines).map((line) => crop(line, width));
}
var HEAT_MAP_MIN_ROWS, MIN_BAR_W, VIEWS;
var init_live = __esm({
  "src/render/views/live.ts"() {
    init_ansi();
    init_meter();
    init_units();
    init_curves();
    init_grid();
    HEAT_MAP_MIN_ROWS = 6;
    MIN_BAR_W = 10;
    VIEWS = {
      grid: gridLines
    };
  }
});

// src/render/memo.ts
function rememberLast(fn) {
  let lastArgs = null;
  let lastResult;
  return (...args) => {
    if (lastArgs && lastArgs.length === args.length && args.every((a, i) => a === lastArgs[i])) {
      return lastResult;
    }
    lastResult = fn(...args);
    lastArgs = args;
    return lastResult;
  };
}
var init_memo = __esm({
  "src/render/memo.ts"() {
  }
});

// src/render/tty.ts
var tty_exports = {};
__export(tty_exports, {
  createTtyRenderer: () => createTtyRenderer,
  eraseShown: () => eraseShown,
  ttyLogLine: () => ttyLogLine
});
function eraseShown(shown, columns) {
  if (shown.lines === 0) return "";
  if (columns < shown.columns) return ansi.home + ansi.clearScreen;
  return ansi.col0 + ansi.up(shown.lines) + ansi.clearBelow;
}
function ttyLogLine(ev, line, width, color) {
  const time = new Date(ev.simMs).toISOString().slice(11, 19);
  const level2 = paint(ev.level.toUpperCase().padEnd(5), LEVEL_COLOR[ev.level], color);
  return crop(`${paint(time, "gray", color)} ${level2} ${line}`, width);
}
function createTtyRenderer(sink, cfg, opts) {
  const curves = createCurveHistory();
  const state = {
    title: `fauxtrain \xB7 ${cfg.runId} \xB7 ${cfg.worldSize} \xD7 ${cfg.gpu.name} \xB7 ${cfg.nodes} node${cfg.nodes > 1 ? "s" : ""} \xB7 ${cfg.precision} \xB7 seed ${cfg.seed}`,
    epochs: cfg.epochs,
    totalSteps: cfg.totalSteps,
    phase: "init",
    epoch: 0,
    step: null,
    bar: null,
    telemetry: null,
    grid: {
      nodes: cfg.nodes,
      gpusPerNode: cfg.gpusPerNode,
      memTotalGiB: cfg.gpu.memMiB / 1024,
      host: (n) => hostName(cfg.cluster, n)
    },
    simMs: cfg.startMs,
    curves,
    scheduleLabel: `${cfg.schedule}, warm-up ${cfg.warmupSteps}`
  };
  const views = {
    grid: rememberLast(gridLines)
  };
  let pending = [];
  let shown = {
    lines: 0,
    columns: 0,
    rows: 0
  };
  let dirty = true;
  let started = false;
  let closed = false;
  let closing = false;
  const draw = () => {
    if (closed) return;
    const size = opts.size();
    const columns = Math.max(1, Math.floor(size.columns));
    const rows = Math.max(2, Math.floor(size.rows));
    const resized = columns !== shown.columns || rows !== shown.rows;
    if (!dirty && !resized && pending.length === 0) return;
    let out = (started ? "" : ansi.hideCursor) + ansi.syncStart + eraseShown(shown, columns);
    started = true;
    for (const ev of pending) {
      for (const line of ev.msg.split("\n")) {
        out += ttyLogLine(ev, line, columns, opts.color) + "\n";
      }
    }
    pending = [];
    const height = closing ? Math.min(rows, FINAL_ROWS) : rows;
    const live = liveLines(state, columns, height, opts.color, views);
    out += live.join("\n") + "\n" + ansi.syncEnd;
    shown = {
      lines: live.length,
      columns,
      rows
    };
    dirty = false;
    sink.write(out);
    sink.flush();
  };
  const timer = opts.frameMs === null ? void 0 : setInterval(() => {
    try {
      draw();
    } catch {
      clearInterval(timer);
    }
  }, opts.frameMs);
  return {
    wantsGpuEvents: false,
    event(ev) {
      if (ev.type === "step") {
        state.step = ev.data;
        if (!ev.data.skipped) recordStep(curves, ev.data.step, ev.data.loss, ev.data.lr);
        dirty = true;
        if (!ev.logged) return;
      }
      if (ev.type === "log" && ev.bar) {
        state.bar = ev.bar;
        dirty = true;
        if (ev.bar.done < ev.bar.total) return;
      }
      if (ev.msg !== "") pending.push(ev);
      if (pending.length > 2e3) draw();
    },
    phase(ev) {
      state.phase = ev.phase;
      state.epoch = ev.epoch;
      if (ev.phase === "train") state.bar = null;
      dirty = true;
    },
    telemetry(frame) {
      state.telemetry = frame;
      dirty = true;
    },
    clock(simMs) {
      state.simMs = simMs;
    },
    // Frames come at a steady rate: from the paced driver's flushes, one per wake-up, or from
    // the timer; a flush always reports a closed terminal.
    flush() {
      if (sink.closed) throw new PipeClosed();
      if (timer === void 0) draw();
    },
    frame: draw,
    resize() {
      dirty = true;
      try {
        draw();
      } catch {
      }
    },
    close() {
      clearInterval(timer);
      closing = true;
      dirty = true;
      try {
        draw();
      } finally {
        closed = true;
        sink.write(ansi.reset + ansi.showCursor);
        sink.flush();
      }
    }
  };
}
var FINAL_ROWS, LEVEL_COLOR;
var init_tty = __esm({
  "src/render/tty.ts"() {
    init_names2();
    init_ansi();
    init_sink();
    init_live();
    init_grid();
    init_memo();
    init_curve_history();
    FINAL_ROWS = 5;
    LEVEL_COLOR = {
      info: "green",
      warn: "yellow",
      error: "red"
    };
  }
});

// src/cli/help.ts
var help_exports = {};
__export(help_exports, {
  helpText: () => helpText,
  listText: () => listText
});
function helpText(version) {
  return `fauxtrain ${version} - pretends, convincingly, to train a large language model on a GPU cluster

Usage: fauxtrain [flags]

Run:
  -s, --seed N           replay a run: same seed and --start give the same output (default: random)
      --start ISO        simulated start time in UTC, e.g. 2026-11-24T09:00:00Z (default: now)
      --speed X          simulated seconds per wall second (default: a whole run in about 3 minutes)
      --instant          print the whole run at once, without waiting
      --exit-after DUR   stop after a wall-clock duration: 90s, 5m, 1h30m
      --loop             start a new run after each one ends, forever
Cluster and model:
      --nodes N          nodes, 1 to 16384 (default: drawn from the seed)
      --gpus-per-node N  GPUs in each node, 1 to 8 (default 8)
      --gpu NAME         GPU model: H100, H100-PCIe, A100-80GB, A100-40GB, H200, B200, GB200, MI300X, ...
      --model NAME       model preset (see --list models)
      --dataset NAME     dataset preset (see --list datasets)
      --epochs N         epochs, 1 to 100
      --workers N        telemetry worker threads, 1 to 64 (default: one per 1,024 nodes, at
                         most the CPU count and 8)
      --log-interval N   log every N steps (default: about 1,200 step lines per run)
      --chaos LEVEL      off | low | high: how often faults strike (default low: rare, as on a
                         real cluster; high: every kind at least once)
      --resume           start from a checkpoint of an earlier attempt and carry on from its step
Output:
      --format F         auto | tty | text | jsonl (default auto: tty on a terminal, text otherwise)
      --style S          ${[
    "auto",
    ...STYLE_NAMES
  ].join(" | ")}
                         (default auto: the framework that fits the run's parallelism)
      --no-color         no colours (NO_COLOR is honoured too)
      --no-timestamps    text mode without the timestamp and level prefix
  -l, --list WHAT        list models, gpus or datasets
  -h, --help             this help
  -V, --version          print the version

Exit status: 0 when done, 2 for bad flags, 130 after Ctrl-C, 143 after SIGTERM.
`;
}
function table(rows) {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => r.map((cell, c) => cell.padEnd(widths[c])).join("  ").trimEnd()).join("\n") + "\n";
}
function listText(what) {
  if (what === "gpus") {
    return table([
      [
        "ID",
        "NAME",
        "MEMORY",
        "BF16 DENSE",
        "TDP",
        "NVLINK",
        "ALSO ACCEPTS"
      ],
      ...GPUS.map((g) => [
        g.id,
        g.name,
        `${(g.memMiB / 1024).toFixed(0)} GiB`,
        `${g.bf16Tflops} TFLOP/s`,
        `${g.tdpW} W`,
        `${g.nvlinkGBps} GB/s`,
        g.aliases.filter((a) => a !== g.id).join(", ")
      ])
    ]);
  }
  if (what === "models") {
    return table([
      [
        "ID",
        "NAME",
        "PARAMS",
        "LAYERS",
        "HIDDEN",
        "HEADS",
        "VOCAB",
        "REAL"
      ],
      ...MODELS.map((m) => [
        m.id,
        m.name,
        formatParams(m.params),
        String(m.layers),
        String(m.hidden),
        m.kvHeads === m.heads ? String(m.heads) : `${m.heads}/${m.kvHeads}`,
        String(m.vocab),
        m.real ? "yes" : "no"
      ])
    ]);
  }
  return table([
    [
      "ID",
      "NAME",
      "KIND",
      "TOKENS",
      "SAMPLES",
      "REAL"
    ],
    ...DATASETS.map((d) => [
      d.id,
      d.name,
      d.kind,
      formatTokens(d.tokens),
      formatTokens(d.samples),
      d.real ? "yes" : "no"
    ])
  ]);
}
var init_help = __esm({
  "src/cli/help.ts"() {
    init_catalog();
    init_units();
    init_names();
  }
});

// deno.json
var deno_default = {
  name: "@fauxtrain/fauxtrain",
  version: "0.1.0",
  exports: "./main.ts",
  tasks: {
    start: "deno run --allow-env=TERM,COLUMNS,LINES,FORCE_COLOR main.ts",
    dev: "deno run --allow-read=./src,./workers --allow-env=TERM,COLUMNS,LINES,FORCE_COLOR src/cli/main.ts",
    build: "deno run --allow-read=. --allow-write=./bundle,./dist --allow-run=deno scripts/build.ts",
    test: "deno fmt --check && deno lint && deno check main.ts workers/ src/ tests/ scripts/ bench/ && deno test --allow-read=. --allow-write=./dist --allow-run --allow-net=127.0.0.1 --allow-env tests/",
    bench: "deno run --allow-read=. --allow-write=bench/results --allow-run=deno,script,cat,getconf,kill bench/run.ts",
    "bench:micro": "deno bench bench/",
    compile: "deno run --allow-read --allow-env --allow-run=deno scripts/compile.ts",
    "compile:all": "deno run --allow-read --allow-env --allow-run=deno scripts/compile.ts --all"
  },
  fmt: {
    lineWidth: 100,
    exclude: [
      "dist/",
      "cov/",
      "bench/results/",
      "bundle/"
    ]
  },
  lint: {
    exclude: [
      "dist/",
      "cov/",
      "bundle/"
    ]
  },
  exclude: [
    "dist/",
    "cov/"
  ]
};

// src/cli/args.ts
init_catalog();
init_names();

// src/cli/values.ts
function parseWhole(raw, lo, hi) {
  const n = /^\d+$/.test(raw) ? Number(raw) : NaN;
  return Number.isSafeInteger(n) && n >= lo && n <= hi ? n : null;
}
function parsePositive(raw, hi) {
  const n = /^\d+(\.\d+)?([eE][+-]?\d+)?$/.test(raw) ? Number(raw) : NaN;
  return n > 0 && n <= hi ? n : null;
}
var DURATION_UNIT_MS = {
  ms: 1,
  s: 1e3,
  m: 6e4,
  h: 36e5,
  d: 864e5
};
function parseDuration(raw) {
  if (/^\d+(\.\d+)?$/.test(raw)) return Number(raw) * 1e3;
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/gy;
  let totalMs = 0, m, end = 0;
  while ((m = re.exec(raw)) !== null) {
    totalMs += Number(m[1]) * DURATION_UNIT_MS[m[2]];
    end = re.lastIndex;
  }
  return end === raw.length && end > 0 ? totalMs : null;
}
var ISO_RE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?(Z|[+-]\d{2}:?\d{2})?$/i;
function parseStartTime(raw) {
  const m = ISO_RE.exec(raw);
  if (!m) return null;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map((s) => Number(s ?? 0));
  const fracMs = m[7] ? Math.floor(Number(`0.${m[7]}`) * 1e3) : 0;
  if (year < 1970 || month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) {
    return null;
  }
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day < 1 || day > daysInMonth) return null;
  const offset = offsetMinutes(m[8]);
  if (offset === null) return null;
  return Date.UTC(year, month - 1, day, hour, minute, second, fracMs) - offset * 6e4;
}
function offsetMinutes(raw) {
  if (!raw || raw.toUpperCase() === "Z") return 0;
  const digits = raw.slice(1).replace(":", "");
  const hours = Number(digits.slice(0, 2)), minutes = Number(digits.slice(2));
  if (hours > 14 || minutes > 59) return null;
  return (raw[0] === "-" ? -1 : 1) * (hours * 60 + minutes);
}

// src/cli/args.ts
var UsageError = class extends Error {
};
var MAX_NODES = 16384;
var MAX_GPUS_PER_NODE = 8;
var MAX_SPEED = 1e6;
var MAX_EXIT_AFTER_MS = 365 * 864e5;
var SWITCH = {
  kind: "bool"
};
var FLAGS = {
  help: SWITCH,
  version: SWITCH,
  list: {
    kind: "value",
    accepts: "one of models, gpus, datasets"
  },
  seed: {
    kind: "value",
    accepts: "a whole number from 0 to 4294967295"
  },
  speed: {
    kind: "value",
    accepts: `a number above 0 and at most ${MAX_SPEED}`
  },
  instant: SWITCH,
  format: {
    kind: "value",
    accepts: "one of auto, tty, text, jsonl"
  },
  nodes: {
    kind: "value",
    accepts: `a whole number from 1 to ${MAX_NODES}`
  },
  "gpus-per-node": {
    kind: "value",
    accepts: `a whole number from 1 to ${MAX_GPUS_PER_NODE}`
  },
  gpu: {
    kind: "value",
    accepts: "a GPU name from fauxtrain --list gpus"
  },
  model: {
    kind: "value",
    accepts: "a model name from fauxtrain --list models"
  },
  dataset: {
    kind: "value",
    accepts: "a dataset name from fauxtrain --list datasets"
  },
  epochs: {
    kind: "value",
    accepts: "a whole number from 1 to 100"
  },
  "exit-after": {
    kind: "value",
    accepts: "a duration such as 90s, 5m or 1h30m"
  },
  loop: SWITCH,
  start: {
    kind: "value",
    accepts: "an ISO-8601 date or time from 1970 to 9999 such as 2026-11-24T09:00:00Z"
  },
  "no-color": SWITCH,
  "no-timestamps": SWITCH,
  workers: {
    kind: "value",
    accepts: "a whole number from 1 to 64"
  },
  "log-interval": {
    kind: "value",
    accepts: "a whole number of steps from 1 to 1000000"
  },
  style: {
    kind: "value",
    accepts: `one of auto, ${STYLE_NAMES.join(", ")}`
  },
  chaos: {
    kind: "value",
    accepts: "one of off, low, high"
  },
  resume: SWITCH
};
var SHORT = {
  h: "help",
  V: "version",
  s: "seed",
  l: "list"
};
function badValue(flag, raw) {
  const spec = FLAGS[flag];
  const accepts = spec.kind === "value" ? spec.accepts : "no value";
  return new UsageError(`--${flag} must be ${accepts}, got "${raw}"`);
}
function valueOf(flag, raw, parse) {
  const v = parse(raw);
  if (v === null) throw badValue(flag, raw);
  return v;
}
function tokenize(argv) {
  const out = /* @__PURE__ */ new Map();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--") continue;
    let name, inline;
    if (arg.startsWith("--") && arg.length > 2) {
      const eq = arg.indexOf("=");
      name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
      inline = eq < 0 ? void 0 : arg.slice(eq + 1);
    } else if (/^-[A-Za-z]$/.test(arg) && SHORT[arg[1]]) {
      name = SHORT[arg[1]];
    } else if (/^-[A-Za-z]/.test(arg)) {
      throw new UsageError(`unknown flag ${arg}; run fauxtrain --help for the list`);
    } else {
      throw new UsageError(`unexpected argument "${arg}"; fauxtrain takes only flags (see --help)`);
    }
    const spec = FLAGS[name];
    if (!spec) throw new UsageError(`unknown flag --${name}; run fauxtrain --help for the list`);
    if (out.has(name)) throw new UsageError(`--${name} was given twice`);
    if (spec.kind === "bool") {
      if (inline !== void 0) throw new UsageError(`--${name} takes no value, got "${inline}"`);
      out.set(name, "");
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === void 0 || inline === void 0 && /^--?[A-Za-z]/.test(value)) {
      throw new UsageError(`--${name} needs a value: ${spec.accepts}`);
    }
    out.set(name, value);
  }
  return out;
}
function checkConflicts(f) {
  if (f.has("instant") && f.has("speed")) {
    throw new UsageError("--instant and --speed cannot be combined: pick one pace");
  }
  if (f.has("no-timestamps") && f.get("format") === "jsonl") {
    throw new UsageError("--no-timestamps applies to text output; JSON lines always carry ts");
  }
}
function parseArgs(argv) {
  const f = tokenize(argv);
  checkConflicts(f);
  const optional = (flag, parse) => {
    const raw = f.get(flag);
    return raw === void 0 ? void 0 : valueOf(flag, raw, parse);
  };
  const oneOf = (choices) => (raw) => choices.includes(raw) ? raw : null;
  const whole = (lo, hi) => (raw) => parseWhole(raw, lo, hi);
  const lookup = (flag, find, list) => {
    const raw = f.get(flag);
    if (raw === void 0) return void 0;
    const hit = raw.trim() === "" ? void 0 : find(raw);
    if (!hit) throw new UsageError(`--${flag} "${raw}" is not known; see fauxtrain --list ${list}`);
    return hit;
  };
  const exitAfter = (raw) => {
    const ms = parseDuration(raw);
    return ms !== null && ms > 0 && ms <= MAX_EXIT_AFTER_MS ? ms : null;
  };
  return Object.freeze({
    help: f.has("help"),
    version: f.has("version"),
    list: optional("list", oneOf([
      "models",
      "gpus",
      "datasets"
    ])) ?? null,
    seed: optional("seed", whole(0, 4294967295)) ?? null,
    speed: optional("speed", (raw) => parsePositive(raw, MAX_SPEED)) ?? null,
    instant: f.has("instant"),
    format: optional("format", oneOf([
      "auto",
      "tty",
      "text",
      "jsonl"
    ])) ?? "auto",
    nodes: optional("nodes", whole(1, MAX_NODES)),
    gpusPerNode: optional("gpus-per-node", whole(1, MAX_GPUS_PER_NODE)),
    gpu: lookup("gpu", findGpu, "gpus"),
    model: lookup("model", findModel, "models"),
    dataset: lookup("dataset", findDataset, "datasets"),
    epochs: optional("epochs", whole(1, 100)),
    exitAfterMs: optional("exit-after", exitAfter) ?? null,
    loop: f.has("loop"),
    startMs: optional("start", parseStartTime) ?? null,
    color: !f.has("no-color"),
    timestamps: !f.has("no-timestamps"),
    workers: optional("workers", whole(1, 64)),
    logInterval: optional("log-interval", whole(1, 1e6)),
    style: optional("style", oneOf([
      "auto",
      ...STYLE_NAMES
    ])) ?? "auto",
    chaos: optional("chaos", oneOf([
      "off",
      "low",
      "high"
    ])) ?? "low",
    resume: f.has("resume")
  });
}

// src/sim/run_config.ts
init_catalog();
init_rng();

// src/sim/model/memory.ts
var GIB = 1024 ** 3;
var WEIGHT_BYTES = 2;
var OPTIMIZER_BYTES = 12;
var RUNTIME_GIB = 1.6;
var FRAGMENTATION = 0.06;
function activationFactor(recompute) {
  return recompute === "full" ? 2 : recompute === "selective" ? 34 : 38;
}
function memoryPerGpu(m) {
  const localParams = m.params / (m.tp * m.pp);
  const gradBytes = m.strategy === "megatron" ? 4 : 2;
  let w = WEIGHT_BYTES, g = gradBytes, o = OPTIMIZER_BYTES;
  if (m.strategy === "zero1" || m.strategy === "megatron") o /= m.dp;
  if (m.strategy === "zero2") g /= m.dp, o /= m.dp;
  if (m.strategy === "zero3" || m.strategy === "fsdp") w /= m.dp, g /= m.dp, o /= m.dp;
  const gathered = m.strategy === "zero3" || m.strategy === "fsdp" ? 2 * WEIGHT_BYTES * m.params / m.layers / (m.tp * m.pp) : 0;
  const tokens = m.seqLen * m.microBatch;
  const perLayer = tokens * m.hidden * activationFactor(m.recompute) / m.tp;
  const recomputeBuffer = m.recompute === "full" ? tokens * m.hidden * 34 / m.tp : 0;
  const logits = tokens * m.vocab * 6 / m.tp / (m.pp > 1 ? 2 : 1);
  const weightsGiB = (localParams * w + gathered) / GIB;
  const gradsGiB = localParams * g / GIB;
  const optimizerGiB = localParams * o / GIB;
  const activationsGiB = (m.layers * perLayer + recomputeBuffer + logits) / GIB;
  const tensors = weightsGiB + gradsGiB + optimizerGiB + activationsGiB;
  const overheadGiB = RUNTIME_GIB + tensors * FRAGMENTATION;
  return {
    weightsGiB,
    gradsGiB,
    optimizerGiB,
    activationsGiB,
    overheadGiB,
    totalGiB: tensors + overheadGiB
  };
}

// src/sim/model/plan.ts
var MAX_MEMORY_FRACTION = 0.93;
var MICRO_BATCHES = [
  64,
  48,
  32,
  24,
  16,
  12,
  8,
  6,
  4,
  3,
  2,
  1
];
var RECOMPUTE = [
  "none",
  "selective",
  "full"
];
function modelParallelLayouts(p, strategy) {
  if (strategy !== "megatron") return [
    [
      1,
      1
    ]
  ];
  const out = [];
  for (const pp of [
    1,
    2,
    4,
    8,
    16,
    32
  ]) {
    for (const tp of [
      1,
      2,
      4,
      8
    ]) {
      if (tp > p.gpusPerNode || p.heads % tp !== 0 || pp > p.layers) continue;
      if (p.worldSize % (tp * pp) !== 0) continue;
      out.push([
        tp,
        pp
      ]);
    }
  }
  return out.sort((a, b) => a[0] * a[1] - b[0] * b[1] || a[1] - b[1]);
}
function fitMicroBatch(p, strategy, tp, pp, recompute) {
  const dp = p.worldSize / (tp * pp);
  for (const microBatch of MICRO_BATCHES) {
    if (microBatch * p.seqLen > 262144) continue;
    const memory = memoryPerGpu({
      ...p,
      microBatch,
      dp,
      tp,
      pp,
      strategy,
      recompute
    });
    if (memory.totalGiB <= p.memGiB * MAX_MEMORY_FRACTION) {
      return {
        strategy,
        tp,
        pp,
        dp,
        microBatch,
        recompute,
        memory
      };
    }
  }
  return null;
}
function planParallelism(p) {
  for (const strategy of p.strategies) {
    for (const [tp, pp] of modelParallelLayouts(p, strategy)) {
      for (const recompute of RECOMPUTE) {
        const plan = fitMicroBatch(p, strategy, tp, pp, recompute);
        if (plan) return plan;
      }
    }
  }
  return null;
}
function candidateStrategies(params, pick) {
  const sets = params < 15e8 ? [
    [
      "ddp",
      "zero1",
      "zero2"
    ],
    [
      "ddp",
      "fsdp",
      "zero2"
    ]
  ] : params < 2e10 ? [
    [
      "zero2",
      "fsdp",
      "zero3",
      "megatron"
    ],
    [
      "fsdp",
      "zero3",
      "megatron"
    ],
    [
      "zero1",
      "zero2",
      "zero3",
      "megatron"
    ]
  ] : params < 1e11 ? [
    [
      "zero3",
      "megatron"
    ],
    [
      "fsdp",
      "megatron"
    ],
    [
      "megatron",
      "zero3"
    ]
  ] : [
    [
      "megatron",
      "zero3"
    ]
  ];
  return sets[pick(sets.length)];
}

// src/sim/run_config.ts
init_throughput();
init_comm();
init_names2();
var ConfigError = class extends Error {
};
var DEFAULT_GPUS_PER_NODE = 8;
var GPU_WEIGHTS = {
  "h100-sxm": 40,
  "a100-80gb": 18,
  "h200": 12,
  "b200": 8,
  "gb200": 4,
  "mi300x": 6,
  "a100-40gb": 5,
  "h100-pcie": 3,
  "l40s": 2,
  "a100-pcie": 1,
  "v100": 1
};
var NODE_CHOICES = [
  1,
  2,
  4,
  8,
  16,
  32,
  64,
  128,
  256,
  512,
  1024
];
var NODE_WEIGHTS = [
  4,
  6,
  10,
  22,
  16,
  12,
  8,
  6,
  4,
  2,
  1
];
function pickGpu(rng) {
  return rng.weighted(GPUS, GPUS.map((g) => GPU_WEIGHTS[g.id] ?? 1));
}
function modelWeight(m, worldSize, task) {
  const ideal = task === "pretrain" ? 125e6 * worldSize : 4e8 * worldSize;
  const z = Math.log(m.params / ideal) / 1.3;
  return Math.exp(-0.5 * z * z) * (m.real ? 1 : 0.6);
}
function planFor(model, hw, nodes, seqLen, rng) {
  const gpu = hw.gpu;
  return planParallelism({
    ...model,
    seqLen,
    worldSize: nodes * hw.gpusPerNode,
    gpusPerNode: hw.gpusPerNode,
    memGiB: gpu.memMiB / 1024,
    strategies: candidateStrategies(model.params, (n) => rng.int(0, n - 1))
  });
}
function pickSeqLen(model, task, rng) {
  const options = (task === "pretrain" ? [
    2048,
    4096,
    4096,
    8192
  ] : [
    2048,
    4096
  ]).filter((s) => s <= model.ctx);
  return options.length ? rng.pick(options) : model.ctx;
}
function minimumNodes(model, hw, seqLen, rng) {
  for (let nodes = 1; nodes <= 16384; nodes *= 2) {
    if (planFor(model, hw, nodes, seqLen, rng)) return nodes;
  }
  return Infinity;
}
function niceInterval(raw) {
  const nice = [
    1,
    2,
    5,
    10,
    20,
    25,
    50,
    100,
    200,
    250,
    500,
    1e3,
    2e3,
    2500,
    5e3,
    1e4
  ];
  return nice.find((n) => n >= raw) ?? 1e4;
}
function drawResumeStep(seed, totalSteps, ckptInterval, stepsPerEpoch) {
  const saves = [];
  for (let step = ckptInterval; step < totalSteps * 0.75; step += ckptInterval) {
    if (step % stepsPerEpoch !== 0) saves.push(step);
  }
  if (saves.length === 0) return Math.max(1, Math.floor(totalSteps / 2));
  return createRng(seed, "resume").pick(saves);
}
function roundLr(lr) {
  return Number(lr.toPrecision(2));
}
function pickPrecision(gpu, task, rng) {
  if (!gpu.precisions.includes("bf16")) return "fp16";
  if (gpu.precisions.includes("fp8") && task === "pretrain" && rng.chance(0.25)) return "fp8";
  return rng.chance(0.08) ? "fp16" : "bf16";
}
function drawRunConfig(choices) {
  const rng = createRng(choices.seed, "config");
  const gpu = choices.gpu ?? pickGpu(rng);
  const task = choices.dataset?.kind ?? (rng.chance(0.62) ? "pretrain" : "finetune");
  let nodes = choices.nodes ?? rng.weighted(NODE_CHOICES, NODE_WEIGHTS);
  const gpusPerNode = choices.gpusPerNode ?? DEFAULT_GPUS_PER_NODE;
  const hw = {
    gpu,
    gpusPerNode
  };
  let model = choices.model;
  let seqLen = 0;
  let plan = null;
  if (model) {
    seqLen = pickSeqLen(model, task, rng);
    if (choices.nodes === void 0) nodes = Math.max(nodes, minimumNodes(model, hw, seqLen, rng));
    plan = planFor(model, hw, nodes, seqLen, rng);
    if (!plan) {
      const need = minimumNodes(model, hw, seqLen, rng);
      throw new ConfigError(`--model ${model.id} does not fit on ${nodes * gpusPerNode} \xD7 ${gpu.name}` + (Number.isFinite(need) ? `; it needs --nodes ${need} or more` : "; pick a larger GPU"));
    }
  } else {
    const weights = MODELS.map((m) => modelWeight(m, nodes * gpusPerNode, task));
    for (let attempt = 0; attempt < 64 && !plan; attempt++) {
      model = rng.weighted(MODELS, weights);
      seqLen = pickSeqLen(model, task, rng);
      plan = planFor(model, hw, nodes, seqLen, rng);
    }
    if (!plan || !model) {
      throw new ConfigError(`--nodes ${nodes} with --gpu ${gpu.id} is too small for any model`);
    }
  }
  const worldSize = nodes * gpusPerNode;
  const datasets = DATASETS.filter((d) => d.kind === task);
  const dataset = choices.dataset ?? rng.pick(datasets.length ? datasets : DATASETS);
  const precision = pickPrecision(gpu, task, rng);
  const microTokens = plan.microBatch * seqLen * plan.dp;
  const targetTokens = task === "pretrain" ? model.params < 15e8 ? 524e3 : model.params < 1e10 ? 105e4 : model.params < 1e11 ? 21e5 : 42e5 : seqLen * rng.pick([
    64,
    128,
    128,
    256
  ]);
  const gradAccum = Math.max(1, Math.round(targetTokens / microTokens));
  const globalBatch = plan.microBatch * plan.dp * gradAccum;
  const tokensPerStep = globalBatch * seqLen;
  const epochs = choices.epochs ?? (task === "pretrain" ? rng.pick([
    1,
    1,
    2,
    3
  ]) : rng.pick([
    2,
    3,
    3,
    4
  ]));
  const stepsPerEpoch = task === "pretrain" ? Math.max(400, Math.min(9e3, Math.round(dataset.tokens / tokensPerStep), rng.int(1500, 9e3))) : Math.max(30, Math.min(3e3, Math.ceil(dataset.tokens / tokensPerStep)));
  const totalSteps = stepsPerEpoch * epochs;
  const warmupSteps = task === "pretrain" ? Math.min(2e3, Math.max(50, Math.round(totalSteps * rng.range(0.01, 0.03)))) : Math.max(5, Math.round(totalSteps * 0.03));
  const lrMax = task === "pretrain" ? roundLr((model.params < 15e8 ? 6e-4 : model.params < 1e10 ? 3e-4 : model.params < 1e11 ? 15e-5 : 8e-5) * rng.range(0.8, 1.2)) : rng.pick([
    1e-5,
    2e-5,
    2e-5,
    5e-6
  ]);
  const lrMin = task === "pretrain" ? roundLr(lrMax * 0.1) : 0;
  const peak = peakTflops(gpu, precision);
  const fpt = flopsPerToken(model.params, model.layers, model.hidden, seqLen);
  const sizeFactor = model.params < 1e9 ? 0.8 : model.params < 5e9 ? 0.92 : 1;
  const shardFactor = plan.strategy === "zero3" || plan.strategy === "fsdp" ? 0.93 : 1;
  const scaleFactor = 1 - 0.012 * Math.log2(nodes);
  const fp8Factor = precision === "fp8" ? 0.62 : 1;
  const recomputeFactor = plan.recompute === "full" ? 0.85 : 1;
  const mfu = rng.range(gpu.mfu[0], gpu.mfu[1]) * sizeFactor * shardFactor * scaleFactor * fp8Factor * recomputeFactor;
  const cluster = drawCluster(rng, nodes, gpu);
  const runId = `${model.id}-${task === "pretrain" ? "pt" : "sft"}-${new Date(choices.startMs).toISOString().slice(0, 10).replaceAll("-", "")}-${rng.hex(4)}`;
  const cfg = {
    seed: choices.seed,
    startMs: choices.startMs,
    runId,
    task,
    model,
    gpu,
    dataset,
    nodes,
    gpusPerNode,
    worldSize,
    cluster,
    plan,
    precision,
    seqLen,
    gradAccum,
    globalBatch,
    tokensPerStep,
    epochs,
    stepsPerEpoch,
    totalSteps,
    lrMax,
    lrMin,
    warmupSteps,
    schedule: task === "pretrain" && rng.chance(0.2) ? "wsd" : "cosine",
    logInterval: choices.logInterval ?? niceInterval(totalSteps / 1200),
    ckptInterval: niceInterval(totalSteps / rng.int(5, 9)),
    mfu,
    flopsPerToken: fpt,
    peakTflops: peak,
    tokensPerSecond: tokensPerSec(mfu, peak, worldSize, fpt),
    busbwGBps: busBandwidthGBps(gpu, nodes),
    storagePerNodeGBps: rng.range(2, 6),
    storageCapGBps: rng.pick([
      120,
      250,
      400,
      1e3
    ]),
    outputDir: `${cluster.ckptRoot}/${runId}`,
    chaos: choices.chaos ?? "low",
    resumeStep: 0
  };
  if (choices.resume) {
    cfg.resumeStep = drawResumeStep(cfg.seed, totalSteps, cfg.ckptInterval, stepsPerEpoch);
  }
  return cfg;
}

// src/cluster/frame.ts
function createFrame(seq, simMs, nodes, gpusPerNode, allreduce) {
  const gpus = nodes * gpusPerNode;
  return {
    seq,
    simMs,
    utilPct: new Float32Array(gpus),
    tempC: new Float32Array(gpus),
    memGiB: new Float32Array(gpus),
    powerW: new Float32Array(gpus),
    allreduceMs: allreduce ? new Float32Array(nodes) : null
  };
}
function mergeSample(frame, s, gpusPerNode) {
  const at = s.firstNode * gpusPerNode;
  frame.utilPct.set(s.utilPct, at);
  frame.tempC.set(s.tempC, at);
  frame.memGiB.set(s.memGiB, at);
  frame.powerW.set(s.powerW, at);
  if (s.allreduceMs && frame.allreduceMs) frame.allreduceMs.set(s.allreduceMs, s.firstNode);
}
function nodeBlocks(nodes, workers) {
  const n = Math.max(1, Math.min(workers, nodes));
  const out = [];
  for (let w = 0; w < n; w++) {
    const first = Math.floor(w * nodes / n);
    out.push([
      first,
      Math.floor((w + 1) * nodes / n) - first
    ]);
  }
  return out;
}

// dist/.build/worker_url.js
var WORKER_CODE = '// src/sim/rng.ts\nfunction mix32(...values) {\n  let h = 2654435769;\n  for (const v of values) {\n    h = Math.imul(h ^ v >>> 0, 2246822507);\n    h ^= h >>> 13;\n    h = Math.imul(h, 3266489909);\n    h ^= h >>> 16;\n  }\n  return h >>> 0;\n}\nfunction hashUnit(...values) {\n  return mix32(...values) / 4294967296;\n}\n\n// src/sim/model/comm.ts\nvar HOP_LATENCY_S = 6e-6;\nfunction allReduceSeconds(bytes, ranks, busbwGBps) {\n  if (ranks <= 1) return 0;\n  const volume = 2 * (ranks - 1) / ranks * bytes;\n  return volume / (busbwGBps * 1e9) + 2 * (ranks - 1) * HOP_LATENCY_S;\n}\n\n// src/cluster/telemetry.ts\nvar AMBIENT_C = 27;\nvar RISE_AT_TDP_C = 44;\nvar THERMAL_TAU_S = 40;\nfunction initialThermal(init) {\n  const n = init.nodeCount * init.gpusPerNode;\n  if (init.warm) {\n    return {\n      tempC: Float32Array.from(init.warm.tempC),\n      lastSimMs: init.warm.lastSimMs\n    };\n  }\n  const tempC = new Float32Array(n);\n  for (let i = 0; i < n; i++) tempC[i] = AMBIENT_C + gpuOffsetC(init, i) * 0.5;\n  return {\n    tempC,\n    lastSimMs: -1\n  };\n}\nfunction globalRank(init, i) {\n  return init.firstNode * init.gpusPerNode + i;\n}\nfunction gpuOffsetC(init, i) {\n  const u = hashUnit(init.seed, globalRank(init, i), 7);\n  return -3 + 10 * u * u;\n}\nfunction utilFor(tick, rank, seed, second) {\n  const u = hashUnit(seed, rank, second, 1);\n  switch (tick.activity) {\n    case "train":\n      return hashUnit(seed, rank >> 3, second, 2) < 0.03 ? 72 + 20 * u : Math.min(100, 96 + 4.3 * u);\n    case "val":\n      return 88 + 10 * u;\n    case "hang":\n      return 100;\n    case "ckpt":\n      return 3 * u;\n    case "export":\n      return 12 * u;\n    case "load":\n      return 6 * u * tick.loadFraction;\n    default:\n      return 0;\n  }\n}\nfunction sampleBlock(init, state, tick) {\n  const n = init.nodeCount * init.gpusPerNode;\n  const utilPct = new Float32Array(n), tempC = new Float32Array(n);\n  const memGiB = new Float32Array(n), powerW = new Float32Array(n);\n  const dtS = state.lastSimMs < 0 ? 0 : Math.max(0, tick.simMs - state.lastSimMs) / 1e3;\n  const alpha = 1 - Math.exp(-dtS / THERMAL_TAU_S);\n  const second = Math.floor(tick.simMs / 1e3);\n  for (let i = 0; i < n; i++) {\n    const rank = globalRank(init, i);\n    const down = tick.downNodes?.includes(Math.floor(rank / init.gpusPerNode)) ?? false;\n    const util = down ? 0 : utilFor(tick, rank, init.seed, second);\n    const spread = 0.96 + 0.08 * hashUnit(init.seed, rank, 3);\n    const wobble = 0.97 + 0.06 * hashUnit(init.seed, rank, second, 4);\n    const dynamic = (init.tdpW - init.idleW) * tick.intensity * (util / 100) * spread * wobble;\n    const power = down ? 0 : Math.min(init.tdpW * 1.06, init.idleW + dynamic);\n    const target = AMBIENT_C + gpuOffsetC(init, i) + RISE_AT_TDP_C * (power / init.tdpW);\n    const temp = state.tempC[i] + (target - state.tempC[i]) * alpha;\n    state.tempC[i] = temp;\n    utilPct[i] = util;\n    powerW[i] = power;\n    tempC[i] = temp;\n    memGiB[i] = down ? 0 : memoryFor(init, tick, rank);\n  }\n  state.lastSimMs = tick.simMs;\n  return {\n    type: "sample",\n    seq: tick.seq,\n    firstNode: init.firstNode,\n    nodeCount: init.nodeCount,\n    utilPct,\n    tempC,\n    memGiB,\n    powerW,\n    allreduceMs: tick.allreduce ? allReduceTimes(init, tick) : null\n  };\n}\nfunction memoryFor(init, tick, rank) {\n  const context = 0.52;\n  if (tick.activity === "idle") return context;\n  const steady = Math.min(init.memTotalGiB * 0.985, tick.memGiB * (0.985 + 0.02 * hashUnit(init.seed, rank, 5)));\n  if (tick.activity === "load") return context + (steady - context) * tick.loadFraction * 0.6;\n  return steady;\n}\nfunction allReduceTimes(init, tick) {\n  const probe = tick.allreduce;\n  const base = allReduceSeconds(probe.bytes, probe.ranks, probe.busbwGBps) * 1e3;\n  const out = new Float32Array(init.nodeCount);\n  for (let k = 0; k < init.nodeCount; k++) {\n    const node = init.firstNode + k;\n    out[k] = base * (1 + 0.04 * hashUnit(init.seed, node, tick.seq, 6));\n  }\n  return out;\n}\n\n// workers/telemetry_worker.ts\nfunction injectFault(fault, tick) {\n  if (!fault || fault.atSeq !== tick.seq) return false;\n  if (fault.kind === "throw") throw new Error(`injected fault at tick ${tick.seq}`);\n  if (fault.kind === "escape") {\n    setTimeout(() => {\n      throw new Error(`injected uncaught fault at tick ${tick.seq}`);\n    }, 0);\n  } else self.close();\n  return true;\n}\nfunction answer(init, thermal, tick) {\n  if (injectFault(init.fault, tick)) return;\n  const s = sampleBlock(init, thermal, tick);\n  const buffers = [\n    s.utilPct.buffer,\n    s.tempC.buffer,\n    s.memGiB.buffer,\n    s.powerW.buffer\n  ];\n  if (s.allreduceMs) buffers.push(s.allreduceMs.buffer);\n  self.postMessage(s, buffers);\n}\nfunction serve() {\n  let init = null;\n  let thermal = null;\n  self.onmessage = (e) => {\n    const msg = e.data;\n    if (msg.type === "init") {\n      init = msg;\n      thermal = initialThermal(msg);\n      return;\n    }\n    try {\n      if (!init || !thermal) throw new Error("telemetry worker got a tick before init");\n      answer(init, thermal, msg);\n    } catch (err) {\n      const failure = {\n        type: "failure",\n        seq: msg.seq,\n        message: String(err)\n      };\n      self.postMessage(failure);\n      self.close();\n    }\n  };\n}\nserve();\n';
var TELEMETRY_WORKER_URL = URL.createObjectURL(new Blob([
  WORKER_CODE
], {
  type: "text/javascript"
}));
var WORKER_NEEDS_READ = false;

// src/cluster/pool.ts
var DEFAULT_STALL_MS = 5e3;
var MAX_RESTARTS = 3;
var PoolFailure = class extends Error {
  notice;
  constructor(notice) {
    super(`telemetry worker for nodes ${notice.firstNode}-${notice.firstNode + notice.nodeCount - 1} failed ${MAX_RESTARTS + 1} times: ${notice.reason}`), this.notice = notice;
  }
};
var TelemetryPool = class {
  blocks;
  #opts;
  #slots;
  #ready = null;
  /** Ticks sent and not yet answered by every block, oldest first (consecutive seqs). */
  #open = [];
  #notices = [];
  #seq = 0;
  #closed = false;
  /** Set once a block's worker kept failing: every later tick fails with it. */
  #failure = null;
  constructor(opts) {
    this.#opts = opts;
    this.blocks = nodeBlocks(opts.nodes, opts.maxWorkers);
    this.#slots = this.blocks.map((_, i) => ({
      worker: null,
      synced: false,
      failures: 0,
      recovering: false,
      fault: opts.faults?.[i]
    }));
  }
  /** Starts the workers, one per event-loop turn; resolves when every block has one. */
  start() {
    this.#ready ??= (async () => {
      for (let i = 0; i < this.#slots.length && !this.#closed; i++) {
        await new Promise((r) => setTimeout(r, 0));
        const slot = this.#slots[i];
        if (!this.#closed && !slot.worker && slot.failures === 0) slot.worker = this.#spawn(i);
      }
    })();
    return this.#ready;
  }
  /**
   * Asks every block's worker for the tick and resolves with the merged frame. Ticks may be
   * asked for before earlier ones are answered; their frames resolve in the order asked.
   */
  sample(tick) {
    if (this.#failure) return Promise.reject(this.#failure);
    for (let i = 0; i < this.#slots.length; i++) {
      if (!this.#slots[i].worker) this.#slots[i].worker = this.#spawn(i);
    }
    const seq = ++this.#seq;
    const o = this.#opts;
    const p = {
      frame: createFrame(seq, tick.simMs, o.nodes, o.gpusPerNode, tick.allreduce !== void 0),
      tick: {
        type: "tick",
        seq,
        ...tick
      },
      answered: new Uint8Array(this.blocks.length),
      remaining: this.blocks.length,
      resolve: () => {
      },
      reject: () => {
      },
      timer: null
    };
    const done = new Promise((resolve, reject) => (p.resolve = resolve, p.reject = reject));
    this.#open.push(p);
    for (let i = 0; i < this.#slots.length; i++) this.#post(i, p.tick);
    if (this.#open.length === 1) this.#watch(p);
    return done;
  }
  /** Failures and recoveries since the last call up to tick `throughSeq`, oldest first. */
  takeNotices(throughSeq = Infinity) {
    const out = this.#notices.filter((n) => n.seq <= throughSeq);
    if (out.length > 0) this.#notices = this.#notices.filter((n) => n.seq > throughSeq);
    return out;
  }
  /** Ends every worker; open ticks never resolve. */
  terminate() {
    this.#closed = true;
    for (const p of this.#open) if (p.timer) clearTimeout(p.timer);
    this.#open = [];
    for (const slot of this.#slots) slot.worker?.terminate();
    for (const slot of this.#slots) slot.worker = null;
  }
  #spawn(index) {
    const w = new Worker(this.#opts.workerUrl ?? TELEMETRY_WORKER_URL, {
      type: "module"
    });
    w.onmessage = (e) => this.#receive(index, w, e.data);
    w.onerror = (e) => {
      e.preventDefault();
      this.#failIf(index, w, e.message);
    };
    w.onmessageerror = () => this.#failIf(index, w, "unreadable message");
    this.#slots[index].synced = false;
    return w;
  }
  /** The init of block `index`, carrying the block's state after the last tick it answered. */
  #init(index) {
    const [firstNode, nodeCount] = this.blocks[index];
    const o = this.#opts;
    const warm = this.#slots[index].warm;
    return {
      type: "init",
      seed: o.seed,
      gpusPerNode: o.gpusPerNode,
      firstNode,
      nodeCount,
      memTotalGiB: o.memTotalGiB,
      tdpW: o.tdpW,
      idleW: o.idleW,
      // A copy: the init's array is handed over to the worker.
      warm: warm ? {
        tempC: warm.tempC.slice(),
        lastSimMs: warm.lastSimMs
      } : void 0
    };
  }
  #post(index, tick) {
    const slot = this.#slots[index];
    const w = slot.worker;
    if (!slot.synced) {
      const init = {
        ...this.#init(index),
        fault: slot.fault
      };
      slot.fault = void 0;
      slot.synced = true;
      w.postMessage(init, init.warm ? [
        init.warm.tempC.buffer
      ] : []);
    }
    w.postMessage(tick);
  }
  #accept(index, s) {
    const head = this.#open[0];
    const p = head ? this.#open[s.seq - head.frame.seq] : void 0;
    if (!p || p.frame.seq !== s.seq || p.answered[index]) return;
    p.answered[index] = 1;
    mergeSample(p.frame, s, this.#opts.gpusPerNode);
    this.#slots[index].warm = {
      tempC: s.tempC,
      lastSimMs: p.tick.simMs
    };
    if (--p.remaining > 0) return;
    while (this.#open.length > 0 && this.#open[0].remaining === 0) {
      const done = this.#open[0];
      this.#settle(done);
      done.resolve(done.frame);
    }
  }
  #settle(p) {
    if (p.timer) clearTimeout(p.timer);
    this.#open.shift();
    if (this.#open.length > 0) this.#watch(this.#open[0]);
  }
  /** Starts the stall clock of the oldest open tick. */
  #watch(p) {
    p.timer = setTimeout(() => this.#stalled(p), this.#opts.stallMs ?? DEFAULT_STALL_MS);
  }
  #receive(index, w, msg) {
    const slot = this.#slots[index];
    if (slot.worker !== w) return;
    if (msg.type === "failure") return this.#failIf(index, w, msg.message);
    slot.failures = 0;
    if (slot.recovering) {
      slot.recovering = false;
      this.#notices.push(this.#notice(index, {
        kind: "recover",
        seq: msg.seq,
        reason: "",
        restarting: false
      }));
    }
    this.#accept(index, msg);
  }
  #stalled(p) {
    if (this.#open[0] !== p) return;
    this.#watch(p);
    const stallMs = this.#opts.stallMs ?? DEFAULT_STALL_MS;
    for (let i = 0; i < this.#slots.length; i++) {
      const w = this.#slots[i].worker;
      if (w && !p.answered[i]) this.#failIf(i, w, `no answer within ${stallMs} ms`);
    }
  }
  /** Replaces worker `w` of block `index` (if it is still current) and resends its open ticks. */
  #failIf(index, w, reason) {
    const slot = this.#slots[index];
    if (slot.worker !== w || this.#closed) return;
    w.terminate();
    slot.worker = null;
    slot.failures++;
    slot.recovering = true;
    const restarting = slot.failures <= MAX_RESTARTS;
    const lost = this.#open.filter((p) => !p.answered[index]);
    const seq = lost[0]?.frame.seq ?? this.#seq;
    this.#notices.push(this.#notice(index, {
      kind: "fail",
      seq,
      reason,
      restarting
    }));
    if (!restarting) return this.#giveUp();
    slot.worker = this.#spawn(index);
    for (const p of lost) this.#post(index, p.tick);
  }
  /** Fails every open tick: a block's worker kept dying. */
  #giveUp() {
    const failure = this.#failure = new PoolFailure(this.#notices.at(-1));
    for (const p of this.#open) {
      if (p.timer) clearTimeout(p.timer);
      p.reject(failure);
    }
    this.#open = [];
  }
  #notice(index, n) {
    const [firstNode, nodeCount] = this.blocks[index];
    return {
      firstNode,
      nodeCount,
      ...n
    };
  }
};

// src/cluster/notice.ts
function who(n, gpusPerNode, host) {
  const lastNode = n.firstNode + n.nodeCount - 1;
  const ranks = `ranks ${n.firstNode * gpusPerNode}-${(lastNode + 1) * gpusPerNode - 1}`;
  return n.nodeCount === 1 ? `${host(n.firstNode)} (${ranks})` : `nodes ${host(n.firstNode)}..${host(lastNode)} (${ranks})`;
}
function noticeEvent(n, gpusPerNode, host, simMs) {
  const subject = who(n, gpusPerNode, host);
  if (n.kind === "recover") {
    const msg = `${subject} recovered: telemetry agent restarted, caught up at tick ${n.seq}`;
    return {
      type: "log",
      simMs,
      level: "info",
      key: "node.recover",
      msg
    };
  }
  const next = n.restarting ? "restarting it from the last known state" : "too many restarts, giving up";
  return {
    type: "log",
    simMs,
    level: "warn",
    key: "node.fail",
    msg: `Lost telemetry from ${subject} at tick ${n.seq} (${n.reason}); ${next}`
  };
}

// src/driver/driver.ts
init_names2();
init_rng();

// src/sim/simulate.ts
init_rng();
init_timeline();
init_launch();

// src/sim/phases/setup.ts
init_names2();
init_timeline();
init_units();
var STARTUP_LOAD_FRACTION = 0.05;
function* setupPhase(t, rng) {
  yield* gpuDetection(t, rng);
  yield* modelLoading(t, rng);
  yield* dataLoading(t, rng);
  yield* trainingConfig(t);
}
function* gpuDetection(t, rng) {
  const cfg = t.cfg;
  const g = cfg.gpu;
  const memGiB = (g.memMiB / 1024).toFixed(1);
  yield logLine(t, "gpu.detect", `Detected ${cfg.worldSize} \xD7 ${g.name} across ${cfg.nodes} node${cfg.nodes > 1 ? "s" : ""} (${cfg.gpusPerNode} per node, ${memGiB} GiB each, compute capability ${g.computeCapability})`);
  const shown = Math.min(cfg.nodes, 4);
  for (let n = 0; n < shown; n++) {
    yield logLine(t, "gpu.node", `  ${hostName(cfg.cluster, n)}: GPU ${gpuRange(cfg.gpusPerNode)} ${g.name}, ${g.vendor === "amd" ? "Infinity Fabric" : "NVLink"} ${g.nvlinkGBps} GB/s, ${g.nicsPerNode} \xD7 ${g.nic}`);
  }
  if (cfg.nodes > shown) yield logLine(t, "gpu.node", `  ... and ${cfg.nodes - shown} more nodes`);
  yield logLine(t, "gpu.driver", g.vendor === "amd" ? `ROCm ${g.cuda}, amdgpu driver ${g.driver}` : `Driver Version: ${g.driver}   CUDA Version: ${g.cuda}`);
  yield tickEvent(t, t.simMs, "load", STARTUP_LOAD_FRACTION);
  yield* advance(t, rng.range(300, 1200), "idle");
}
function* modelLoading(t, rng) {
  const cfg = t.cfg;
  const m = cfg.model;
  yield logLine(t, "model.arch", `Model ${m.name} (${m.hf}): ${formatParams(m.params)} parameters (${thousands(m.params)}), ${m.layers} layers, hidden ${m.hidden}, ${m.heads} attention heads` + (m.kvHeads !== m.heads ? ` (${m.kvHeads} KV heads)` : "") + `, FFN ${m.ffn}, vocab ${thousands(m.vocab)}, context ${m.ctx}`);
  const readGBps = rng.range(1.5, 4) * Math.min(cfg.nodes, 16);
  if (cfg.task === "finetune") {
    const shards = Math.max(1, Math.ceil(m.params * 2 / 5e9));
    yield logLine(t, "model.load", `Loading pretrained weights from ${m.hf} (${shards} safetensors shards)`);
    yield* progress(t, "load", "Loading checkpoint shards", shards, "it", m.params * 2 / (readGBps * 1e9) * 1e3, "load");
  } else {
    yield logLine(t, "model.init", `Initializing ${m.name} from scratch (init std 0.02, seed ${cfg.seed})`);
    yield* progress(t, "load", "Initializing layers", m.layers, "layer", m.layers * rng.range(40, 160), "load");
  }
  yield* advance(t, rng.range(500, 2e3), "load", 1);
  yield logLine(t, "model.wrap", wrapLine(cfg));
  const mem = cfg.plan.memory;
  const cap = cfg.gpu.memMiB / 1024;
  yield logLine(t, "model.memory", `Estimated memory per GPU: weights ${mem.weightsGiB.toFixed(2)} GiB + grads ${mem.gradsGiB.toFixed(2)} GiB + optimizer ${mem.optimizerGiB.toFixed(2)} GiB + activations ${mem.activationsGiB.toFixed(2)} GiB + runtime ${mem.overheadGiB.toFixed(2)} GiB = ${mem.totalGiB.toFixed(1)} GiB of ${cap.toFixed(1)} GiB (${(mem.totalGiB / cap * 100).toFixed(0)}%)`);
}
function wrapLine(cfg) {
  const p = cfg.plan;
  const recompute = p.recompute === "none" ? "off" : p.recompute;
  switch (p.strategy) {
    case "ddp":
      return `Wrapped model in DistributedDataParallel (bucket_cap_mb=25, ${cfg.precision} autocast, activation checkpointing ${recompute})`;
    case "fsdp":
      return `Wrapped model in FSDP (FULL_SHARD over ${p.dp} ranks, mixed precision ${cfg.precision}, activation checkpointing ${recompute})`;
    case "megatron":
      return `Megatron-Core parallel state: TP=${p.tp} PP=${p.pp} DP=${p.dp}, sequence parallel ${p.tp > 1 ? "on" : "off"}, distributed optimizer on, recompute ${recompute}`;
    default:
      return `DeepSpeed ZeRO stage ${p.strategy.slice(4)} over ${p.dp} ranks, ${cfg.precision}, reduce bucket 500,000,000, activation checkpointing ${recompute}`;
  }
}
function* dataLoading(t, rng) {
  const cfg = t.cfg;
  const d = cfg.dataset;
  yield logLine(t, "tokenizer", `Loaded tokenizer ${cfg.model.tokenizer} (vocab size ${thousands(cfg.model.vocab)}, model max length ${cfg.model.ctx})`);
  yield* advance(t, rng.range(300, 1500), "load", 1);
  yield logLine(t, "dataset.open", `Loading dataset ${d.name} from ${d.path}: ${thousands(d.samples)} samples, ${formatTokens(d.tokens)} tokens`);
  if (d.domains.length > 1) {
    const mix = d.domains.map((x) => `${x.name} ${(x.weight * 100).toFixed(1)}%`).join(", ");
    yield logLine(t, "dataset.mixture", `Data mixture: ${mix}`);
  }
  const epochTokens = cfg.stepsPerEpoch * cfg.tokensPerStep;
  const indexShards = rng.int(16, 64);
  yield* progress(t, "load", "Building sample index", indexShards, "file", rng.range(4e3, 2e4), "load");
  yield logLine(t, "dataset.epoch", `Each epoch: ${thousands(cfg.stepsPerEpoch * cfg.globalBatch)} sequences of ${cfg.seqLen} tokens (${formatTokens(epochTokens)} tokens, ${Math.min(100, epochTokens / d.tokens * 100).toFixed(1)}% of the dataset)`);
}
function* trainingConfig(t) {
  const cfg = t.cfg;
  const p = cfg.plan;
  const lines = [
    `global batch ${cfg.globalBatch} = micro batch ${p.microBatch} \xD7 grad accum ${cfg.gradAccum} \xD7 DP ${p.dp}, seq len ${cfg.seqLen} \u2192 ${thousands(cfg.tokensPerStep)} tokens/step`,
    `optimizer AdamW (\u03B21 0.9, \u03B22 0.95, eps 1e-8, weight decay 0.1), grad clip 1.0`,
    `lr ${formatLr(cfg.lrMax)} peak, ${cfg.warmupSteps} warmup steps, ${cfg.schedule} decay to ${formatLr(cfg.lrMin)}`,
    `precision ${cfg.precision}, strategy ${strategyName(cfg)}, TP ${p.tp} PP ${p.pp} DP ${p.dp}`,
    `epochs ${cfg.epochs} \xD7 ${thousands(cfg.stepsPerEpoch)} steps = ${thousands(cfg.totalSteps)} steps, log every ${cfg.logInterval}, checkpoint every ${cfg.ckptInterval}, output ${cfg.outputDir}`
  ];
  yield logLine(t, "config.header", "Training configuration:");
  for (const line of lines) yield logLine(t, "config", `  ${line}`);
  yield logLine(t, "seed", `Global seed set to ${cfg.seed}`);
  const ckpt = formatBytes(cfg.model.params * 14);
  yield logLine(t, "ckpt.plan", `Checkpoints (${ckpt} each with optimizer state) go to ${cfg.outputDir}`);
}
function strategyName(cfg) {
  const s = cfg.plan.strategy;
  if (s === "ddp") return "DDP";
  if (s === "fsdp") return "FSDP";
  if (s === "megatron") return "Megatron TP/PP + distributed optimizer";
  return `ZeRO stage ${s.slice(4)}`;
}
function gpuRange(gpusPerNode) {
  return gpusPerNode > 1 ? `0-${gpusPerNode - 1}` : "0";
}

// src/sim/simulate.ts
init_train();

// src/sim/phases/finish.ts
init_timeline();
init_storage();
init_units();
function* exportPhase(t, s, rng) {
  const cfg = t.cfg;
  yield {
    type: "phase",
    simMs: t.simMs,
    phase: "export",
    epoch: cfg.epochs
  };
  const base = `${cfg.outputDir}/export`;
  yield logLine(t, "export.start", `Consolidating sharded checkpoint-${s.step} into a single state dict`);
  yield* advance(t, rng.range(5e3, 3e4) * Math.log10(cfg.model.params / 1e7), "export");
  for (const f of EXPORT_FORMATS) {
    const shards = exportShards(cfg.model.params, f);
    const bytes = shards.reduce((a, b) => a + b, 0);
    const gguf = f.format === "gguf";
    const path = gguf ? `${base}/${cfg.model.id}-Q8_0.gguf` : `${base}/hf`;
    const seconds = bytes / (rng.range(0.8, 2.5) * 1e9) + 1;
    yield logLine(t, "export.format", gguf ? `Converting to GGUF (Q8_0) \u2192 ${path}` : `Converting to safetensors (bf16, max shard 5GB): ${shards.length} file${shards.length > 1 ? "s" : ""} \u2192 ${path}`);
    yield* progress(t, "export", gguf ? "Writing GGUF tensors" : "Writing safetensors", shards.length > 1 ? shards.length : cfg.model.layers, gguf ? "layer" : "file", seconds * 1e3, "export", 8);
    if (!gguf && shards.length > 1) {
      yield logLine(t, "export.index", `Wrote ${path}/model.safetensors.index.json (${shards.length} shards)`);
    }
    if (!gguf) {
      yield logLine(t, "export.extra", `Wrote config.json, generation_config.json, tokenizer.json, tokenizer_config.json to ${path}`);
    }
    yield {
      type: "export",
      simMs: t.simMs,
      level: "info",
      msg: "",
      data: {
        format: f.format,
        path,
        bytes,
        files: shards.length,
        time_s: seconds
      }
    };
  }
}
function* summaryPhase(t, s) {
  const cfg = t.cfg;
  yield* advance(t, 500, "idle");
  const tokens = s.step * cfg.tokensPerStep;
  yield {
    type: "summary",
    simMs: t.simMs,
    level: "info",
    msg: "",
    data: {
      total_time_s: (t.simMs - cfg.startMs) / 1e3,
      steps: s.step,
      tokens,
      final_loss: s.lastLoss,
      final_ppl: Math.exp(s.lastLoss),
      best_val_loss: s.bestValLoss,
      checkpoints: s.checkpoints,
      output_dir: cfg.outputDir,
      ...s.faults > 0 ? {
        faults: s.faults,
        steps_replayed: s.stepsReplayed
      } : {}
    }
  };
  yield logLine(t, "summary.size", `Final checkpoint size ${formatBytes(cfg.model.params * 14)}; exports in ${cfg.outputDir}/export`);
  yield {
    type: "phase",
    simMs: t.simMs,
    phase: "done",
    epoch: cfg.epochs
  };
}
function estimateExportSeconds(params) {
  const consolidate2 = 17.5 * Math.log10(params / 1e7);
  const bytes = EXPORT_FORMATS.reduce((sum, f) => sum + params * f.bytesPerParam, 0);
  return consolidate2 + bytes / 165e7 + 2 * EXPORT_FORMATS.length;
}

// src/sim/run_data.ts
function runData(cfg) {
  const p = cfg.plan;
  return {
    seed: cfg.seed,
    run_id: cfg.runId,
    model: cfg.model.name,
    params: cfg.model.params,
    nodes: cfg.nodes,
    gpus_per_node: cfg.gpusPerNode,
    gpus: cfg.worldSize,
    gpu: cfg.gpu.name,
    dataset: cfg.dataset.name,
    task: cfg.task,
    epochs: cfg.epochs,
    steps_per_epoch: cfg.stepsPerEpoch,
    total_steps: cfg.totalSteps,
    global_batch: cfg.globalBatch,
    micro_batch: p.microBatch,
    grad_accum: cfg.gradAccum,
    seq_len: cfg.seqLen,
    lr_max: cfg.lrMax,
    lr_min: cfg.lrMin,
    warmup_steps: cfg.warmupSteps,
    schedule: cfg.schedule,
    precision: cfg.precision,
    strategy: p.strategy,
    tp: p.tp,
    pp: p.pp,
    dp: p.dp,
    mem_per_gpu_gib: p.memory.totalGiB,
    gpu_mem_gib: cfg.gpu.memMiB / 1024,
    peak_tflops: cfg.peakTflops,
    busbw_max_gbps: cfg.busbwGBps,
    output_dir: cfg.outputDir,
    ...cfg.resumeStep > 0 ? {
      resume_step: cfg.resumeStep
    } : {}
  };
}

// src/sim/phases/resume.ts
init_schedule();
init_timeline();
init_units();
init_train();
init_train_state();
init_gpu_fault();
function* resumePhase(t) {
  const cfg = t.cfg;
  const step = cfg.resumeStep;
  if (step === 0) return;
  const read = checkpointRead(cfg);
  yield logLine(t, "resume.load", `Resuming from checkpoint ${cfg.outputDir}/checkpoint-${step} (${formatBytes(read.bytes)}, ${read.shards} shards)`);
  yield* readCheckpoint(t, read);
  const epoch = Math.floor(step / cfg.stepsPerEpoch) + 1;
  const inEpoch = step - (epoch - 1) * cfg.stepsPerEpoch;
  yield logLine(t, "resume.state", `Restored model, optimizer, LR scheduler and RNG states: resuming from step ${step} (epoch ${epoch}, step ${inEpoch}/${cfg.stepsPerEpoch}), next lr ${formatLr(learningRate(scheduleOf(cfg), step + 1))}, ${formatTokens(step * cfg.tokensPerStep)} tokens seen`);
  yield logLine(t, "resume.data", `Skipping the first ${thousands(inEpoch * cfg.gradAccum)} batches of epoch ${epoch} to restore the data order`);
}

// src/sim/progress.ts
function initialProgress(cfg) {
  return {
    simMs: cfg.startMs,
    phase: "init",
    epoch: 0,
    step: 0,
    lastLoss: null,
    bestValLoss: Infinity,
    checkpoints: 0,
    lastCkptStep: null,
    finished: false
  };
}
function observeEvent(p, ev) {
  p.simMs = Math.max(p.simMs, ev.simMs);
  switch (ev.type) {
    case "phase":
      p.phase = ev.phase;
      p.epoch = ev.epoch;
      break;
    case "step":
      p.step = ev.data.step;
      p.epoch = ev.data.epoch;
      p.lastLoss = ev.data.loss;
      break;
    case "val":
      p.bestValLoss = Math.min(p.bestValLoss, ev.data.loss);
      break;
    case "ckpt":
      p.checkpoints += 1;
      p.lastCkptStep = ev.data.step;
      break;
    case "summary":
      p.finished = true;
      break;
  }
}

// src/sim/phases/interrupt.ts
init_timeline();
init_train();
init_units();
var NO_TICKS = {
  initMs: Infinity,
  trainMs: Infinity
};
function* interruptPhase(cfg, p, signal) {
  if (p.finished) return;
  const t = createTimeline(cfg, NO_TICKS);
  t.simMs = p.simMs;
  yield logLine(t, "interrupt", interruptLine(cfg, p, signal), "warn");
  let checkpoints = p.checkpoints;
  if (p.step > 0 && p.lastCkptStep !== p.step) {
    yield* emergencyCheckpoint(t, p);
    checkpoints += 1;
  }
  yield logLine(t, "interrupt.shutdown", `Received Signals.${signal} death signal, shutting down ${thousands(cfg.worldSize)} worker process${cfg.worldSize > 1 ? "es" : ""}`, "warn");
  const data = {
    total_time_s: (t.simMs - cfg.startMs) / 1e3,
    steps: p.step,
    tokens: p.step * cfg.tokensPerStep,
    final_loss: p.lastLoss ?? NaN,
    final_ppl: p.lastLoss === null ? NaN : Math.exp(p.lastLoss),
    best_val_loss: p.bestValLoss,
    checkpoints,
    output_dir: cfg.outputDir,
    signal
  };
  yield {
    type: "summary",
    simMs: t.simMs,
    level: "warn",
    msg: summaryLine(cfg, data),
    data
  };
  yield {
    type: "phase",
    simMs: t.simMs,
    phase: "done",
    epoch: p.epoch
  };
}
function interruptLine(cfg, p, signal) {
  const at = `${signal === "SIGINT" ? "Interrupted (SIGINT)" : "Terminated (SIGTERM)"}`;
  if (p.step === 0) return `${at} during start-up, before the first step: nothing to save`;
  if (p.phase === "export") {
    return `${at} during export: training finished; checkpoint-${p.step} is complete`;
  }
  return `${at} at epoch ${p.epoch}/${cfg.epochs}, step ${thousands(p.step)}/${thousands(cfg.totalSteps)}: ` + (p.lastCkptStep === p.step ? `checkpoint-${p.step} is already saved` : "saving an emergency checkpoint before exit");
}
function* emergencyCheckpoint(t, p) {
  const cfg = t.cfg;
  yield {
    type: "phase",
    simMs: t.simMs,
    phase: "ckpt",
    epoch: p.epoch
  };
  const dir = `${cfg.outputDir}/checkpoint-${p.step}`;
  const { bytes, shards, seconds } = checkpointPlan(cfg);
  yield logLine(t, "ckpt.start", `Saving emergency checkpoint at step ${p.step} to ${dir} (${formatBytes(bytes)})`);
  yield* progress(t, "ckpt", "Writing shards", shards, "shard", seconds * 1e3, "ckpt", 8);
  yield {
    type: "ckpt",
    simMs: t.simMs,
    level: "info",
    msg: "",
    data: {
      epoch: p.epoch,
      step: p.step,
      path: dir,
      bytes,
      shards,
      time_s: seconds,
      emergency: true
    }
  };
  yield logLine(t, "interrupt.resume", `Emergency checkpoint done; resume with --resume ${dir}`);
}
function summaryLine(cfg, d) {
  const head = `Training interrupted by ${d.signal} after ${formatDuration(d.total_time_s)}`;
  if (d.steps === 0) return `${head}, before the first step; output ${d.output_dir}`;
  const best = Number.isFinite(d.best_val_loss) ? `best val loss ${d.best_val_loss.toFixed(4)}` : "no validation yet";
  return `${head}: ${thousands(d.steps)} of ${thousands(cfg.totalSteps)} steps, ${formatTokens(d.tokens)} tokens, final loss ${d.final_loss.toFixed(4)} (ppl ${d.final_ppl.toFixed(2)}), ${best}, ${d.checkpoints} checkpoint${d.checkpoints === 1 ? "" : "s"}, output ${d.output_dir}`;
}

// src/sim/simulate.ts
var Tracked = class {
  #inner;
  #progress;
  #last = null;
  constructor(inner, progress2) {
    this.#inner = inner;
    this.#progress = progress2;
  }
  next() {
    if (this.#last) observeEvent(this.#progress, this.#last);
    const r = this.#inner.next();
    this.#last = r.done ? null : r.value;
    return r;
  }
  return() {
    this.#last = null;
    return this.#inner.return(void 0);
  }
  [Symbol.iterator]() {
    return this;
  }
};
function startRun(cfg, cadence) {
  const progress2 = initialProgress(cfg);
  const events = new Tracked(simulateRun(cfg, cadence), progress2);
  return {
    events,
    interrupt: (signal) => interruptPhase(cfg, progress2, signal)
  };
}
function* simulateRun(cfg, cadence) {
  const t = createTimeline(cfg, cadence);
  yield {
    type: "phase",
    simMs: t.simMs,
    phase: "init",
    epoch: 0
  };
  const launchRng = createRng(cfg.seed, "launch");
  yield* launchPhase(t, launchRng);
  yield {
    type: "run",
    simMs: t.simMs,
    level: "info",
    msg: "",
    data: runData(cfg)
  };
  yield* setupPhase(t, createRng(cfg.seed, "setup"));
  yield* resumePhase(t);
  yield allReduceProbe(t, 0);
  setCadence(t, cadence.trainMs);
  const state = yield* trainPhase(t);
  yield* exportPhase(t, state, createRng(cfg.seed, "export"));
  yield* summaryPhase(t, state);
}

// src/driver/driver.ts
init_train();
init_comm();

// src/style/apply.ts
init_native();
var NATIVE_STYLE = {
  name: "native",
  message: () => null
};
function applyStyle(style, ev, cfg) {
  if (ev.type === "step" && !ev.logged) return ev;
  const styled = style.message(ev, cfg);
  if (styled !== null) ev.msg = styled;
  else if (ev.type !== "log" && ev.msg === "") ev.msg = formatNative(ev);
  return ev;
}

// src/render/renderer.ts
var FRAME_WALL_MS = 100;
function isoTime(simMs) {
  return new Date(simMs).toISOString();
}
var DAY_MS = 864e5;
function pad(n, width) {
  return String(n).padStart(width, "0");
}
function createIsoClock() {
  let day = NaN;
  let datePart = "";
  return (simMs) => {
    const ms = Math.trunc(simMs);
    const d = Math.floor(ms / DAY_MS);
    if (d !== day) {
      const iso = isoTime(d * DAY_MS);
      if (iso.length !== 24) return isoTime(simMs);
      day = d;
      datePart = iso.slice(0, 11);
    }
    const t = ms - d * DAY_MS;
    return `${datePart}${pad(Math.floor(t / 36e5), 2)}:${pad(Math.floor(t / 6e4) % 60, 2)}:${pad(Math.floor(t / 1e3) % 60, 2)}.${pad(t % 1e3, 3)}Z`;
  };
}

// src/driver/driver.ts
init_sink();

// src/driver/ticks_ahead.ts
var TicksAhead = class {
  #open = [];
  #write;
  constructor(write) {
    this.#write = write;
  }
  /** Ticks waiting for their frames. */
  get size() {
    return this.#open.length;
  }
  /** Events handled since the oldest waiting tick was sent (0 when none waits). */
  lag(events) {
    return this.#open.length > 0 ? events - this.#open[0].sentAt : 0;
  }
  /** A tick sent to the pool, its place kept in the output. */
  add(tick, frame, place, sentAt) {
    const t = {
      tick,
      frame,
      ready: null,
      place,
      sentAt
    };
    frame.then((f) => t.ready = f, () => {
    });
    this.#open.push(t);
  }
  /** Fills the places of the oldest ticks whose frames have arrived, in order. */
  settleReady() {
    while (this.#open.length > 0 && this.#open[0].ready) {
      const t = this.#open.shift();
      this.#write(t.tick, t.ready, t.place);
      t.place.close();
    }
  }
  /** Waits for the oldest tick's frame, then fills every place that can be filled. */
  async settleOldest() {
    const t = this.#open[0];
    if (t && !t.ready) t.ready = await t.frame;
    this.settleReady();
  }
  /** Waits for every frame and fills every place. */
  async settleAll() {
    while (this.#open.length > 0) await this.settleOldest();
  }
};

// src/driver/pacer.ts
var StopSignal = class {
  stopped = false;
  reason = null;
  #wakers = /* @__PURE__ */ new Set();
  /** Requests a stop; the first reason wins. */
  stop(reason) {
    if (this.stopped) return;
    this.stopped = true;
    this.reason = reason;
    for (const w of this.#wakers) w();
    this.#wakers.clear();
  }
  /** Sleeps `ms` of wall time, or less if stopped meanwhile. */
  sleep(ms) {
    if (this.stopped) return Promise.resolve();
    if (ms <= 0) return yieldTurn();
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.#wakers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.#wakers.add(wake);
    });
  }
};
function yieldTurn() {
  return new Promise((resolve) => {
    const { port1, port2 } = new MessageChannel();
    port1.onmessage = () => {
      port1.close();
      resolve();
    };
    port2.postMessage(null);
    port2.close();
  });
}
var Pacer = class {
  #speed;
  #simAnchor;
  #wallAnchor;
  #now;
  /** At an infinite speed once the anchor has passed: nothing is ever due later. */
  #neverWaits = false;
  #wallStart;
  #quantumMs;
  constructor(speed, simStartMs, now, quantumMs = 0) {
    this.#speed = speed;
    this.#simAnchor = simStartMs;
    this.#now = now;
    this.#wallAnchor = now();
    this.#wallStart = this.#wallAnchor;
    this.#quantumMs = quantumMs;
  }
  /** Changes the speed from simulated instant `simMs` on. */
  setSpeed(speed, simMs) {
    if (speed === this.#speed) return;
    this.#neverWaits = false;
    this.#wallAnchor = this.wallFor(simMs);
    this.#simAnchor = simMs;
    this.#speed = speed;
  }
  /** Wall-clock ms (on the `now` scale) at which simulated instant `simMs` is due. */
  wallFor(simMs) {
    if (!Number.isFinite(this.#speed)) return this.#wallAnchor;
    return this.#wallAnchor + (simMs - this.#simAnchor) / this.#speed;
  }
  /** Milliseconds to wait before `simMs` is due, to the next wake-up of the grid (0 when due). */
  delayUntil(simMs) {
    if (this.#neverWaits) return 0;
    const now = this.#now();
    const dueMs = this.wallFor(simMs);
    if (dueMs <= now) {
      this.#neverWaits = this.instant;
      return 0;
    }
    const q = this.#quantumMs;
    if (q <= 0) return dueMs - now;
    return this.#wallStart + Math.ceil((dueMs - this.#wallStart) / q) * q - now;
  }
  /** Whether this pacer never waits. */
  get instant() {
    return !Number.isFinite(this.#speed);
  }
};

// src/driver/driver.ts
var DEFAULT_TRAIN_WALL_S = 150;
var MIN_DEFAULT_SPEED = 0.25;
var DEFAULT_INIT_SPEED = 4;
var LIVE_TICK_WALL_MS = 1e3;
var YIELD_EVERY = 4096;
var MAX_EVENTS_AHEAD = 65536;
var NODES_PER_WORKER = 1024;
function defaultWorkers(nodes, cores) {
  return Math.max(1, Math.min(8, cores, Math.ceil(nodes / NODES_PER_WORKER)));
}
function paceFor(cfg, instant, speed) {
  if (instant) return {
    init: Infinity,
    train: Infinity
  };
  if (speed !== null) return {
    init: speed,
    train: speed
  };
  const simS = estimateTrainSeconds(cfg) + estimateExportSeconds(cfg.model.params);
  const train = Math.max(MIN_DEFAULT_SPEED, simS / DEFAULT_TRAIN_WALL_S);
  return {
    init: DEFAULT_INIT_SPEED,
    train
  };
}
function cadenceFor(cfg, pace, live) {
  if (live && Number.isFinite(pace.train)) {
    return {
      initMs: LIVE_TICK_WALL_MS * pace.init,
      trainMs: LIVE_TICK_WALL_MS * pace.train
    };
  }
  const reports = Math.max(2, Math.min(40, Math.floor(2e4 / cfg.nodes)));
  return {
    initMs: 1e15,
    trainMs: Math.max(3e4, estimateTrainSeconds(cfg) * 1e3 / reports)
  };
}
function gpuEvents(cfg, ev, frame) {
  const [util, temp2, mem, power] = frame;
  const g = cfg.gpusPerNode;
  const memTotal = cfg.gpu.memMiB / 1024;
  const out = [];
  for (let node = 0; node < cfg.nodes; node++) {
    const gpus = [];
    for (let i = 0; i < g; i++) {
      const r = node * g + i;
      gpus.push({
        rank: r,
        util_pct: util[r],
        temp_c: temp2[r],
        mem_used_gib: mem[r],
        mem_total_gib: memTotal,
        power_w: power[r]
      });
    }
    out.push({
      type: "gpu",
      simMs: ev.simMs,
      level: "info",
      msg: "",
      data: {
        node,
        host: hostName(cfg.cluster, node),
        gpus
      }
    });
  }
  return out;
}
function allReduceEvent(ev, perNodeMs) {
  const probe = ev.tick.allreduce;
  const timeMs = perNodeMs.reduce((a, b) => Math.max(a, b), 0);
  return {
    type: "allreduce",
    simMs: ev.simMs,
    level: "info",
    msg: "",
    data: {
      step: ev.allreduceStep ?? 0,
      bytes: probe.bytes,
      ranks: probe.ranks,
      time_ms: timeMs,
      algo: ev.algo ?? "Ring",
      busbw_gbps: achievedBusbw(probe.bytes, probe.ranks, timeMs / 1e3)
    }
  };
}
function stopSignal(reason) {
  return reason === "sigint" ? "SIGINT" : reason === "sigterm" ? "SIGTERM" : null;
}
function createPool(cfg, maxWorkers) {
  return new TelemetryPool({
    seed: cfg.seed,
    nodes: cfg.nodes,
    gpusPerNode: cfg.gpusPerNode,
    memTotalGiB: cfg.gpu.memMiB / 1024,
    tdpW: cfg.gpu.tdpW,
    idleW: cfg.gpu.idleW,
    maxWorkers
  });
}
async function runOnce(cfg, o, deadline) {
  const pace = paceFor(cfg, o.instant, o.speed);
  const renderer = o.makeRenderer(cfg);
  const pacer = new Pacer(pace.init, cfg.startMs, o.now, FRAME_WALL_MS);
  const pool = createPool(cfg, o.workers(cfg.nodes));
  const style = await o.style(cfg);
  const sim = startRun(cfg, cadenceFor(cfg, pace, o.live));
  const deliver = (ev) => {
    renderer.clock(ev.simMs);
    if (ev.type === "phase") renderer.phase(ev);
    else if (ev.type === "step" && !ev.logged) renderer.event(ev);
    else renderer.event(applyStyle(style, ev, cfg));
  };
  const ahead = new TicksAhead((ev, frame, place) => {
    const host = (i) => hostName(cfg.cluster, i);
    for (const n of pool.takeNotices(frame.seq)) {
      place.event(applyStyle(style, noticeEvent(n, cfg.gpusPerNode, host, ev.simMs), cfg));
    }
    for (const out of telemetryEvents(cfg, ev, frame, renderer.wantsGpuEvents)) {
      place.event(applyStyle(style, out, cfg));
    }
  });
  let lastSimMs = cfg.startMs;
  let handled = 0;
  let poolStarted = false;
  try {
    for (const ev of sim.events) {
      if (o.stop.stopped) break;
      const wait = pacer.delayUntil(ev.simMs);
      if (wait > 2 || ++handled % YIELD_EVERY === 0) {
        if (wait > 2) await ahead.settleAll();
        while (ahead.lag(handled) > MAX_EVENTS_AHEAD) await ahead.settleOldest();
        renderer.flush();
        if (!poolStarted) poolStarted = true, pool.start();
        await o.stop.sleep(Math.min(wait, Math.max(0, deadline - o.now())));
        ahead.settleReady();
        if (o.now() >= deadline) o.stop.stop("exit-after");
        if (o.stop.stopped) break;
      }
      lastSimMs = ev.simMs;
      if (ev.type === "phase") {
        pacer.setSpeed(ev.phase === "init" ? pace.init : pace.train, ev.simMs);
      }
      if (ev.type !== "tick") {
        deliver(ev);
        continue;
      }
      if (!poolStarted) {
        renderer.flush();
        poolStarted = true;
      }
      const framed = pool.sample({
        simMs: ev.simMs,
        ...ev.tick
      });
      const place = renderer.placeholder?.();
      if (place) {
        ahead.add(ev, framed, place, handled);
        continue;
      }
      const frame = await framed;
      if (o.stop.stopped) break;
      renderer.clock(ev.simMs);
      for (const n of pool.takeNotices()) {
        deliver(noticeEvent(n, cfg.gpusPerNode, (i) => hostName(cfg.cluster, i), ev.simMs));
      }
      renderer.telemetry(frame);
      for (const out of telemetryEvents(cfg, ev, frame, renderer.wantsGpuEvents)) {
        renderer.event(applyStyle(style, out, cfg));
      }
    }
    await ahead.settleAll();
    const signal = stopSignal(o.stop.reason);
    if (signal) {
      for (const ev of sim.interrupt(signal)) if (ev.type !== "tick") deliver(ev);
    }
    renderer.close();
  } catch (e) {
    if (!(e instanceof PipeClosed)) throw e;
    o.stop.stop("pipe");
  } finally {
    pool.terminate();
  }
  return lastSimMs;
}
function telemetryEvents(cfg, ev, frame, wantsGpuEvents) {
  const out = ev.report && wantsGpuEvents ? gpuEvents(cfg, ev, [
    frame.utilPct,
    frame.tempC,
    frame.memGiB,
    frame.powerW
  ]) : [];
  if (ev.allreduceStep !== void 0 && frame.allreduceMs) {
    out.push(allReduceEvent(ev, frame.allreduceMs));
  }
  return out;
}
async function drive(o) {
  const deadline = o.exitAfterMs === null ? Infinity : o.now() + o.exitAfterMs;
  let choices = o.choices;
  for (let run = 0; !o.stop.stopped; run++) {
    if (o.now() >= deadline) o.stop.stop("exit-after");
    if (o.stop.stopped) break;
    const cfg = run === 0 && o.firstConfig ? o.firstConfig : drawRunConfig(choices);
    const endMs = await runOnce(cfg, o, deadline);
    if (!o.loop) break;
    choices = {
      ...choices,
      seed: mix32(o.choices.seed, run + 1),
      startMs: Math.round(endMs + 9e4)
    };
  }
}

// src/cli/main.ts
init_sink();

// src/render/text.ts
function textLines(ev, timestamps, iso = isoTime) {
  if (ev.msg === "") return "";
  const prefix = timestamps ? `${iso(ev.simMs)} ${ev.level.toUpperCase().padEnd(5)} ` : "";
  if (!ev.msg.includes("\n")) return prefix + ev.msg + "\n";
  return ev.msg.split("\n").map((line) => prefix + line + "\n").join("");
}
function createTextRenderer(sink, timestamps) {
  const iso = createIsoClock();
  const line = (out, ev) => {
    if (ev.type === "step" && !ev.logged) return;
    out.write(textLines(ev, timestamps, iso));
  };
  return {
    wantsGpuEvents: true,
    event: (ev) => line(sink, ev),
    phase() {
    },
    telemetry() {
    },
    clock() {
    },
    flush: () => sink.flush(),
    close: () => sink.flush(),
    placeholder() {
      const kept = sink.placeholder();
      return {
        event: (ev) => line(kept, ev),
        close: () => kept.fill()
      };
    }
  };
}

// src/render/iso_writer.ts
init_byte_buffer();
var DAY_MS2 = 864e5;
var COLON = 58;
function createIsoWriter(prefix = "") {
  const encoder = new TextEncoder();
  let day = NaN;
  let datePart = new Uint8Array(0);
  return (b, simMs) => {
    const ms = Math.trunc(simMs);
    const d = Math.floor(ms / DAY_MS2);
    if (d !== day) {
      const iso = isoTime(d * DAY_MS2);
      if (iso.length !== 24) return b.text(prefix + isoTime(simMs));
      day = d;
      datePart = encoder.encode(prefix + iso.slice(0, 11));
    }
    b.copy(datePart);
    writeTimeOfDay(b, ms - d * DAY_MS2);
  };
}
function writeTimeOfDay(b, t) {
  const s = Math.floor(t / 1e3);
  const h = 4 * Math.floor(s / 3600) + 2, m = 4 * (Math.floor(s / 60) % 60) + 2;
  const sec = 4 * (s % 60) + 2, milli = 4 * (t - s * 1e3) + 1;
  b.reserve(13);
  const out = b.bytes, at = b.length;
  out[at] = DIGITS4[h];
  out[at + 1] = DIGITS4[h + 1];
  out[at + 2] = COLON;
  out[at + 3] = DIGITS4[m];
  out[at + 4] = DIGITS4[m + 1];
  out[at + 5] = COLON;
  out[at + 6] = DIGITS4[sec];
  out[at + 7] = DIGITS4[sec + 1];
  out[at + 8] = 46;
  out[at + 9] = DIGITS4[milli];
  out[at + 10] = DIGITS4[milli + 1];
  out[at + 11] = DIGITS4[milli + 2];
  out[at + 12] = 90;
  b.length = at + 13;
}

// src/render/jsonl.ts
init_byte_buffer();

// src/render/json_bytes.ts
init_byte_buffer();
var FAST_MIN = 1e-6;
var FAST_MAX = 1e15;
var TIE_MARGIN = 1e-7;
var POW10 = Array.from({
  length: 23
}, (_, i) => 10 ** i);
var QUOTE = 34;
var COMMA = 44;
var MINUS = 45;
var DOT = 46;
var ZERO = 48;
function scaled(a, k) {
  return k >= 0 ? a * POW10[k] : a / POW10[-k];
}
function writeSevenDigits(b, n, e) {
  b.reserve(24);
  const out = b.bytes;
  let at = b.length;
  if (e < 0) {
    out[at++] = ZERO;
    out[at++] = DOT;
    for (let i = -1; i > e; i--) out[at++] = ZERO;
  }
  const high = n / 1e4 | 0;
  const h = 4 * high + 1, l = 4 * (n - high * 1e4);
  const point = e >= 0 && e < 6 ? e : -1;
  let dot = e < 0 ? b.length + 1 : -1;
  for (let i = 0; i < 7; i++) {
    out[at++] = i < 3 ? DIGITS4[h + i] : DIGITS4[l + i - 3];
    if (i === point) dot = at, out[at++] = DOT;
  }
  for (let i = 6; i < e; i++) out[at++] = ZERO;
  if (dot >= 0) {
    while (out[at - 1] === ZERO) at--;
    if (at - 1 === dot) at--;
  }
  b.length = at;
}
function writeCompactNumber(b, v) {
  if (Number.isInteger(v)) {
    if (v >= 0 && v <= 2 ** 53) b.uint(v);
    else b.text(String(v));
    return;
  }
  if (!Number.isFinite(v)) return b.text("null");
  const a = Math.abs(v);
  if (a < FAST_MIN || a >= FAST_MAX) return b.text(String(Number(v.toPrecision(7))));
  let e = 0;
  if (a >= 1) {
    while (a >= POW10[e + 1]) e++;
  } else for (e = -1; a * POW10[-1 - e] < 0.1; e--) ;
  let y = scaled(a, 6 - e);
  if (y >= 1e7) y = scaled(a, 6 - ++e);
  else if (y < 1e6) y = scaled(a, 6 - --e);
  if (Math.abs(y - Math.floor(y) - 0.5) < TIE_MARGIN) {
    return b.text(String(Number(v.toPrecision(7))));
  }
  let n = Math.round(y);
  if (n === 1e7) n = 1e6, e++;
  if (v < 0) b.byte(MINUS);
  writeSevenDigits(b, n, e);
}
function writeJsonString(b, s) {
  const start = b.length;
  b.byte(QUOTE);
  if (b.plain(s)) return b.byte(QUOTE);
  b.length = start;
  b.text(JSON.stringify(s));
}
function createJsonWriter() {
  const keys = /* @__PURE__ */ new Map();
  const encoder = new TextEncoder();
  const writeKey = (b, name) => {
    let k = keys.get(name);
    if (k === void 0) keys.set(name, k = encoder.encode(`,${JSON.stringify(name)}:`));
    b.copy(k);
  };
  const members = (b, obj) => {
    for (const name in obj) {
      const at = b.length;
      writeKey(b, name);
      if (!value(b, obj[name])) b.length = at;
    }
  };
  const value = (b, v) => {
    if (typeof v === "number") writeCompactNumber(b, v);
    else if (typeof v === "string") writeJsonString(b, v);
    else if (typeof v === "boolean") b.text(v ? "true" : "false");
    else if (v === null) b.text("null");
    else if (typeof v !== "object") return false;
    else if (Array.isArray(v)) array(b, v);
    else object(b, v);
    return true;
  };
  const array = (b, items) => {
    b.byte(91);
    for (let i = 0; i < items.length; i++) {
      if (i > 0) b.byte(COMMA);
      if (!value(b, items[i])) b.text("null");
    }
    b.byte(93);
  };
  const object = (b, obj) => {
    const open = b.length;
    members(b, obj);
    if (b.length === open) b.byte(123);
    else b.bytes[open] = 123;
    b.byte(125);
  };
  return {
    members,
    value
  };
}

// src/render/step_json.ts
var STEP_FIELDS = [
  "epoch",
  "epochs",
  "epoch_step",
  "steps_per_epoch",
  "step",
  "total_steps",
  "loss",
  "ppl",
  "lr",
  "grad_norm",
  "loss_scale",
  "step_time_s",
  "tokens_per_s",
  "samples_per_s",
  "tflops_per_gpu",
  "mfu",
  "elapsed_s",
  "eta_s",
  "tokens_seen"
];
var [EPOCH, EPOCHS, EPOCH_STEP, STEPS_PER_EPOCH, STEP, TOTAL_STEPS, LOSS, PPL, LR, GRAD_NORM, LOSS_SCALE, STEP_TIME_S, TOKENS_PER_S, SAMPLES_PER_S, TFLOPS_PER_GPU, MFU, ELAPSED_S, ETA_S, TOKENS_SEEN] = STEP_FIELDS.map((k) => new TextEncoder().encode(`,"${k}":`));
function writeCounters(b, d) {
  b.copy(EPOCH);
  writeCompactNumber(b, d.epoch);
  b.copy(EPOCHS);
  writeCompactNumber(b, d.epochs);
  b.copy(EPOCH_STEP);
  writeCompactNumber(b, d.epoch_step);
  b.copy(STEPS_PER_EPOCH);
  writeCompactNumber(b, d.steps_per_epoch);
  b.copy(STEP);
  writeCompactNumber(b, d.step);
  b.copy(TOTAL_STEPS);
  writeCompactNumber(b, d.total_steps);
}
function writeTraining(b, d) {
  b.copy(LOSS);
  writeCompactNumber(b, d.loss);
  b.copy(PPL);
  writeCompactNumber(b, d.ppl);
  b.copy(LR);
  writeCompactNumber(b, d.lr);
  b.copy(GRAD_NORM);
  writeCompactNumber(b, d.grad_norm);
  b.copy(LOSS_SCALE);
  writeCompactNumber(b, d.loss_scale);
}
function writeSpeed(b, d) {
  b.copy(STEP_TIME_S);
  writeCompactNumber(b, d.step_time_s);
  b.copy(TOKENS_PER_S);
  writeCompactNumber(b, d.tokens_per_s);
  b.copy(SAMPLES_PER_S);
  writeCompactNumber(b, d.samples_per_s);
  b.copy(TFLOPS_PER_GPU);
  writeCompactNumber(b, d.tflops_per_gpu);
  b.copy(MFU);
  writeCompactNumber(b, d.mfu);
  b.copy(ELAPSED_S);
  writeCompactNumber(b, d.elapsed_s);
  b.copy(ETA_S);
  writeCompactNumber(b, d.eta_s);
  b.copy(TOKENS_SEEN);
  writeCompactNumber(b, d.tokens_seen);
}
function writeStepMembers(b, d, w) {
  writeCounters(b, d);
  writeTraining(b, d);
  writeSpeed(b, d);
  if (d.skipped !== void 0) w.members(b, {
    skipped: d.skipped
  });
  if (d.domain_losses !== void 0) w.members(b, {
    domain_losses: d.domain_losses
  });
}

// src/render/jsonl.ts
var OPEN_TS = `{"ts":"`;
function createHeadParts() {
  const encoder = new TextEncoder();
  const byType = /* @__PURE__ */ new Map();
  return (ev) => {
    let levels = byType.get(ev.type);
    if (!levels) byType.set(ev.type, levels = {});
    return levels[ev.level] ??= encoder.encode(`","level":"${ev.level}","type":"${ev.type}","msg":`);
  };
}
function createJsonLineParts() {
  return {
    ts: createIsoWriter(OPEN_TS),
    json: createJsonWriter(),
    head: createHeadParts()
  };
}
function writeHead(b, ev, parts2) {
  parts2.ts(b, ev.simMs);
  b.copy(parts2.head(ev));
  writeJsonString(b, ev.msg);
}
function writeJsonLine(b, ev, parts2) {
  const w = parts2.json;
  writeHead(b, ev, parts2);
  if (ev.type === "step") {
    writeStepMembers(b, ev.data, w);
  } else if (ev.type !== "log") {
    w.members(b, ev.data);
  } else {
    b.text(`,"key":`);
    writeJsonString(b, ev.key);
    if (ev.bar) {
      b.text(`,"bar":`);
      w.value(b, ev.bar);
    }
  }
  b.text("}\n");
}
function createJsonlRenderer(sink) {
  const parts2 = createJsonLineParts();
  const line = (out, ev) => {
    if (ev.type === "step" && !ev.logged) return;
    writeJsonLine(out.buffer, ev, parts2);
    out.wrote();
  };
  return {
    wantsGpuEvents: true,
    event: (ev) => line(sink, ev),
    phase() {
    },
    telemetry() {
    },
    clock() {
    },
    flush: () => sink.flush(),
    close: () => sink.flush(),
    placeholder() {
      const kept = sink.placeholder();
      return {
        event: (ev) => line(kept, ev),
        close: () => kept.fill()
      };
    }
  };
}

// src/cli/main.ts
init_ansi();
init_names();

// src/style/load.ts
async function loadStyle(name) {
  switch (name) {
    case "torchrun":
      return (await Promise.resolve().then(() => (init_torchrun(), torchrun_exports))).TORCHRUN_STYLE;
    case "megatron":
      return (await Promise.resolve().then(() => (init_megatron(), megatron_exports))).MEGATRON_STYLE;
    case "deepspeed":
      return (await Promise.resolve().then(() => (init_deepspeed(), deepspeed_exports))).DEEPSPEED_STYLE;
    case "hf":
      return (await Promise.resolve().then(() => (init_hf(), hf_exports))).HF_STYLE;
    case "lightning":
      return (await Promise.resolve().then(() => (init_lightning(), lightning_exports))).LIGHTNING_STYLE;
    case "nanogpt":
      return (await Promise.resolve().then(() => (init_nanogpt(), nanogpt_exports))).NANOGPT_STYLE;
    case "native":
      return NATIVE_STYLE;
  }
}

// src/cli/main.ts
function env(name) {
  const state = Deno.permissions.querySync({
    name: "env",
    variable: name
  }).state;
  return state === "granted" ? Deno.env.get(name) : void 0;
}
function envCount(name) {
  const raw = env(name) ?? "";
  return /^\d+$/.test(raw) && Number(raw) > 0 ? Number(raw) : Infinity;
}
function sizeReader() {
  const wantColumns = envCount("COLUMNS"), wantRows = envCount("LINES");
  return () => {
    let size = {
      columns: 80,
      rows: 24
    };
    try {
      const real = Deno.consoleSize();
      if (real.columns > 0 && real.rows > 0) size = real;
    } catch {
    }
    return {
      columns: Math.min(size.columns, wantColumns),
      rows: Math.min(size.rows, wantRows)
    };
  };
}
function resolveFormat(o) {
  if (o.format === "jsonl") return "jsonl";
  const canDraw = Deno.stdout.isTerminal() && env("TERM") !== "dumb";
  return o.format !== "text" && canDraw ? "tty" : "text";
}
function useColor(o, format) {
  if (!o.color || format !== "tty") return false;
  const force = env("FORCE_COLOR");
  if (force) return ![
    "0",
    "false"
  ].includes(force.toLowerCase());
  return !Deno.noColor;
}
function missingReadFlag() {
  if (!WORKER_NEEDS_READ || !import.meta.url.startsWith("file:") || Deno.build.standalone) {
    return null;
  }
  const dirs = [
    "src",
    "workers"
  ].map((d) => new URL(`../../${d}/`, import.meta.url));
  const granted = dirs.every((path) => Deno.permissions.querySync({
    name: "read",
    path
  }).state === "granted");
  if (granted) return null;
  const paths = dirs.map((u) => {
    const p = decodeURIComponent(u.pathname).replace(/\/$/, "");
    return Deno.build.os === "windows" ? p.slice(1).replaceAll("/", "\\") : p;
  });
  const list = paths.join(",");
  return /^[\w./:\\,-]+$/.test(list) ? `--allow-read=${list}` : `--allow-read="${list}"`;
}
function fail(message) {
  const err = new TextEncoder().encode(`fauxtrain: ${message}
`);
  try {
    Deno.stderr.writeSync(err);
  } catch {
  }
  Deno.exit(2);
}
function exitCode(reason) {
  return reason === "sigint" ? 130 : reason === "sigterm" ? 143 : 0;
}
function restoreTerminal() {
  try {
    Deno.stdout.writeSync(new TextEncoder().encode(ansi.reset + ansi.showCursor + "\n"));
  } catch {
  }
}
function listenForSignals(stop, live) {
  const listen = (sig, reason) => {
    try {
      Deno.addSignalListener(sig, () => {
        if (!stop.stopped) return stop.stop(reason);
        if (live) restoreTerminal();
        const first = stop.reason === "sigint" || stop.reason === "sigterm" ? stop.reason : reason;
        Deno.exit(exitCode(first));
      });
    } catch {
    }
  };
  listen("SIGINT", "sigint");
  listen("SIGTERM", "sigterm");
}
async function rendererFactory(o, format, sink) {
  const color = useColor(o, format);
  if (format === "jsonl") return () => createJsonlRenderer(sink);
  if (format === "text") return () => createTextRenderer(sink, o.timestamps);
  const { createTtyRenderer: createTtyRenderer2 } = await Promise.resolve().then(() => (init_tty(), tty_exports));
  let current = null;
  try {
    Deno.addSignalListener("SIGWINCH", () => current?.resize());
  } catch {
  }
  const size = sizeReader();
  const frameMs = o.instant ? FRAME_WALL_MS : null;
  return (cfg) => current = createTtyRenderer2(sink, cfg, {
    color,
    size,
    frameMs
  });
}
async function printInfo(o, sink) {
  const { helpText: helpText2, listText: listText2 } = await Promise.resolve().then(() => (init_help(), help_exports));
  sink.write(o.help ? helpText2(deno_default.version) : o.version ? `fauxtrain ${deno_default.version}
` : listText2(o.list));
  try {
    sink.flush();
  } catch {
  }
}
function runChoices(o) {
  const choices = {
    seed: o.seed ?? Math.floor(Math.random() * 2 ** 31),
    startMs: o.startMs ?? Date.now(),
    gpu: o.gpu,
    model: o.model,
    dataset: o.dataset,
    nodes: o.nodes,
    gpusPerNode: o.gpusPerNode,
    epochs: o.epochs,
    chaos: o.chaos,
    resume: o.resume,
    logInterval: o.logInterval
  };
  try {
    return {
      choices,
      first: drawRunConfig(choices)
    };
  } catch (e) {
    if (e instanceof ConfigError) fail(e.message);
    throw e;
  }
}
async function main() {
  let o;
  try {
    o = parseArgs(Deno.args);
  } catch (e) {
    if (e instanceof UsageError) fail(e.message);
    throw e;
  }
  const sink = new Sink(Deno.stdout);
  if (o.help || o.version || o.list) return printInfo(o, sink);
  const { choices, first } = runChoices(o);
  const readFlag = missingReadFlag();
  if (readFlag) {
    fail(`the telemetry workers need read access to their code: run again with ${readFlag}`);
  }
  const stop = new StopSignal();
  const format = resolveFormat(o);
  listenForSignals(stop, format === "tty");
  try {
    await drive({
      choices,
      firstConfig: first,
      instant: o.instant,
      speed: o.speed,
      loop: o.loop,
      exitAfterMs: o.exitAfterMs,
      // --workers, or one worker per 1,024 nodes up to the CPU count (at most 8): more threads
      // than needed only add start-up time and wake-ups (8 workers on 2 cores tripled an
      // --instant run; 2 instead of 1 cost 5–15% of a dense --instant run at 64 and 1,024 GPUs).
      workers: (nodes) => o.workers ?? defaultWorkers(nodes, navigator.hardwareConcurrency || 1),
      live: format === "tty",
      makeRenderer: await rendererFactory(o, format, sink),
      style: (cfg) => loadStyle(o.style === "auto" ? autoStyleName(cfg) : o.style),
      stop,
      now: () => performance.now()
    });
  } catch (e) {
    if (format === "tty") restoreTerminal();
    if (!(e instanceof PoolFailure)) throw e;
    Deno.stderr.writeSync(new TextEncoder().encode(`fauxtrain: ${e.message}
`));
    Deno.exit(1);
  }
  Deno.exit(exitCode(stop.reason));
}
if (import.meta.main) await main();
export {
  main
};
