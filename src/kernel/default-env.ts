// The guest environment a program gets when none is given: its own file, so
// the `exec` command's help can name it without loading the kernel.
export const DEFAULT_ENV = ["PATH=/usr/local/bin:/usr/bin:/bin", "HOME=/root", "LANG=C", "TERM=dumb"];
