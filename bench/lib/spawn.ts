/** Runs a command and times its output: spawn to first stdout byte, and spawn to end of stdout. */

/** Bytes asked for per read of the command's output. */
const READ_BYTES = 1 << 20;

/** Timings and size of one run's standard output. */
export interface TimedRun {
  /** Wall ms from spawn to the first stdout chunk (NaN when nothing was written). */
  firstByteMs: number;
  /** Wall ms from spawn to the end of stdout. */
  endMs: number;
  bytes: number;
  /** Newlines in the output (0 when not counted). */
  lines: number;
  /** The whole output, when asked to keep it. */
  output: Uint8Array | null;
}

/** How to run a command. */
export interface RunOptions {
  /** Bytes to feed on stdin (stdin is closed after them; /dev/null without). */
  stdin?: Uint8Array;
  /** Keep the output in memory and return it. */
  keep?: boolean;
  /** Send SIGTERM as soon as the first byte arrives. */
  stopAtFirstByte?: boolean;
  /** Count lines (default true); timed runs of large outputs skip it to leave the CPU alone. */
  countLines?: boolean;
}

/** Number of newline bytes in `bytes`. */
export function countLines(bytes: Uint8Array): number {
  let lines = 0;
  for (let i = bytes.indexOf(10); i >= 0; i = bytes.indexOf(10, i + 1)) lines++;
  return lines;
}

/** Concatenates chunks into one buffer. */
export function concat(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) (out.set(c, at), at += c.length);
  return out;
}

async function feed(child: Deno.ChildProcess, bytes: Uint8Array | undefined): Promise<void> {
  if (!bytes) return;
  const writer = child.stdin.getWriter();
  try {
    await writer.write(bytes);
    await writer.close();
  } catch { /* the command exited without reading everything */ }
}

/** Runs `cmd args`, timing its stdout; fails when the command exits unsuccessfully. */
export async function timeRun(cmd: string, args: string[], o: RunOptions = {}): Promise<TimedRun> {
  const t0 = performance.now();
  const child = new Deno.Command(cmd, {
    args,
    stdin: o.stdin ? "piped" : "null",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const feeding = feed(child, o.stdin);
  const chunks: Uint8Array[] = [];
  let firstByteMs = NaN, bytes = 0, lines = 0;
  // One reused buffer: a fresh array per chunk would cost the reader more than the program
  // under test spends writing it (both share the machine's cores).
  const reader = child.stdout.getReader({ mode: "byob" });
  let buffer = new Uint8Array(READ_BYTES);
  while (true) {
    const { value, done } = await reader.read(buffer);
    if (done || !value) break;
    if (Number.isNaN(firstByteMs)) {
      firstByteMs = performance.now() - t0;
      if (o.stopAtFirstByte) child.kill("SIGTERM");
    }
    bytes += value.length;
    if (o.countLines !== false) lines += countLines(value);
    if (o.keep) chunks.push(value.slice());
    buffer = new Uint8Array(value.buffer);
  }
  const endMs = performance.now() - t0;
  await feeding;
  const status = await child.status;
  if (!status.success && !o.stopAtFirstByte) {
    throw new Error(`${cmd} ${args.join(" ")} exited with status ${status.code}`);
  }
  return { firstByteMs, endMs, bytes, lines, output: o.keep ? concat(chunks) : null };
}
