/**
 * Reads /proc/PID/stat: CPU time of a process and its start time (to tell a pid apart from a
 * later process that reused it).
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';

/** Clock ticks per second (sysconf(_SC_CLK_TCK)); 100 on every Linux we run on. */
const CLK_TCK = 100;

/** The fields we use from /proc/PID/stat. */
export interface ProcStat {
  /** utime + stime in nanoseconds. */
  cpuTimeNs: number;
  /** Start time in clock ticks after boot. */
  startTime: number;
  /** Process state letter (R, S, Z, ...). */
  state: string;
  /** The host CPU it last ran on (field 39). */
  processor: number;
}

/** Parses the text of a /proc/.../stat file. */
export function parseStat(text: string): ProcStat {
  // The command name (field 2) may hold spaces and parentheses: split after the last ')'.
  const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // rest[0] is field 3 (state); field n is rest[n - 3].
  const utime = Number(rest[11]);
  const stime = Number(rest[12]);
  return { state: rest[0] ?? '?', cpuTimeNs: ((utime + stime) * 1e9) / CLK_TCK, startTime: Number(rest[19]), processor: Number(rest[36] ?? -1) };
}

/** /proc/PID/stat of `pid`, or undefined when the process is gone. */
export async function readProcStat(pid: number): Promise<ProcStat | undefined> {
  try {
    return parseStat(await readFile(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Synchronous variant. */
export function readProcStatSync(pid: number): ProcStat | undefined {
  try {
    return parseStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return undefined;
  }
}

/** True when `pid` runs and is the process that started at `startTime` (not a zombie). */
export function sameProcessAlive(pid: number, startTime: number): boolean {
  const st = readProcStatSync(pid);
  return st !== undefined && st.startTime === startTime && st.state !== 'Z' && st.state !== 'X';
}
