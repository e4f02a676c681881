/**
 * Process accounting from /proc, read through `cat` because Deno grants /proc reads only with
 * --allow-all. CPU time covers every thread of the process (workers included).
 */

async function output(cmd: string, args: string[]): Promise<string> {
  const out = await new Deno.Command(cmd, { args, stdout: "piped", stderr: "null" }).output();
  if (!out.success) throw new Error(`${cmd} ${args.join(" ")} failed`);
  return new TextDecoder().decode(out.stdout);
}

/** Clock ticks per second of /proc/<pid>/stat times (CLK_TCK, 100 on Linux). */
export async function clockTicksPerS(): Promise<number> {
  try {
    return Number((await output("getconf", ["CLK_TCK"])).trim()) || 100;
  } catch {
    return 100;
  }
}

/** User plus system CPU seconds a process has used so far, all threads. */
export async function cpuSeconds(pid: number, ticksPerS: number): Promise<number> {
  const stat = await output("cat", [`/proc/${pid}/stat`]);
  // Fields after the command name, which may hold spaces: state is field 3, utime 14, stime 15.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / ticksPerS;
}

/** Resident set size now and its peak (VmRSS, VmHWM), MiB. */
export async function memoryMiB(pid: number): Promise<{ rssMiB: number; peakMiB: number }> {
  const status = await output("cat", [`/proc/${pid}/status`]);
  const kib = (name: string) => Number(status.match(new RegExp(`^${name}:\\s+(\\d+)`, "m"))?.[1]);
  return { rssMiB: kib("VmRSS") / 1024, peakMiB: kib("VmHWM") / 1024 };
}

/** Sends SIGTERM to a process that is not our child (Deno.kill would need every run permission). */
export async function terminate(pid: number): Promise<void> {
  await output("kill", ["-TERM", String(pid)]);
}

/** Direct children of a process. */
export async function childPids(pid: number): Promise<number[]> {
  const text = await output("cat", [`/proc/${pid}/task/${pid}/children`]);
  return text.trim().split(/\s+/).filter(Boolean).map(Number);
}

/** The machine the figures were measured on. */
export interface Machine {
  nproc: number;
  cpuModel: string;
  ramGiB: number;
  deno: string;
  v8: string;
  /** One-minute load average when the bench started (other work on a shared machine). */
  loadAvg1m: number;
}

/** Describes this machine from /proc. */
export async function describeMachine(): Promise<Machine> {
  const cpuinfo = await output("cat", ["/proc/cpuinfo"]);
  const meminfo = await output("cat", ["/proc/meminfo"]);
  const loadavg = await output("cat", ["/proc/loadavg"]);
  return {
    nproc: navigator.hardwareConcurrency,
    cpuModel: cpuinfo.match(/^model name\s*:\s*(.+)$/m)?.[1].trim() ?? "unknown",
    ramGiB: Math.round(Number(meminfo.match(/^MemTotal:\s+(\d+)/m)?.[1]) / 1024 / 1024 * 10) / 10,
    deno: Deno.version.deno,
    v8: Deno.version.v8,
    loadAvg1m: Number(loadavg.split(" ")[0]),
  };
}
