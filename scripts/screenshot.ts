/**
 * `deno task screenshot`: the README's picture of the live view, from a real capture. Starts
 * fauxtrain (main.ts) in a detached tmux session of a fixed size with a fixed seed and start,
 * waits until the live view has shown enough training steps, captures the pane with its colour
 * escapes, turns them into HTML with aha and renders that with headless Chromium into
 * docs/img/live.png. Needs tmux, aha and chromium on PATH; the tests never run it (CI has no
 * Chromium). The program itself writes no file and spawns nothing: only this dev task does.
 */

/** The run in the picture: a 4-node fine-tune whose curves and grid fill the screen. */
export const RUN_FLAGS = [
  "--seed",
  "5",
  "--start",
  "2026-11-24T09:00:00Z",
  "--nodes",
  "4",
  "--speed",
  "10",
];
/** Terminal size of the capture, in character cells. */
export const COLUMNS = 120, ROWS = 36;
/** The capture is taken once the live view's step bar reaches this step. */
const MIN_STEP = 40;
/** Wall ms to wait for MIN_STEP before giving up. */
const TIMEOUT_MS = 90_000;
/** CSS pixels per cell: the font size and line height the HTML is drawn with. */
const FONT_PX = 14, LINE_PX = 17, CELL_PX = 8.43, PAD_PX = 10;

const ROOT = decodeURIComponent(new URL("../", import.meta.url).pathname).replace(/\/$/, "");
const WORK = `${ROOT}/dist/screenshot`;
const OUT = `${ROOT}/docs/img/live.png`;
/** A tmux server of our own, so no session of the user's is touched. */
const TMUX = ["-L", `fauxtrain-screenshot-${Deno.pid}`, "-f", "/dev/null"];

/** Runs a program to its end; its stdout, or an error naming it and its stderr. */
async function run(program: string, args: string[], input?: string): Promise<string> {
  const child = new Deno.Command(program, {
    args,
    stdin: input === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  if (input !== undefined) {
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(input));
    await writer.close();
  }
  const out = await child.output();
  const dec = new TextDecoder();
  if (!out.success) {
    throw new Error(`${program} ${args.join(" ")} exited ${out.code}: ${dec.decode(out.stderr)}`);
  }
  return dec.decode(out.stdout);
}

/** The highest step the live view's step bar shows ("Step 63/76 …"), or -1. */
export function shownStep(screen: string): number {
  const m = screen.match(/^Step (\d+)\/\d+/m);
  return m ? Number(m[1]) : -1;
}

/** Waits until the pane shows at least MIN_STEP training steps; returns it with its escapes. */
async function captureWhenTraining(): Promise<string> {
  const deadline = Date.now() + TIMEOUT_MS;
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 250));
    const plain = await run("tmux", [...TMUX, "capture-pane", "-p", "-t", "live"]);
    if (shownStep(plain) >= MIN_STEP) {
      return await run("tmux", [...TMUX, "capture-pane", "-e", "-p", "-t", "live"]);
    }
  }
  throw new Error(`the live view did not reach step ${MIN_STEP} in ${TIMEOUT_MS / 1000} s`);
}

/** aha's HTML with a terminal's look: black, one monospace cell grid, no margins. */
function pageFor(html: string): string {
  const css = `<style>body{margin:0;padding:${PAD_PX}px;background:#000;color:#ddd}` +
    `pre{margin:0;font-family:'DejaVu Sans Mono',monospace;font-size:${FONT_PX}px;` +
    `line-height:${LINE_PX}px}</style>`;
  return html.replace("</head>", `${css}</head>`);
}

async function main(): Promise<void> {
  await Deno.mkdir(WORK, { recursive: true });
  await Deno.mkdir(`${ROOT}/docs/img`, { recursive: true });
  const program = [
    "deno",
    "run",
    "--allow-env=TERM,COLUMNS,LINES,FORCE_COLOR",
    `${ROOT}/main.ts`,
    ...RUN_FLAGS,
  ];
  await run("tmux", [
    ...TMUX,
    "new-session",
    "-d",
    "-s",
    "live",
    "-x",
    String(COLUMNS),
    "-y",
    String(ROWS),
    "-e",
    "TERM=xterm-256color",
    ...program,
  ]);
  let screen: string;
  try {
    screen = await captureWhenTraining();
  } finally {
    await run("tmux", [...TMUX, "kill-server"]).catch(() => {});
  }
  const html = await run("aha", ["--black", "--title", "fauxtrain"], screen);
  await Deno.writeTextFile(`${WORK}/live.html`, pageFor(html));
  const width = Math.ceil(COLUMNS * CELL_PX + 2 * PAD_PX);
  const height = ROWS * LINE_PX + 2 * PAD_PX;
  await run("chromium", [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--hide-scrollbars",
    // Twice the pixels, so the braille curves and small glyphs stay sharp when scaled down.
    "--force-device-scale-factor=2",
    `--user-data-dir=${WORK}/profile`,
    `--window-size=${width},${height}`,
    `--screenshot=${OUT}`,
    `file://${WORK}/live.html`,
  ]);
  const { size } = await Deno.stat(OUT);
  console.log(`wrote docs/img/live.png (${width}x${height}, ${size} bytes)`);
}

if (import.meta.main) await main();
