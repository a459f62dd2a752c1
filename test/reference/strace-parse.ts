// Parses the output of `strace -f -qq -e signal=none -o FILE` into the
// sequence of system call names of each process, in the order each process
// made them. With -f, a call that blocks while another process runs is split
// into "name(args <unfinished ...>" and later "<... name resumed> ...": the
// call is counted once, where it started. Exit and signal notices are not
// calls. The first execve of the first process is strace starting the
// program, not the program's own call, and is dropped: the emulator loads
// the program without one.

export interface NativeProcess {
  pid: number;
  calls: string[];
}

const CALL = /^(?:(\d+) +)?([a-z_][a-z0-9_]*)\(/;
const RESUMED = /^(?:(\d+) +)?<\.\.\. [a-z_][a-z0-9_]* resumed>/;
const NOTICE = /^(?:(\d+) +)?(?:\+\+\+ |--- )/;

export function parseStrace(text: string): NativeProcess[] {
  const byPid = new Map<number, NativeProcess>();
  const order: NativeProcess[] = [];
  let droppedStart = false;
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line === "") continue;
    if (RESUMED.test(line) || NOTICE.test(line)) continue;
    const m = CALL.exec(line);
    if (!m) throw new Error(`strace output line ${i + 1} not understood: ${JSON.stringify(line.slice(0, 120))}`);
    const pid = m[1] ? Number(m[1]) : 0;
    const name = m[2];
    if (!droppedStart) {
      droppedStart = true;
      if (name === "execve") continue;
    }
    let p = byPid.get(pid);
    if (!p) {
      p = { pid, calls: [] };
      byPid.set(pid, p);
      order.push(p);
    }
    p.calls.push(name);
  }
  return order;
}
