/**
 * Baseline for --instant throughput: reads already-formatted output from stdin into memory,
 * then writes it to stdout in chunks of the size fauxtrain's sink flushes (64 KiB).
 */
const CHUNK_BYTES = 1 << 16;

const input = new Uint8Array(await new Response(Deno.stdin.readable).arrayBuffer());
for (let at = 0; at < input.length; at += CHUNK_BYTES) {
  const chunk = input.subarray(at, at + CHUNK_BYTES);
  let written = 0;
  while (written < chunk.length) written += Deno.stdout.writeSync(chunk.subarray(written));
}
