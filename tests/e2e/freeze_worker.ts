/**
 * Test helper (Linux with glibc): runs main.ts with the given flags, its output on this
 * process's, and after `afterS` seconds stops its first telemetry thread (`worker-1`) for
 * `forS` seconds: the thread alone, through ptrace, or the whole process with SIGSTOP (what
 * `kill -STOP <thread id>` does too). Exits with main.ts's status, or 77 when the system does
 * not let it stop a thread.
 *
 *   deno run -A tests/e2e/freeze_worker.ts thread|process AFTER_S FOR_S -- <main.ts flags>
 *
 * main.ts is this helper's child, so the freeze is allowed where ptrace is limited to a
 * process's descendants (Yama ptrace_scope 1).
 */
const PTRACE_SEIZE = 0x4206, PTRACE_INTERRUPT = 0x4207, PTRACE_DETACH = 17, WALL = 0x40000000;

const libc = Deno.dlopen("libc.so.6", {
  ptrace: { parameters: ["i64", "i64", "pointer", "pointer"], result: "i64" },
  waitpid: { parameters: ["i32", "pointer", "i32"], result: "i32" },
});

const sleep = (s: number) => new Promise((resolve) => setTimeout(resolve, s * 1000));

/** The id of the thread of `pid` named `name`, if there is one. */
function threadNamed(pid: number, name: string): number | null {
  for (const task of Deno.readDirSync(`/proc/${pid}/task`)) {
    const comm = Deno.readTextFileSync(`/proc/${pid}/task/${task.name}/comm`).trim();
    if (comm === name) return Number(task.name);
  }
  return null;
}

/** Stops thread `tid` alone for `forS` seconds; false if the system refuses. */
async function freezeThread(tid: number, forS: number): Promise<boolean> {
  if (libc.symbols.ptrace(BigInt(PTRACE_SEIZE), BigInt(tid), null, null) !== 0n) return false;
  libc.symbols.ptrace(BigInt(PTRACE_INTERRUPT), BigInt(tid), null, null);
  libc.symbols.waitpid(tid, null, WALL);
  await sleep(forS);
  libc.symbols.ptrace(BigInt(PTRACE_DETACH), BigInt(tid), null, null);
  return true;
}

async function main(): Promise<number> {
  const [mode, afterS, forS, dashes, ...flags] = Deno.args;
  if (!["thread", "process"].includes(mode) || dashes !== "--") {
    throw new Error("usage: freeze_worker.ts thread|process AFTER_S FOR_S -- <main.ts flags>");
  }
  const child = new Deno.Command("deno", {
    args: ["run", "--quiet", "main.ts", ...flags],
    cwd: new URL("../../", import.meta.url),
    stdin: "null",
  }).spawn();
  await sleep(Number(afterS));
  const tid = threadNamed(child.pid, "worker-1");
  if (tid === null) throw new Error("main.ts has no thread named worker-1");
  if (mode === "process") {
    Deno.kill(child.pid, "SIGSTOP");
    await sleep(Number(forS));
    Deno.kill(child.pid, "SIGCONT");
  } else if (!await freezeThread(tid, Number(forS))) {
    child.kill("SIGTERM");
    await child.status;
    return 77;
  }
  return (await child.status).code;
}

Deno.exit(await main());
