// `skytrace exec [options] [--] PROGRAM [ARGS…]`: the command line is split
// before yargs sees it, as env, strace and qemu-x86_64 do: skytrace's options
// are the words before PROGRAM (an option's value included), `--` ends them,
// and PROGRAM with everything after it goes to the guest untouched, dashes,
// `--`, `-` and empty words included.
import type { GuestCommandLine } from "./exec.js";

export interface SplitExec {
  own: string[];             // skytrace's options, for yargs
  guest: GuestCommandLine;
}

/** `words` is what follows `exec`; takesValue says whether `--name` (or `-n`) consumes the next word. */
export function splitExecArgv(words: string[], takesValue: (name: string) => boolean): SplitExec {
  const own: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (w === "--") return { own, guest: { program: words[i + 1], args: words.slice(i + 2) } };
    if (w.startsWith("-") && w !== "-") {
      own.push(w);
      const name = w.replace(/^--?/, "");
      if (!name.includes("=") && takesValue(name) && i + 1 < words.length) own.push(words[++i]);
      continue;
    }
    return { own, guest: { program: w, args: words.slice(i + 1) } };
  }
  return { own, guest: { program: undefined, args: [] } };
}
