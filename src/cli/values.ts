/**
 * Parsers for flag values: whole numbers, positive numbers, durations and ISO-8601 start times.
 * Each returns null for anything it does not accept, so the caller can name the flag.
 */

/** A whole number written in plain digits, from `lo` to `hi`; null otherwise. */
export function parseWhole(raw: string, lo: number, hi: number): number | null {
  const n = /^\d+$/.test(raw) ? Number(raw) : NaN;
  return Number.isSafeInteger(n) && n >= lo && n <= hi ? n : null;
}

/**
 * A decimal number from `lo` to `hi`, written as people write numbers: 2, 0.5, .5, 5. or with
 * an exponent (1e3, 2.5E-1); null otherwise.
 */
export function parsePositive(raw: string, lo: number, hi: number): number | null {
  const n = /^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(raw) ? Number(raw) : NaN;
  return n >= lo && n <= hi ? n : null;
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

/** The first instant ISO-8601 timestamps cannot show with four digits: 10000-01-01T00:00Z. */
export const YEAR_10000_MS = Date.UTC(10000, 0, 1);

/**
 * Parses an ISO-8601 date or date-time (years 1970 to 9999) to Unix ms; a time without an
 * offset is UTC, so a replay does not depend on the machine's time zone. Null when invalid,
 * including impossible dates such as 2026-02-30 and offsets that move the instant out of
 * those years (1970-01-01T00:00+01:00 is in 1969).
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
  const ms = Date.UTC(year, month - 1, day, hour, minute, second, fracMs) - offset * 60_000;
  return ms >= 0 && ms < YEAR_10000_MS ? ms : null;
}

const DAY_MS = 86_400_000;

/**
 * Why a run estimated to take `runMs` of simulated time cannot start at `startMs`, or null when
 * it can: its timestamps must stay before the year 10000, with room to spare (faults and
 * restarts can stretch a run) — twice the estimate and a day.
 */
export function startTooLate(startMs: number, runMs: number): string | null {
  const latestMs = YEAR_10000_MS - 2 * runMs - DAY_MS;
  if (startMs <= latestMs) return null;
  const days = runMs / DAY_MS;
  const length = days >= 730
    ? `${Math.round(days / 365)} years`
    : days >= 2
    ? `${Math.round(days)} days`
    : `${Math.max(1, Math.round(days * 24))} hours`;
  if (latestMs < 0) {
    return `this run takes about ${length}: from any --start it would run past the year 9999`;
  }
  const latest = new Date(latestMs).toISOString().slice(0, 10);
  return `--start ${new Date(startMs).toISOString()} leaves too little time before the year ` +
    `10000 for this run (about ${length}); start on ${latest} or earlier`;
}

/** Minutes east of UTC of an ISO offset ("Z", "+02:00", "-0530"); 0 when absent, null if bad. */
function offsetMinutes(raw: string | undefined): number | null {
  if (!raw || raw.toUpperCase() === "Z") return 0;
  const digits = raw.slice(1).replace(":", "");
  const hours = Number(digits.slice(0, 2)), minutes = Number(digits.slice(2));
  if (hours > 14 || minutes > 59) return null;
  return (raw[0] === "-" ? -1 : 1) * (hours * 60 + minutes);
}
