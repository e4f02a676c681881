/**
 * Summarises a V8 .cpuprofile (from `deno run --cpu-prof --cpu-prof-dir=DIR`): the functions
 * with the most self time and the most total time, in milliseconds.
 * Usage: deno run --allow-read=DIR bench/cpu_profile.ts DIR/CPU.….cpuprofile [TOP]
 */

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** `name file:line` of a node, with the path shortened to its last two parts. */
function label(n: ProfileNode): string {
  const f = n.callFrame;
  const file = f.url.split("/").slice(-2).join("/");
  return `${f.functionName || "(anonymous)"} ${file}:${f.lineNumber + 1}`;
}

/** Self and total milliseconds per function label. */
export function summarise(p: Profile): { self: Map<string, number>; total: Map<string, number> } {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<string, number>(), total = new Map<string, number>();
  const add = (m: Map<string, number>, k: string, ms: number) => m.set(k, (m.get(k) ?? 0) + ms);
  p.samples.forEach((id, i) => {
    const ms = (p.timeDeltas[i] ?? 0) / 1000;
    add(self, label(byId.get(id)!), ms);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const k = label(byId.get(at)!);
      if (!seen.has(k)) (seen.add(k), add(total, k, ms));
    }
  });
  return { self, total };
}

function top(m: Map<string, number>, count: number): string {
  return [...m].sort((a, b) => b[1] - a[1]).slice(0, count)
    .map(([k, ms]) => `${ms.toFixed(1).padStart(9)}  ${k}`).join("\n");
}

if (import.meta.main) {
  const [file, count = "25"] = Deno.args;
  if (!file) {
    console.error("usage: cpu_profile.ts FILE.cpuprofile [TOP]");
    Deno.exit(2);
  }
  const { self, total } = summarise(JSON.parse(Deno.readTextFileSync(file)));
  console.log(`self ms\n${top(self, Number(count))}\n\ntotal ms\n${top(total, Number(count))}`);
}
