/**
 * Where a worker process's shared libraries sit, for the addresses in c10's frame dumps: the
 * loader maps them downwards from an ASLR-drawn top in the 0x7f.. region, page aligned, each
 * below the last by its own size and a small gap (glibc first, the torch libraries after the
 * Python extension modules imported before torch). One process keeps one base per library;
 * another process (another rank, a relaunch) draws another top.
 */
import { hashUnit, mix32 } from "../sim/rng.ts";

const PAGE = 0x1000;

/** Mapped sizes of the libraries c10's dumps name, by file name (a torch 2.x CUDA wheel's). */
const SIZES: Array<[RegExp, number]> = [
  [/libc\.so/, 0x228000],
  [/libpthread/, 0x21000],
  [/libstdc\+\+/, 0x247000],
  [/libtorch_python/, 0x1a3b000],
  [/libtorch\.so/, 0x13000],
  [/libtorch_cuda/, 0x4b6e5000],
  [/libc10_cuda/, 0xb8000],
  [/libtorch_cpu/, 0x1f41c000],
  [/libc10\.so/, 0x149000],
];

/** The order the loader maps them in, top down (unknown libraries go last). */
function rankOf(lib: string): number {
  const i = SIZES.findIndex(([re]) => re.test(lib));
  return i < 0 ? SIZES.length : i;
}

/** The mapped size of `lib` (a modest one for a library not in the table). */
export function libSize(lib: string): number {
  return SIZES.find(([re]) => re.test(lib))?.[1] ?? 0x400000;
}

/** Page-aligned load address of `lib` in process `pid` of the run salted by `salt`. */
export function libBase(pid: number, lib: string, salt: number): number {
  const h = mix32(salt, pid, 0x6d6170);
  // mmap_base: 28 bits of page-granular randomisation below the top of user space.
  let at = 0x7f0000000000 + Math.floor((0.06 + 0.9 * hashUnit(h, 1)) * 0xfffffff) * PAGE;
  const rank = rankOf(lib);
  for (let i = 0; i <= Math.min(rank, SIZES.length - 1); i++) {
    // Python's own extension modules come between glibc and what torch brings in.
    const gap = i === 3
      ? Math.floor(0x8000 + 0x30000 * hashUnit(h, 2)) * PAGE
      : Math.floor(24 * hashUnit(h, 3, i)) * PAGE;
    at -= SIZES[i][1] + gap;
  }
  if (rank === SIZES.length) {
    let u = 0;
    for (let i = 0; i < lib.length; i++) u = mix32(u, lib.charCodeAt(i));
    at -= (0x1000 + Math.floor(0x8000 * hashUnit(h, u))) * PAGE;
  }
  return Math.floor(at / PAGE) * PAGE;
}
