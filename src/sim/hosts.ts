/**
 * Host names the way clusters name their machines: one naming scheme per cluster (DGX pods,
 * Cray nids, racks, AWS ParallelCluster, EC2 addresses, GCP node sets, Kubernetes pods), and
 * the non-sequential allocation a busy scheduler hands a large job.
 */
import type { Rng } from "./rng.ts";

/** How one cluster names its nodes; `ids` are the allocated hosts' numbers in Slurm order. */
export interface HostScheme {
  /** Scheme family: dgx, nid, rack, node, site, pod, pcluster, ec2, gcp, k8s. */
  kind: string;
  /** Text before the number (`dgx`, `gpu-st-p5-48xlarge-`, `ip-10-4-`, ...). */
  prefix: string;
  /** Zero-padded width of the number (0: no padding). */
  digits: number;
  /** Nodes per rack for the rack-style schemes (`r10i6n3`, `c561-007`). */
  perRack: number;
  /** The allocated nodes' numbers, ascending, one per node index. */
  ids: number[];
}

const NODE_PREFIXES = ["node-", "node", "gpu", "gpu-", "gn", "compute-"];
const K8S_JOBS = ["llm-pretrain", "fsdp", "pt-run", "train-job", "mdl-7b", "pretrain-v2"];
const PCLUSTER_QUEUES = ["gpu", "compute-gpu", "train", "queue1"];
const GCP_DEPLOYMENTS = ["a3mega", "llm", "train", "a3m"];

/** Ascending host numbers from `start`, with the gaps busy or drained nodes leave. */
function allocate(rng: Rng, nodes: number, start: number, gapChance: number): number[] {
  const ids: number[] = [];
  let id = start;
  for (let i = 0; i < nodes; i++) {
    ids.push(id);
    id += rng.chance(gapChance) ? rng.int(2, 7) : 1;
  }
  return ids;
}

/** Draws the naming scheme of a cluster of family `kind` and allocates `nodes` hosts in it. */
export function drawHostScheme(
  rng: Rng,
  kind: string,
  nodes: number,
  instance = "",
): HostScheme {
  // Big jobs land on whatever is free; a two-node job often gets neighbours.
  const gaps = nodes <= 2 ? 0.1 : nodes <= 16 ? 0.15 : 0.25;
  const pool = (lo: number, hi: number) => allocate(rng, nodes, rng.int(lo, hi), gaps);
  const scheme = (prefix: string, digits: number, ids: number[], perRack = 0): HostScheme => ({
    kind,
    prefix,
    digits,
    perRack,
    ids,
  });
  switch (kind) {
    case "dgx":
      return scheme(rng.pick(["dgx", "dgx-", "dgx"]), rng.pick([3, 4]), pool(1, 180));
    case "nid":
      return scheme("nid", 6, pool(1000, 7000));
    case "rack": {
      // Rack-and-slot names as the big machines write them: SGI/HPE (r10i6n3), IBM (h41n08).
      // The prefix says which; ids number the slots. (HPE Cray EX's x-names belong to its own
      // four-GPU blades, not to the eight-GPU servers these platforms are.)
      const style = rng.weighted(["r", "x", rng.pick(["a", "b", "c", "d", "e", "f", "g", "h"])], [
        3,
        0,
        2,
      ]);
      const perRack = style === "r" ? 36 : style === "x" ? 64 : 18;
      return scheme(style, 0, pool(perRack, perRack * 40), perRack);
    }
    case "site":
      return scheme("c", 3, pool(8 * 100, 8 * 620), 8);
    case "pod":
      return scheme(
        `${rng.pick(["gpu", "hpc", "ai"])}-${rng.pick(["a", "b", "p"])}`,
        3,
        pool(1, 400),
      );
    case "pcluster":
      // A queue named for its instances is named for the ones it has (p4d, p5, ...).
      return scheme(
        `${
          rng.pick(instance ? [...PCLUSTER_QUEUES, instance.split("-")[0]] : PCLUSTER_QUEUES)
        }-st-${instance}-`,
        0,
        pool(1, 40),
      );
    case "ec2": {
      // EC2 hands out addresses anywhere in the subnet: Slurm sorts them, gaps everywhere.
      const base = rng.int(0, 15) * 256 + rng.int(1, 200);
      return scheme(
        `ip-10-${rng.int(0, 255)}-`,
        0,
        hostAddresses(allocate(rng, nodes, base, 0.85)),
      );
    }
    case "gcp":
      return scheme(`${rng.pick(GCP_DEPLOYMENTS)}-a3meganodeset-`, 0, pool(0, 30));
    case "k8s":
      return scheme(`${rng.pick(K8S_JOBS)}-`, 0, Array.from({ length: nodes }, (_, i) => i));
    default:
      return scheme(rng.pick(NODE_PREFIXES), rng.pick([0, 2, 3]), pool(1, 120));
  }
}

/** Moves ids off the network (.0) and broadcast (.255) addresses, keeping them ascending. */
function hostAddresses(ids: number[]): number[] {
  let last = -1;
  return ids.map((id) => {
    let a = Math.max(id, last + 1);
    while (a % 256 === 0 || a % 256 === 255) a += 1;
    return (last = a);
  });
}

function padded(n: number, digits: number): string {
  return digits > 0 ? String(n).padStart(digits, "0") : String(n);
}

/** A rack-and-slot name: `r10i6n3`, `x3006c0s13b0n0` or `h41n08` (see drawHostScheme). */
function rackHost(s: HostScheme, id: number): string {
  const rack = Math.floor(id / s.perRack), slot = id % s.perRack;
  if (s.prefix === "r") return `r${rack}i${Math.floor(slot / 9)}n${slot % 9}`;
  if (s.prefix === "x") {
    return `x${3000 + rack}c${Math.floor(slot / 8)}s${(slot % 8) * 2 + 1}b0n${slot % 2}`;
  }
  return `${s.prefix}${padded(rack, 2)}n${padded(slot + 1, 2)}`;
}

/** The name of the host with number `id` under `s`. */
export function schemeHost(s: HostScheme, id: number): string {
  switch (s.kind) {
    case "rack":
      return rackHost(s, id);
    case "site":
      return `c${padded(Math.floor(id / s.perRack), 3)}-${padded(id % s.perRack + 1, 3)}`;
    case "ec2":
      return `${s.prefix}${Math.floor(id / 256)}-${id % 256}`;
    case "k8s":
      // A PyTorchJob's pods: one master, then the workers.
      return id === 0 ? `${s.prefix}master-0` : `${s.prefix}worker-${id - 1}`;
    default:
      return `${s.prefix}${padded(id, s.digits)}`;
  }
}

/** Splits a host name into its text and trailing number, as Slurm's hostlist does. */
function splitHost(host: string): [string, string] {
  const m = /^(.*?)(\d+)$/.exec(host);
  return m ? [m[1], m[2]] : [host, ""];
}

/** Slurm's compressed host list (`dgx[0142-0145,0150]`, `ip-10-4-12-[7,93]`). */
export function compressHosts(hosts: readonly string[]): string {
  const groups: Array<{ prefix: string; nums: string[] }> = [];
  for (const host of hosts) {
    const [prefix, num] = splitHost(host);
    const last = groups.at(-1);
    if (last && last.prefix === prefix && num !== "") last.nums.push(num);
    else groups.push({ prefix, nums: num === "" ? [] : [num] });
  }
  return groups.map(({ prefix, nums }) => {
    if (nums.length <= 1) return prefix + (nums[0] ?? "");
    return `${prefix}[${ranges(nums).join(",")}]`;
  }).join(",");
}

/** Runs of consecutive numbers (keeping each number's zero padding) as `a-b` or `a`. */
function ranges(nums: readonly string[]): string[] {
  const out: string[] = [];
  let start = 0;
  for (let i = 1; i <= nums.length; i++) {
    if (i < nums.length && Number(nums[i]) === Number(nums[i - 1]) + 1) continue;
    out.push(i - 1 === start ? nums[start] : `${nums[start]}-${nums[i - 1]}`);
    start = i;
  }
  return out;
}
