/**
 * Baseline for live-mode cost: redraws a frame of the given size at a fixed rate, the way any
 * live terminal view must (move up, clear, write the lines, one write per frame), composing
 * each frame anew. Usage: redraw.ts LINES BYTES_PER_FRAME FPS
 */
const [lines, frameBytes, fps] = Deno.args.map(Number);
if (!(lines >= 1 && frameBytes >= 1 && fps > 0)) {
  console.error("usage: redraw.ts LINES BYTES_PER_FRAME FPS");
  Deno.exit(2);
}
const ESC = "\x1b[";
const encoder = new TextEncoder();
let frame = 0;

function compose(n: number): string {
  const head = `${ESC}?2026h` + (n > 0 ? `\r${ESC}${Math.max(1, lines - 1)}A${ESC}J` : "");
  const tail = `${ESC}?2026l`;
  const room = Math.max(lines, frameBytes - head.length - tail.length - (lines - 1));
  const out: string[] = [];
  for (let i = 0; i < lines; i++) {
    const width = Math.floor(room / lines) + (i < room % lines ? 1 : 0);
    out.push(`frame ${n} line ${i} `.padEnd(width, "=").slice(0, width));
  }
  return head + out.join("\n") + tail;
}

setInterval(() => {
  const bytes = encoder.encode(compose(frame++));
  let written = 0;
  try {
    while (written < bytes.length) written += Deno.stdout.writeSync(bytes.subarray(written));
  } catch {
    Deno.exit(0); // the terminal went away
  }
}, 1000 / fps);
