// The /dev directory: null, zero, full, random, urandom, tty (no controlling
// terminal: ENXIO) and the serial port ttyS0.
import type { Kernel } from "../kernel.js";
import { DeviceInode, makedev } from "./inode.js";
import { nullOps, zeroOps, randomOps } from "./devices.js";
import { SerialTty } from "./serial-tty.js";
import { Errno, ENXIO } from "../errno.js";

export function populateDev(k: Kernel): void {
  const v = k.vfs;
  v.mkdirp("/dev");
  v.add("/dev/null", new DeviceInode(0o666, makedev(1, 3), () => nullOps));
  v.add("/dev/zero", new DeviceInode(0o666, makedev(1, 5), () => zeroOps));
  const rnd = randomOps(k.rng);
  v.add("/dev/random", new DeviceInode(0o666, makedev(1, 8), () => rnd));
  const urnd = { ...rnd, noPoll: true }; // Linux's urandom has no poll method (epoll refuses it)
  v.add("/dev/urandom", new DeviceInode(0o666, makedev(1, 9), () => urnd));
  v.add("/dev/tty", new DeviceInode(0o666, makedev(5, 0), () => { throw new Errno(ENXIO); }));
  // One line discipline for the port, shared by every open of it (as a real tty is).
  const tty = new SerialTty(() => k.serial, k.clock);
  v.add("/dev/ttyS0", new DeviceInode(0o660, makedev(4, 64), () => tty.ops));
}
