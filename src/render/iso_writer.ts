/** ISO-8601 timestamps written straight into a byte array, as renderer.ts's isoTime spells them. */
import { DIGITS4, pack, type Packed, putBytes, putPacked } from "./byte_buffer.ts";
import { isoTime } from "./renderer.ts";

const DAY_MS = 86_400_000;
const COLON = 0x3a;

/**
 * Writes the timestamp of a simulated instant into `out` (and `data`, a view of the same bytes)
 * at `at`, with room for the prefix, 27 bytes and 4 to spare; returns the index after it.
 */
export type IsoWriter = (out: Uint8Array, data: DataView, at: number, simMs: number) => number;

/**
 * A writer of `prefix` and `YYYY-MM-DDTHH:MM:SS.mmmZ` that encodes the prefix and the date once
 * per simulated day and the time of day from a digit table. Years past 9999 (a signed six-digit
 * year) go through Date.
 */
export function createIsoWriter(prefix = ""): IsoWriter {
  const encoder = new TextEncoder();
  let day = NaN;
  let datePart: Packed = pack(new Uint8Array(0));
  return (out, data, at, simMs) => {
    const ms = Math.trunc(simMs);
    const d = Math.floor(ms / DAY_MS);
    if (d !== day) {
      const iso = isoTime(d * DAY_MS);
      if (iso.length !== 24) return putBytes(out, at, encoder.encode(prefix + isoTime(simMs)));
      day = d;
      datePart = pack(encoder.encode(prefix + iso.slice(0, 11)));
    }
    return putTimeOfDay(out, putPacked(data, at, datePart), ms - d * DAY_MS);
  };
}

/** `HH:MM:SS.mmmZ` for `t` ms into the day, digits straight from the table. */
function putTimeOfDay(out: Uint8Array, at: number, t: number): number {
  const s = Math.floor(t / 1000);
  // Offsets into the table of the last two (or three) digits of each field.
  const h = 4 * Math.floor(s / 3600) + 2, m = 4 * (Math.floor(s / 60) % 60) + 2;
  const sec = 4 * (s % 60) + 2, milli = 4 * (t - s * 1000) + 1;
  out[at] = DIGITS4[h];
  out[at + 1] = DIGITS4[h + 1];
  out[at + 2] = COLON;
  out[at + 3] = DIGITS4[m];
  out[at + 4] = DIGITS4[m + 1];
  out[at + 5] = COLON;
  out[at + 6] = DIGITS4[sec];
  out[at + 7] = DIGITS4[sec + 1];
  out[at + 8] = 0x2e;
  out[at + 9] = DIGITS4[milli];
  out[at + 10] = DIGITS4[milli + 1];
  out[at + 11] = DIGITS4[milli + 2];
  out[at + 12] = 0x5a;
  return at + 13;
}
