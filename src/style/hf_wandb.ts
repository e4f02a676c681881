/**
 * What Weights & Biases (0.16 to 0.22) prints in a job's log (text only, never a network access): the
 * header when the Trainer's WandbCallback calls `wandb.init`, and at exit the run history as
 * sparklines (each series downsampled to 40 points), the summary (floats rounded to 5
 * places) and the sync footer. Keys are right-aligned as wandb's printer grid aligns them.
 */
import wandbJson from "../../data/wandb_releases.json" with { type: "json" };
import type { RunConfig } from "../sim/run_config.ts";
import { createRng } from "../sim/rng.ts";
import { pyFloat } from "../format/python_repr.ts";

const WANDB_RELEASES: ReadonlyArray<{ version: string; date: string }> = wandbJson.releases;

/**
 * wandb's release in an environment put together at `pinnedMs`: the newest out within two months
 * of it (an environment installed with the framework gets the tracker of the same season).
 */
export function wandbVersion(pinnedMs: number): string {
  const out = WANDB_RELEASES.filter((r) => Date.parse(r.date) <= pinnedMs + 60 * 86_400_000);
  return (out.at(-1) ?? WANDB_RELEASES[0]).version;
}

const ADJECTIVES = ["toasty", "good", "cosmic", "misty", "earthy", "fiery", "lucky", "vivid"]
  .concat(["polished", "crimson", "swift", "gentle", "northern", "silver", "rosy", "hardy"]);
const NOUNS = ["sponge", "grass", "meadow", "river", "glade", "dew", "firefly", "totem"]
  .concat(["pine", "valley", "breeze", "frost", "harbor", "lake", "snowflake", "sunset"]);

/** The run's identity on wandb: id, generated name, entity, project and local directory. */
export interface WandbRun {
  id: string;
  name: string;
  entity: string;
  project: string;
  dir: string;
  /** The client's release. */
  version: string;
}

/**
 * The run's wandb identity, drawn from the seed; `simMs` is the instant of `wandb.init`,
 * `pinnedMs` when the job's environment was installed.
 */
export function wandbRun(cfg: RunConfig, simMs: number, pinnedMs: number): WandbRun {
  const rng = createRng(cfg.seed, "style:hf:wandb");
  const alnum = "abcdefghijklmnopqrstuvwxyz0123456789";
  const id = Array.from({ length: 8 }, () => alnum[rng.int(0, alnum.length - 1)]).join("");
  const name = `${rng.pick(ADJECTIVES)}-${rng.pick(NOUNS)}-${rng.int(3, 480)}`;
  const d = new Date(simMs);
  const two = (n: number) => String(n).padStart(2, "0");
  const stamp = `${d.getUTCFullYear()}${two(d.getUTCMonth() + 1)}${two(d.getUTCDate())}_` +
    `${two(d.getUTCHours())}${two(d.getUTCMinutes())}${two(d.getUTCSeconds())}`;
  return {
    id,
    name,
    entity: cfg.cluster.user.replace(/[^a-z0-9]/g, ""),
    project: "huggingface",
    dir: `wandb/run-${stamp}-${id}`,
    version: wandbVersion(pinnedMs),
  };
}

/** The header of `wandb.init` (stderr), with its lines ending in newlines. */
export function wandbHeader(run: WandbRun, cwd: string): string {
  const url = `https://wandb.ai/${run.entity}/${run.project}`;
  return [
    `Currently logged in as: ${run.entity} to https://api.wandb.ai. Use \`wandb login --relogin\`` +
    ` to force relogin`,
    `Tracking run with wandb version ${run.version}`,
    `Run data is saved locally in ${cwd}/${run.dir}`,
    "Run `wandb offline` to turn off syncing.",
    `Syncing run ${run.name}`,
    `⭐️ View project at ${url}`,
    `🚀 View run at ${url}/runs/${run.id}`,
  ].map((l) => `wandb: ${l}\n`).join("");
}

/** wandb's `sparkify`: eight levels between the series' minimum and maximum. */
export function sparkline(values: readonly number[]): string {
  const chars = "▁▂▃▄▅▆▇█";
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return "";
  const min = Math.min(...finite), max = Math.max(...finite);
  if (max === min) return values.map((v) => (Number.isFinite(v) ? chars[0] : " ")).join("");
  const k = 7 / (max - min);
  return values.map((v) => (Number.isFinite(v) ? chars[pyRoundHalfEven((v - min) * k)] : " "))
    .join("");
}

function pyRoundHalfEven(x: number): number {
  const f = Math.floor(x), d = x - f;
  return d > 0.5 ? f + 1 : d < 0.5 ? f : f % 2 === 0 ? f : f + 1;
}

/** wandb's `downsample`: `target` points, first and last kept, indices rounded down. */
export function downsample(values: readonly number[], target = 40): number[] {
  if (values.length < target) return [...values];
  const ratio = (values.length - 1) / (target - 1);
  return Array.from({ length: target }, (_, i) => values[Math.floor(i * ratio)]);
}

/** A summary value as the footer shows it: whole floats as integers, others to 5 places. */
export function summaryValue(v: number, keepFloat = false): string {
  if (Number.isInteger(v)) return keepFloat ? pyFloat(v) : String(v);
  return pyFloat(Number(v.toFixed(5)));
}

/** The footer at exit: history, summary and sync lines (stderr, `wandb: ` on every line). */
export function wandbFooter(
  run: WandbRun,
  history: ReadonlyMap<string, number[]>,
  summary: ReadonlyMap<string, string>,
): string {
  const grid = (rows: Array<[string, string]>) => {
    const w = Math.max(...rows.map(([k]) => k.length));
    return rows.map(([k, v]) => `${k.padStart(w)} ${v}`);
  };
  const hist = [...history.keys()].sort().map((k): [string, string] => [
    k,
    sparkline(downsample(history.get(k)!)),
  ]);
  const summ = [...summary.keys()].sort().map((k): [string, string] => [k, summary.get(k)!]);
  const url = `https://wandb.ai/${run.entity}/${run.project}`;
  return [
    "",
    "Run history:",
    ...grid(hist),
    "",
    "Run summary:",
    ...grid(summ),
    "",
    `🚀 View run ${run.name} at: ${url}/runs/${run.id}`,
    `⭐️ View project at: ${url}`,
    "Synced 5 W&B file(s), 0 media file(s), 0 artifact file(s) and 0 other file(s)",
    `Find logs at: ./${run.dir}/logs`,
  ].map((l) => `wandb: ${l}\n`).join("");
}
