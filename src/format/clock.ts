/** The timestamp formats framework loggers put on their lines, from a simulated instant (UTC). */

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

function pad(n: number, width = 2): string {
  return String(n).padStart(width, "0");
}

function parts(simMs: number) {
  const d = new Date(simMs);
  return {
    d,
    date: `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`,
    time: `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`,
    ms: pad(d.getUTCMilliseconds(), 3),
  };
}

/** `2026-11-24 09:00:03`, as Megatron's `[... datetime: ...]` lines print it. */
export function dateTime(simMs: number): string {
  const p = parts(simMs);
  return `${p.date} ${p.time}`;
}

/** `2026-11-24 09:00:03,367`, Python logging's default asctime (DeepSpeed, HF). */
export function pyLogTime(simMs: number): string {
  const p = parts(simMs);
  return `${p.date} ${p.time},${p.ms}`;
}

/** `11/24/2026 09:00:03`, the `datefmt` of the Hugging Face example scripts. */
export function usDateTime(simMs: number): string {
  const p = parts(simMs);
  return `${pad(p.d.getUTCMonth() + 1)}/${pad(p.d.getUTCDate())}/${p.d.getUTCFullYear()} ${p.time}`;
}

/** glog's `W1124 09:00:03.367000 9128 file.py:793] ` line head, as torch's C++ side logs. */
export function glogHead(severity: string, simMs: number, pid: number, where: string): string {
  const p = parts(simMs);
  return `${severity}${pad(p.d.getUTCMonth() + 1)}${pad(p.d.getUTCDate())} ${p.time}.${p.ms}000 ` +
    `${pid} ${where}] `;
}

/** `Tue Nov 24 09:00:41 2026`, C's ctime, as nvidia-smi prints its first line. */
export function ctime(simMs: number): string {
  const p = parts(simMs);
  const day = String(p.d.getUTCDate()).padStart(2, " ");
  return `${DAYS[p.d.getUTCDay()]} ${MONTHS[p.d.getUTCMonth()]} ${day} ${p.time} ` +
    `${p.d.getUTCFullYear()}`;
}

/** `2026/11/24 09:00:41.305`, the `timestamp` field of `nvidia-smi --query-gpu`. */
export function smiTimestamp(simMs: number): string {
  const p = parts(simMs);
  return `${p.date.replaceAll("-", "/")} ${p.time}.${p.ms}`;
}

/** `09:00:41`, the time column `nvidia-smi dmon -o T` adds. */
export function hmsTime(simMs: number): string {
  return parts(simMs).time;
}
