// The in-memory file system: path resolution, pipes, and the serial tty's line discipline.
import { describe, it, expect } from "vitest";
import { Vfs } from "../../src/kernel/fs/vfs.js";
import { DirInode, SymlinkInode } from "../../src/kernel/fs/inode.js";
import { Pipe, PIPE_CAPACITY } from "../../src/kernel/fs/pipe.js";
import { OpenFile, BLOCK, O_RDONLY, O_WRONLY, O_NONBLOCK, POLLIN, POLLHUP } from "../../src/kernel/fs/file.js";
import { SerialTty, TCGETS, TCSETS, FIONREAD } from "../../src/kernel/fs/serial-tty.js";
import { ScheduledEndpoint } from "./scheduled-endpoint.js";
import { Errno, ENOENT, ENOTDIR, ELOOP, ENAMETOOLONG, EAGAIN, EPIPE } from "../../src/kernel/errno.js";
import type { Clock } from "../../src/kernel/clock.js";

const errnoOf = (f: () => unknown): number => { try { f(); return 0; } catch (e) { return e instanceof Errno ? e.errno : -1; } };

describe("path resolution", () => {
  const v = new Vfs();
  v.addFile("/a/b/file", Buffer.from("x"));
  const b = v.mkdirp("/a/b");
  v.add("/a/link", new SymlinkInode("b/file"));
  v.add("/a/dirlink", new SymlinkInode("/a/b"));
  v.add("/loop", new SymlinkInode("/loop"));

  it("walks absolute and relative paths with . and ..", () => {
    expect(v.resolve(v.root, "/a/b/file").name).toBe("file");
    expect(v.resolve(b, "../b/./file").name).toBe("file");
    expect(v.resolve(v.root, "/..").inode).toBe(v.root);
    expect(v.pathOf(b)).toBe("/a/b");
  });
  it("follows symlinks, finally or in the middle, unless asked not to", () => {
    expect(v.resolve(v.root, "/a/link").name).toBe("file");
    expect(v.resolve(v.root, "/a/dirlink/file").name).toBe("file");
    expect(v.resolve(v.root, "/a/link", false).inode).toBeInstanceOf(SymlinkInode);
  });
  it("gives Linux's errors", () => {
    expect(errnoOf(() => v.resolve(v.root, "/a/missing"))).toBe(ENOENT);
    expect(errnoOf(() => v.resolve(v.root, "/a/b/file/x"))).toBe(ENOTDIR);
    expect(errnoOf(() => v.resolve(v.root, "/loop"))).toBe(ELOOP);
    expect(errnoOf(() => v.resolve(v.root, "/" + "x".repeat(300)))).toBe(ENAMETOOLONG);
    expect(errnoOf(() => v.resolve(v.root, ""))).toBe(ENOENT);
  });
  it("finds the parent directory for creation", () => {
    const { dir, name } = v.parentOf(v.root, "/a/b/new/");
    expect(dir).toBeInstanceOf(DirInode);
    expect(name).toBe("new");
  });
});

const clock = { now: 0, wall: 0n, advance() {} } as unknown as Clock;

describe("pipes", () => {
  function ends(nonblock = false) {
    const p = new Pipe();
    p.readers = 1; p.writers = 1;
    const r = new OpenFile(p.readEnd(), O_RDONLY | (nonblock ? O_NONBLOCK : 0), undefined, "r");
    const w = new OpenFile(p.writeEnd(), O_WRONLY | (nonblock ? O_NONBLOCK : 0), undefined, "w");
    return { p, r, w };
  }
  it("moves bytes in order and blocks when empty", () => {
    const { r, w } = ends();
    const buf = new Uint8Array(10);
    expect(r.ops.read(r, buf, 0, clock)).toBe(BLOCK);
    expect(r.ops.poll(r, clock) & POLLIN).toBe(0);
    expect(w.ops.write(w, Buffer.from("abc"), 0, clock)).toBe(3);
    expect(r.ops.poll(r, clock) & POLLIN).toBe(POLLIN);
    expect(r.ops.read(r, buf, 0, clock)).toBe(3);
    expect(Buffer.from(buf.subarray(0, 3)).toString()).toBe("abc");
  });
  it("reads EOF once every writer is gone, EAGAIN when non-blocking", () => {
    const { r, w } = ends(true);
    expect(r.ops.read(r, new Uint8Array(4), 0, clock)).toBe(-EAGAIN);
    w.unref();
    expect(r.ops.read(r, new Uint8Array(4), 0, clock)).toBe(0);
    expect(r.ops.poll(r, clock) & POLLHUP).toBe(POLLHUP);
  });
  it("fails writes with EPIPE without readers and blocks when full", () => {
    const { r, w } = ends();
    expect(w.ops.write(w, new Uint8Array(PIPE_CAPACITY), 0, clock)).toBe(PIPE_CAPACITY);
    expect(w.ops.write(w, new Uint8Array(1), 0, clock)).toBe(BLOCK);
    r.unref();
    expect(w.ops.write(w, new Uint8Array(1), 0, clock)).toBe(-EPIPE);
  });
});

// A wire whose bytes arrive at scheduled virtual times.
class ScriptedWire extends ScheduledEndpoint {
  sent: number[] = [];
  constructor(arrivals: Array<[number, number]>) { super(); this.pending = arrivals; }
  write(data: Uint8Array): void { this.sent.push(...data); }
}

function ttyWith(arrivals: Array<[number, number]>) {
  const c = { now: 0 } as { now: number };
  const wire = new ScriptedWire(arrivals);
  const tty = new SerialTty(() => wire, c as unknown as Clock);
  const f = new OpenFile(tty.ops, 2, undefined, "/dev/ttyS0");
  const mem = new Map<number, Uint8Array>();
  const io = { read: (va: number) => mem.get(va) ?? null, write: (va: number, d: Uint8Array) => { mem.set(va, d.slice()); return true; } };
  const raw = (vmin: number, vtime: number) => {
    tty.ioctl(TCGETS, 1, io);
    const t = mem.get(1)!;
    const dv = new DataView(t.buffer);
    dv.setUint32(0, 0, true); dv.setUint32(4, 0, true); dv.setUint32(12, 0, true);
    t[17 + 6] = vmin; t[17 + 5] = vtime;
    mem.set(2, t);
    expect(tty.ioctl(TCSETS, 2, io)).toBe(0);
  };
  return { c, wire, tty, f, io, mem, raw };
}

describe("serial tty", () => {
  it("cooked by default: returns whole lines, CR becomes NL, output NL becomes CRNL", () => {
    const { c, wire, f } = ttyWith([[10, 0x6f], [20, 0x6b], [30, 13], [40, 0x78]]);
    const buf = new Uint8Array(16);
    c.now = 25;
    expect(f.ops.read(f, buf, 0, c as never)).toBe(BLOCK);
    expect(f.ops.nextEvent!(f, c as never)).toBe(30);
    c.now = 30;
    expect(f.ops.read(f, buf, 0, c as never)).toBe(3);
    expect(Buffer.from(buf.subarray(0, 3)).toString()).toBe("ok\n");
    // echo is on by default: the port saw "ok" then CR NL (the CR became NL, echoed as CR NL by ONLCR)
    expect(wire.sent).toEqual([0x6f, 0x6b, 13, 10]);
    f.ops.write(f, Buffer.from("a\n"), 0, c as never);
    expect(wire.sent.slice(-3)).toEqual([0x61, 13, 10]);
  });

  it("raw VMIN=0 VTIME>0: waits up to VTIME tenths for the first byte, then times out with 0", () => {
    const { c, f, raw } = ttyWith([[2_000_000_000, 0x41]]);
    raw(0, 5);
    const buf = new Uint8Array(4);
    expect(f.ops.read(f, buf, 0, c as never)).toBe(BLOCK);
    expect(f.ops.nextEvent!(f, c as never)).toBe(500_000_000);
    c.now = 500_000_000;
    expect(f.ops.read(f, buf, 0, c as never)).toBe(0);
  });

  it("raw VMIN>0 VTIME=0: blocks until VMIN bytes; O_NONBLOCK gives EAGAIN", () => {
    const { c, f, raw, tty, io, mem } = ttyWith([[100, 1], [200, 2], [300, 3]]);
    raw(2, 0);
    const buf = new Uint8Array(8);
    c.now = 150;
    expect(f.ops.read(f, buf, 0, c as never)).toBe(BLOCK);
    expect(tty.ioctl(FIONREAD, 9, io)).toBe(0);
    expect(new DataView(mem.get(9)!.buffer).getUint32(0, true)).toBe(1);
    c.now = 250;
    expect(f.ops.read(f, buf, 0, c as never)).toBe(2);
    f.flags |= O_NONBLOCK;
    expect(f.ops.read(f, buf, 0, c as never)).toBe(-EAGAIN);
  });

  it("reads nothing and drops writes with no endpoint attached", () => {
    const c = { now: 0 };
    const tty = new SerialTty(() => null, c as unknown as Clock);
    const f = new OpenFile(tty.ops, 2 | O_NONBLOCK, undefined, "/dev/ttyS0");
    expect(f.ops.write(f, Buffer.from("x"), 0, c as never)).toBe(1);
    expect(f.ops.read(f, new Uint8Array(1), 0, c as never)).toBe(-EAGAIN);
    expect(f.ops.nextEvent!(f, c as never)).toBeNull();
  });
});
