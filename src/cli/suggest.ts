/**
 * "Did you mean …?" for a mistyped name: the known name closest to what was typed, when it is
 * close enough to be what the user meant.
 */

/**
 * Edits (insert, delete, replace, or swap two neighbours) that turn `a` into `b`, ignoring
 * case: "node" → "nodes" is 1, "sede" → "seed" is 1.
 */
export function editDistance(a: string, b: string): number {
  a = a.toLowerCase();
  b = b.toLowerCase();
  // Rows i − 2, i − 1 and i of the optimal-string-alignment table.
  let before = new Array<number>(b.length + 1).fill(0);
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d = Math.min(d, before[j - 2] + 1);
      }
      row.push(d);
    }
    before = prev;
    prev = row;
  }
  return prev[b.length];
}

/**
 * The name in `known` that `typed` most likely meant, or null: the closest by editDistance
 * within a third of the typed length (at least 1, so "node" finds "nodes"), else the only name
 * that `typed` begins (at least 3 characters: "gpus-per" finds "gpus-per-node"). Ties go to
 * the name listed first.
 */
export function closestName(typed: string, known: readonly string[]): string | null {
  if (typed === "") return null;
  const limit = Math.max(1, Math.floor(typed.length / 3));
  let best: string | null = null, bestDistance = limit + 1;
  for (const name of known) {
    const d = editDistance(typed, name);
    if (d < bestDistance) (best = name), (bestDistance = d);
  }
  if (best !== null) return best;
  const lower = typed.toLowerCase();
  const starts = known.filter((name) => name.startsWith(lower));
  return lower.length >= 3 && starts.length === 1 ? starts[0] : null;
}
