/** Baseline for time to first byte: the smallest Deno program that writes a line. */
Deno.stdout.writeSync(new TextEncoder().encode("hello, world\n"));
