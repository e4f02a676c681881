/**
 * Rewrites the golden files after an intended change of a style or of the simulation:
 * deno run --allow-read=. --allow-write=tests/style/golden tests/style/update_golden.ts
 */
import { STYLES } from "../../src/style/style.ts";
import { GOLDEN_DIR, GOLDEN_EXTRAS, goldenExcerpt } from "./golden.ts";

await Deno.mkdir(GOLDEN_DIR, { recursive: true });
for (const [name, style] of Object.entries(STYLES)) {
  if (name === "native") continue;
  await Deno.writeTextFile(new URL(`${name}.txt`, GOLDEN_DIR), goldenExcerpt(style));
}
for (const [file, { style, run }] of Object.entries(GOLDEN_EXTRAS)) {
  await Deno.writeTextFile(new URL(`${file}.txt`, GOLDEN_DIR), goldenExcerpt(STYLES[style], run));
}
