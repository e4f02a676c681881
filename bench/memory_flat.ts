/**
 * Memory over a long run: starts main.ts for about a million optimizer steps, samples the
 * child's resident set four times a second from outside (`ps -o rss=`, which reads VmRSS; Deno
 * itself may read /proc/<pid> only with --allow-all), and reports the growth from just after
 * warm-up to the end.
 *
 *   deno run --allow-read=. --allow-run=deno,ps bench/memory_flat.ts [loop|long] [steps] [flags]
 *
 * `loop` (default) chains short --instant jobs with --loop (a fresh worker pool per job);
 * `long` is one --instant job of 100 epochs. Output: one JSON object on stdout.
 */

const ROOT = new URL("../", import.meta.url);
const START = "2026-11-24T09:00:00Z";
const ARGS: Record<string, string[]> = {
  loop: ["--loop", "--seed", "5", "--nodes", "8"],
  long: ["--seed", "1", "--nodes", "1", "--model", "gpt2-124m", "--dataset", "fineweb-edu"],
};
/** Wall ms between RSS samples. */
const SAMPLE_MS = 250;
/** Samples before this share of the steps are warm-up (JIT, pools, caches filling). */
const WARM_UP_SHARE = 0.1;

/** Resident set of `pid` in KiB, or null once it has exited. */
async function rssKiB(pid: number): Promise<number | null> {
  const out = await new Deno.Command("ps", { args: ["-o", "rss=", "-p", String(pid)] }).output();
  const kib = Number(new TextDecoder().decode(out.stdout).trim());
  return out.success && kib > 0 ? kib : null;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function main() {
  const mode = Deno.args[0] ?? "loop";
  const target = Number(Deno.args[1] ?? 1_000_000);
  const extra = [...(mode === "long" ? ["--epochs", "100"] : []), ...Deno.args.slice(2)];
  const child = new Deno.Command("deno", {
    args: [
      "run",
      "--quiet",
      "main.ts",
      "--instant",
      "--format",
      "jsonl",
      "--start",
      START,
      ...ARGS[mode],
      ...extra,
    ],
    cwd: ROOT,
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  let steps = 0, doneSteps = 0;
  const samples: Array<{ wallS: number; steps: number; rssKiB: number }> = [];
  const t0 = performance.now();
  const sampler = setInterval(async () => {
    const rss = await rssKiB(child.pid);
    if (rss !== null) samples.push({ wallS: (performance.now() - t0) / 1000, steps, rssKiB: rss });
  }, SAMPLE_MS);
  const lines = child.stdout.pipeThrough(new TextDecoderStream());
  let rest = "";
  for await (const chunk of lines) {
    const text = rest + chunk;
    const cut = text.lastIndexOf("\n");
    rest = text.slice(cut + 1);
    for (const m of text.slice(0, cut).matchAll(/"type":"step".*?"step":(\d+)/g)) {
      steps = doneSteps + Number(m[1]);
    }
    for (const m of text.slice(0, cut).matchAll(/"type":"summary".*?"steps":(\d+)/g)) {
      doneSteps += Number(m[1]);
    }
    if (steps >= target) break;
  }
  clearInterval(sampler);
  child.kill("SIGKILL");
  await child.status;
  const after = samples.filter((s) => s.steps >= target * WARM_UP_SHARE);
  const tenth = Math.max(3, Math.floor(after.length / 10));
  const warmKiB = median(after.slice(0, tenth).map((s) => s.rssKiB));
  const endKiB = median(after.slice(-tenth).map((s) => s.rssKiB));
  console.log(JSON.stringify({
    mode,
    steps,
    wall_s: Math.round((performance.now() - t0) / 1000),
    samples: samples.length,
    rss_after_warmup_mib: Math.round(warmKiB / 1024),
    rss_end_mib: Math.round(endKiB / 1024),
    rss_peak_mib: Math.round(Math.max(...samples.map((s) => s.rssKiB)) / 1024),
    growth_pct: Number((((endKiB - warmKiB) / warmKiB) * 100).toFixed(1)),
    // The median RSS of each tenth of the run, MiB: flat, or climbing?
    rss_by_tenth_mib: Array.from({ length: 10 }, (_, i) => {
      const part = samples.filter((s) =>
        s.steps >= (target * i) / 10 && s.steps < (target * (i + 1)) / 10
      );
      return part.length ? Math.round(median(part.map((s) => s.rssKiB)) / 1024) : null;
    }),
  }));
}

if (import.meta.main) await main();
