/**
 * Parsers for flag values: whole numbers, positive numbers, durations and ISO-8601 start times.
 * Each returns null for anything it does not accept, so the caller can name the flag.
 */

/** A whole number written in plain digits, from `lo` to `hi`; null otherwise. */
export function parseWhole(raw: string, lo: number, hi: number): number | null {
  const n = /^\d+$/.test(raw) ? Number(raw) : NaN;
  return Number.isSafeInteger(n) && n >= lo && n <= hi ? n : null;
}

/** A finite decimal number above 0 and at most `hi` (exponents allowed: 1e5); null otherwise. */
export function parsePositive(raw: string, hi: number): number | null {
  const n = /^\d+(\.\d+)?([eE][+-]?\d+)?$/.test(raw) ? Number(raw) : NaN;
  return n > 0 && n <= hi ? n : null;
}

const DURATION_UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

/** Parses a duration such as 90s, 5m, 1h30m, 250ms or a bare number of seconds, to ms. */
export function parseDuration(raw: string): number | null {
  if (/^\d+(\.\d+)?$/.test(raw)) return Number(raw) * 1000;
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/gy;
  let totalMs = 0, m: RegExpExecArray | null, end = 0;
  while ((m = re.exec(raw)) !== null) {
    totalMs += Number(m[1]) * DURATION_UNIT_MS[m[2]];
    end = re.lastIndex;
  }
  return end === raw.length && end > 0 ? totalMs : null;
}

const ISO_RE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * Parses an ISO-8601 date or date-time (years 1970 to 9999) to Unix ms; a time without an
 * offset is UTC, so a replay does not depend on the machine's time zone. Null when invalid,
 * including impossible dates such as 2026-02-30.
 */
export function parseStartTime(raw: string): number | null {
  const m = ISO_RE.exec(raw);
  if (!m) return null;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map((s) => Number(s ?? 0));
  const fracMs = m[7] ? Math.floor(Number(`0.${m[7]}`) * 1000) : 0;
  if (year < 1970 || month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) {
    return null;
  }
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day < 1 || day > daysInMonth) return null;
  const offset = offsetMinutes(m[8]);
  if (offset === null) return null;
  return Date.UTC(year, month - 1, day, hour, minute, second, fracMs) - offset * 60_000;
}

/** Minutes east of UTC of an ISO offset ("Z", "+02:00", "-0530"); 0 when absent, null if bad. */
function offsetMinutes(raw: string | undefined): number | null {
  if (!raw || raw.toUpperCase() === "Z") return 0;
  const digits = raw.slice(1).replace(":", "");
  const hours = Number(digits.slice(0, 2)), minutes = Number(digits.slice(2));
  if (hours > 14 || minutes > 59) return null;
  return (raw[0] === "-" ? -1 : 1) * (hours * 60 + minutes);
}
