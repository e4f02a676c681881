/**
 * The timestamps a log line carries, read back as epoch ms (the runs are UTC): Python logging's
 * and ISO dates, glog's `MMDD hh:mm:ss.micros`, US dates, ctime, and nvidia-smi's query format.
 */

const MONTHS = "JanFebMarAprMayJunJulAugSepOctNovDec";

/** Every timestamp a line carries, as epoch ms (the runs are UTC); `year` for glog's MMDD. */
export function lineTimes(line: string, year: number): number[] {
  const out: number[] = [];
  const iso = /(\d{4})-(\d\d)-(\d\d)[ T](\d\d):(\d\d):(\d\d)(?:[,.](\d{1,9}))?/g;
  for (const m of line.matchAll(iso)) {
    out.push(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6], ms(m[7])));
  }
  const glog = /(?:^|[\s\]:])[IWEF](\d\d)(\d\d) (\d\d):(\d\d):(\d\d)\.(\d{6,9})/g;
  for (const m of line.matchAll(glog)) {
    out.push(Date.UTC(year, +m[1] - 1, +m[2], +m[3], +m[4], +m[5], ms(m[6])));
  }
  const us = /(\d\d)\/(\d\d)\/(\d{4}) (\d\d):(\d\d):(\d\d)/g;
  for (const m of line.matchAll(us)) {
    out.push(Date.UTC(+m[3], +m[1] - 1, +m[2], +m[4], +m[5], +m[6]));
  }
  const slashed = /(\d{4})\/(\d\d)\/(\d\d) (\d\d):(\d\d):(\d\d)\.(\d{3})/g;
  for (const m of line.matchAll(slashed)) {
    out.push(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6], ms(m[7])));
  }
  const ctime = /\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (\w{3}) +(\d+) (\d\d):(\d\d):(\d\d) (\d{4})/g;
  for (const m of line.matchAll(ctime)) {
    const month = MONTHS.indexOf(m[1]) / 3;
    out.push(Date.UTC(+m[6], month, +m[2], +m[3], +m[4], +m[5]));
  }
  return out;
}

function ms(frac: string | undefined): number {
  return frac ? Number(frac.slice(0, 3).padEnd(3, "0")) : 0;
}
