/**
 * The names a person gives a run: its output directory and the run name the job and its
 * loggers carry. People name runs after the model, the data, a setting they are trying and a
 * version or date, each in their own habit, under their cluster's usual storage.
 */
import namesJson from "../../data/run_names.json" with { type: "json" };
import type { Rng } from "./rng.ts";

interface NameData {
  givenNames: string[];
  surnames: string[];
  serviceUsers: string[];
  roots: Record<string, string[]>;
  homes: Record<string, string[]>;
  projects: string[];
  middles: string[];
  finetuneTags: string[];
  pretrainTags: string[];
  versions: string[];
  dataRoots: Record<string, string[]>;
  buckets: string[];
}

const DATA = namesJson as NameData;

/** What a run's name can be made of. */
export interface RunNameFacts {
  modelId: string;
  /** The model's Hugging Face repository (`meta-llama/Meta-Llama-3-8B`). */
  hfRepo: string;
  datasetId: string;
  task: "pretrain" | "finetune";
  lr: number;
  globalBatch: number;
  epochs: number;
  seqLen: number;
  seed: number;
  startMs: number;
}

/** A run's names. */
export interface RunNames {
  runId: string;
  outputDir: string;
}

/** Draws the login of the person (or service account) who runs the job on a cluster of `kind`. */
export function drawUser(rng: Rng, kind: string): string {
  if (kind === "k8s") return "root";
  if ((kind === "ec2" || kind === "pcluster") && rng.chance(0.45)) return "ubuntu";
  const given = rng.pick(DATA.givenNames), surname = rng.pick(DATA.surnames);
  // Most sites make logins from initials and surnames, or hand out numbered accounts.
  return rng.weighted([
    () => `${given[0]}${surname}`,
    () => `${surname}${given[0]}`,
    () => `${surname}${rng.int(1, 99)}`,
    () => `${given[0]}${surname[0]}${rng.int(10, 999)}`,
    () => `${given[0]}${surname.slice(0, 3)}${rng.int(100, 9999)}`,
    () => `u${rng.int(1000000, 9999999)}`,
    () => `s${rng.int(1000000, 2999999)}`,
    () => given,
    () => rng.pick(DATA.serviceUsers),
  ], [4, 1, 1, 2, 1.5, 1, 0.7, 0.5, 0.8])();
}

/** Fills `{user}`, `{u0}` and `{proj}` in a path template. */
function fill(template: string, user: string, proj: string): string {
  return template.replaceAll("{user}", user).replaceAll("{u0}", user[0]).replaceAll("{proj}", proj);
}

/** A cluster's home directory for `user`. */
export function drawHome(rng: Rng, kind: string, user: string): string {
  if (user === "root") return "/root";
  if (user === "ubuntu") return "/home/ubuntu";
  return fill(rng.pick(DATA.homes[kind] ?? DATA.homes.default), user, rng.pick(DATA.projects));
}

/** How a person writes the model's name: `llama-3-8b`, `llama3-8b`, `Meta-Llama-3-8B`, `8b`. */
function modelWord(rng: Rng, f: RunNameFacts): string {
  const squeezed = f.modelId.replace(/^([a-z]+)-(\d)/, "$1$2");
  const tail = f.hfRepo.split("/").pop() ?? f.modelId;
  const size = f.modelId.split("-").pop() ?? f.modelId;
  return rng.weighted(
    [f.modelId, squeezed, tail, tail.toLowerCase(), size],
    [3, 4, 2, 1, f.task === "pretrain" ? 1.5 : 0.3],
  );
}

/** The data set's short name: `fineweb-edu` → `fineweb-edu` or `fwedu`; `dolly-15k` → `dolly`. */
function dataWord(rng: Rng, datasetId: string): string {
  const parts = datasetId.split("-").filter((p) => !/^(\d+(\.\d+)?[kmb]?|the|of|v\d+)$/.test(p));
  const base = parts.length > 0 ? parts : [datasetId];
  return rng.chance(0.25) && base.length > 1 ? base.map((p) => p.slice(0, 2)).join("") : base[0];
}

/** A setting the person is trying, written as they write it: `lr2e-5`, `bs128`, `ep3`, `4k`. */
function settingWord(rng: Rng, f: RunNameFacts): string {
  const [m, e] = f.lr.toExponential(0).split("e");
  return rng.weighted([
    `lr${m}e${e}`,
    `bs${f.globalBatch}`,
    `ep${f.epochs}`,
    `${Math.round(f.seqLen / 1024)}k`,
    `seed${f.seed % 1000}`,
  ], [4, 2, f.task === "finetune" ? 2 : 0, f.seqLen >= 2048 ? 1.5 : 0, 0.5]);
}

/** A version or date tag: `v3`, `run2`, `exp017`, `0615`, `20240615`, `2024-06-15`. */
function versionWord(rng: Rng, startMs: number): string {
  const d = new Date(startMs - rng.int(0, 4) * 86_400_000).toISOString().slice(0, 10);
  const [y, mo, da] = d.split("-");
  return rng.weighted([
    rng.pick(DATA.versions),
    `exp${String(rng.int(1, 140)).padStart(3, "0")}`,
    `${mo}${da}`,
    `${y}${mo}${da}`,
    d,
  ], [5, 1.5, 1.5, 1.5, 1]);
}

/** The run's name: the model, then what the person varied, each word joined by one habit. */
function runName(rng: Rng, f: RunNameFacts): string {
  const words = [modelWord(rng, f)];
  const task = f.task === "finetune" ? DATA.finetuneTags : DATA.pretrainTags;
  if (rng.chance(0.6)) words.push(dataWord(rng, f.datasetId));
  if (rng.chance(words.length === 1 ? 0.8 : 0.35)) words.push(rng.pick(task));
  if (rng.chance(0.35)) words.push(settingWord(rng, f));
  if (rng.chance(0.4)) words.push(versionWord(rng, f.startMs));
  const sep = rng.weighted(["-", "_"], [6, 4]);
  return words.join(sep);
}

/** Where a cluster keeps its training data: a shared folder and, on a cloud, a bucket. */
export interface DataHome {
  root: string;
  bucket: string;
}

/** Draws where a cluster keeps its data sets. */
export function drawDataHome(rng: Rng, kind: string, user: string): DataHome {
  const proj = rng.pick(DATA.projects);
  return {
    root: fill(rng.pick(DATA.dataRoots[kind] ?? DATA.dataRoots.default), user, proj),
    bucket: fill(rng.pick(DATA.buckets), user, proj),
  };
}

/**
 * A data set's path on this cluster: its folder under the cluster's data root, or in its bucket
 * where the cluster is a cloud's (a bucket on a site cluster becomes a folder again).
 */
export function dataPathOn(path: string, home: DataHome, kind: string): string {
  const cloud = /^(s3|gs):\/\/[^/]+\/(.*)$/.exec(path);
  const rest = cloud ? cloud[2] : path.replace(/^\/(lustre|mnt\/weka)\/datasets\//, "");
  if (kind === "gcp") return cloud ? `gs://${home.bucket}/${rest}` : `${home.root}/${rest}`;
  if (kind === "ec2" || kind === "pcluster" || kind === "k8s") {
    return cloud ? `s3://${home.bucket}/${rest}` : `${home.root}/${rest}`;
  }
  return `${home.root}/${rest}`;
}

/** Draws where a cluster's user keeps checkpoints: scratch, a shared file system, a bucket mount. */
export function drawStorageRoot(rng: Rng, kind: string, user: string): string {
  return fill(rng.pick(DATA.roots[kind] ?? DATA.roots.default), user, rng.pick(DATA.projects));
}

/**
 * Draws the run's name and output directory: under the cluster's storage `root` (absolute) or
 * beside the script (relative, as `output/` or `checkpoints/<name>`), sometimes in a project folder.
 */
export function drawRunNames(rng: Rng, root: string, f: RunNameFacts): RunNames {
  const runId = runName(rng, f);
  const proj = rng.pick(DATA.projects);
  const middle = rng.pick(DATA.middles);
  const outputDir = rng.weighted([
    `${root}/${middle}/${runId}`,
    `${root}/${runId}`,
    `${root}/${proj}/${middle}/${runId}`,
    `${middle}/${runId}`,
    `./${middle}/${runId}`,
    middle,
  ], [5, 2, 1.5, 2, 0.7, f.task === "finetune" ? 0.6 : 0.2]);
  return { runId, outputDir };
}
