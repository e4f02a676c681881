/**
 * Every command example in README.md is run, and the output it shows is the output it gets.
 *
 * The convention: an example is a fenced block marked `sh` whose first line starts with `$ `.
 * Each `$ ` line is one command, run by `sh -c` from the project root (so `deno run main.ts`
 * runs with no permission flags, as the README says a checkout needs); the lines after it, up to
 * the next `$ ` line or the fence, are its expected standard output, compared exactly. Write
 * `2>&1` in the command where stderr is part of what the example shows. Fences without a `$ `
 * first line (the Quick start's two commands, which are this test and the live view) are not run.
 *
 * Examples use --instant, a fixed --seed and --start, and show fields rather than a style's
 * wording where they can, since the styles' words change often. Those that do show a drawn run
 * (the JSON-lines example, the native style's levels) need regenerating when the simulation
 * draws differently: run the command and paste its output. An example that pipes into jq is
 * skipped where jq is not installed.
 */
import assert from "node:assert/strict";

const ROOT = new URL("../../", import.meta.url);

/** One README example: its command and the output shown under it. */
export interface Example {
  command: string;
  output: string;
}

/** The examples of a Markdown text, by the convention above. */
export function readmeExamples(markdown: string): Example[] {
  const examples: Example[] = [];
  const fences = markdown.matchAll(/^```sh\n([\s\S]*?)^```$/gm);
  for (const [, body] of fences) {
    if (!body.startsWith("$ ")) continue;
    for (const chunk of body.split(/^\$ /m).slice(1)) {
      const [command, ...lines] = chunk.split("\n");
      examples.push({ command, output: lines.join("\n") });
    }
  }
  return examples;
}

/** Whether a program is on PATH. */
async function installed(program: string): Promise<boolean> {
  const out = await new Deno.Command("sh", {
    args: ["-c", `command -v ${program}`],
    stdout: "null",
    stderr: "null",
  }).output();
  return out.success;
}

Deno.test("readmeExamples() reads `$ ` commands and the output under each, and skips other fences", () => {
  const md = [
    "```sh",
    "npx -y deno@2.9.6 task start   # not an example",
    "```",
    "```sh",
    "$ echo a",
    "a",
    "$ printf 'b\\nc\\n'",
    "b",
    "c",
    "```",
  ].join("\n") + "\n";
  assert.deepEqual(readmeExamples(md), [
    { command: "echo a", output: "a\n" },
    { command: "printf 'b\\nc\\n'", output: "b\nc\n" },
  ]);
});

const readme = await Deno.readTextFile(new URL("README.md", ROOT));
const examples = readmeExamples(readme);
const hasJq = await installed("jq");

Deno.test("README.md has command examples to run", () => {
  assert.ok(examples.length >= 5, `found ${examples.length} examples`);
});

for (const { command, output } of examples) {
  Deno.test({
    name: `README example prints what it shows: $ ${command}`,
    ignore: /\|\s*jq\b/.test(command) && !hasJq,
    fn: async () => {
      const out = await new Deno.Command("sh", {
        args: ["-c", command],
        cwd: ROOT,
        env: { NO_COLOR: "1" },
        stdin: "null",
        stdout: "piped",
        stderr: "piped",
      }).output();
      const dec = new TextDecoder();
      assert.equal(dec.decode(out.stdout), output, dec.decode(out.stderr));
    },
  });
}
