/** ISO-8601 timestamps written straight into a ByteBuffer, as renderer.ts's isoTime spells them. */
import type { ByteBuffer } from "./byte_buffer.ts";
import { isoTime } from "./renderer.ts";

const DAY_MS = 86_400_000;
const COLON = 0x3a;

/** Writes the timestamp of a simulated instant. */
export type IsoWriter = (b: ByteBuffer, simMs: number) => void;

/**
 * A writer of `YYYY-MM-DDTHH:MM:SS.mmmZ` that encodes the date once per simulated day and the
 * time of day from a digit table. Years past 9999 (a signed six-digit year) go through Date.
 */
export function createIsoWriter(): IsoWriter {
  const encoder = new TextEncoder();
  let day = NaN;
  let datePart = new Uint8Array(0);
  return (b, simMs) => {
    const ms = Math.trunc(simMs);
    const d = Math.floor(ms / DAY_MS);
    if (d !== day) {
      const iso = isoTime(d * DAY_MS);
      if (iso.length !== 24) return b.text(isoTime(simMs));
      day = d;
      datePart = encoder.encode(iso.slice(0, 11));
    }
    const t = ms - d * DAY_MS;
    const s = Math.floor(t / 1000);
    b.copy(datePart);
    b.padded(Math.floor(s / 3600), 2);
    b.byte(COLON);
    b.padded(Math.floor(s / 60) % 60, 2);
    b.byte(COLON);
    b.padded(s % 60, 2);
    b.byte(0x2e);
    b.padded(t - s * 1000, 3);
    b.byte(0x5a);
  };
}
