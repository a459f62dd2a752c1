// A test-side reader of a LID-DS 2021 scenario folder that follows the rules
// of LID-DS's own loader (dataloader/data_loader_2021.py, recording_2021.py,
// syscall_2021.py, resource_statistic.py in github.com/LID-DS/LID-DS), written
// here from those rules, not from the exporter:
// - recordings are training/*.zip, validation/*.zip and test/*/*.zip; each one's
//   category is the first of training, validation, test that its folder's path
//   contains; its name is the ZIP's base name without the extension;
// - a recording's members are `<name>.json`, `<name>.sc`, `<name>.res`, and the
//   loader's check wants four members;
// - its type: NORMAL if a container has role "normal" and exploit is false,
//   NORMAL_AND_ATTACK if both, ATTACK or IDLE otherwise;
// - `.sc`: lines decoded as UTF-8, trailing whitespace stripped, split on single
//   spaces: timestamp, user id, process id, process name, thread id, syscall
//   name, direction (> open, < close), then name=value parameters (split at the
//   first "=", a field without one ignored); the line id counts from 1;
// - `.json`: single quotes read as double quotes, then JSON;
// - `.res`: CSV with a header row skipped, empty rows skipped; timestamp and
//   cpu_usage floats, the other columns integers, storage "NULL" read as 0.
// The ZIP container itself is read here from its central directory (APPNOTE),
// each member inflated and its CRC-32 checked.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { crc32, inflateRawSync } from "node:zlib";

export type RecordingType = "NORMAL" | "NORMAL_AND_ATTACK" | "ATTACK" | "IDLE";
export interface ScLine {
  lineId: number; timestamp: bigint; userId: number; processId: number; processName: string; threadId: number;
  name: string; direction: "open" | "close" | undefined; params: Record<string, string>;
}
export interface ResRow { timestamp: number; cpu: number; memory: number; received: number; send: number; read: number; written: number }
export interface LiddsRecording {
  name: string; path: string; category: "training" | "validation" | "test"; type: RecordingType;
  members: string[]; json: Record<string, unknown>; sc: ScLine[]; res: ResRow[]; extra: Map<string, Buffer>;
}

/** The members of a ZIP file by name, from its central directory; throws on a bad CRC or an unsupported method. */
export function readZip(file: string): Map<string, Buffer> {
  const b = readFileSync(file);
  let eocd = -1;
  for (let i = b.length - 22; i >= Math.max(0, b.length - 22 - 65535); i--) if (b.readUInt32LE(i) === 0x06054b50) { eocd = i; break; }
  if (eocd < 0) throw new Error(`${file}: no end of central directory`);
  const count = b.readUInt16LE(eocd + 10);
  let at = b.readUInt32LE(eocd + 16);
  const out = new Map<string, Buffer>();
  for (let k = 0; k < count; k++) {
    if (b.readUInt32LE(at) !== 0x02014b50) throw new Error(`${file}: bad central header`);
    const method = b.readUInt16LE(at + 10), crc = b.readUInt32LE(at + 16), csize = b.readUInt32LE(at + 20), size = b.readUInt32LE(at + 24);
    const nlen = b.readUInt16LE(at + 28), xlen = b.readUInt16LE(at + 30), clen = b.readUInt16LE(at + 32), local = b.readUInt32LE(at + 42);
    const name = b.subarray(at + 46, at + 46 + nlen).toString("utf8");
    if (b.readUInt32LE(local) !== 0x04034b50) throw new Error(`${file}: bad local header for ${name}`);
    // The local header must agree with the central one (readers differ in which they trust).
    if (b.readUInt32LE(local + 14) !== crc || b.readUInt32LE(local + 18) !== csize || b.readUInt32LE(local + 22) !== size) throw new Error(`${file}: local header of ${name} disagrees`);
    const data = local + 30 + b.readUInt16LE(local + 26) + b.readUInt16LE(local + 28);
    const raw = b.subarray(data, data + csize);
    const content = method === 8 ? inflateRawSync(raw) : method === 0 ? Buffer.from(raw) : (() => { throw new Error(`${name}: method ${method}`); })();
    if (content.length !== size || crc32(content) >>> 0 !== crc) throw new Error(`${file}: ${name} fails its size or CRC`);
    out.set(name, content);
    at += 46 + nlen + xlen + clen;
  }
  return out;
}

export function parseScLine(line: string, lineId: number): ScLine {
  const f = line.split(" ");
  const params: Record<string, string> = {};
  for (const p of f.slice(7)) { const i = p.indexOf("="); if (i >= 0) params[p.slice(0, i)] = p.slice(i + 1); }
  return {
    lineId, timestamp: BigInt(f[0]), userId: Number(f[1]), processId: Number(f[2]), processName: f[3], threadId: Number(f[4]),
    name: f[5], direction: f[6] === ">" ? "open" : f[6] === "<" ? "close" : undefined, params,
  };
}

function recordingType(json: Record<string, unknown>): RecordingType {
  const normal = (json.container as Array<{ role: string }>).some((c) => c.role === "normal");
  const exploit = !!json.exploit;
  return normal ? (exploit ? "NORMAL_AND_ATTACK" : "NORMAL") : exploit ? "ATTACK" : "IDLE";
}

const zips = (dir: string): string[] => { try { return readdirSync(dir).filter((n) => n.endsWith(".zip")).map((n) => path.join(dir, n)); } catch { return []; } };

export function readScenario(dir: string): LiddsRecording[] {
  const testDirs = (() => { try { return readdirSync(path.join(dir, "test")).map((d) => path.join(dir, "test", d)).filter((d) => statSync(d).isDirectory()); } catch { return []; } })();
  const files = [...zips(path.join(dir, "training")), ...zips(path.join(dir, "validation")), ...testDirs.flatMap(zips)];
  const out: LiddsRecording[] = [];
  for (const file of files) {
    const name = path.basename(file).replace(/\.zip$/, "");
    const d = path.dirname(file);
    const category = d.includes("training") ? "training" : d.includes("validation") ? "validation" : d.includes("test") ? "test" : null;
    if (!category) throw new Error(`${file}: no category`);
    const m = readZip(file);
    const json = JSON.parse(m.get(`${name}.json`)!.toString("utf8").replace(/'/g, '"')) as Record<string, unknown>;
    const sc = m.get(`${name}.sc`)!.toString("utf8").split("\n").filter((l, i, a) => !(i === a.length - 1 && l === "")).map((l, i) => parseScLine(l.trimEnd(), i + 1));
    const resRows = m.get(`${name}.res`)!.toString("utf8").split("\n").slice(1).filter((l) => l.length > 0).map((l) => l.split(","));
    const int = (v: string) => { if (!/^-?[0-9]+$/.test(v)) throw new Error(`not an int: ${v}`); return Number(v); };
    const res = resRows.map((r) => ({
      timestamp: parseFloat(r[0]), cpu: parseFloat(r[1]), memory: int(r[2]), received: int(r[3]), send: int(r[4]),
      read: r[5] === "NULL" ? 0 : int(r[5]), written: r[6] === "NULL" ? 0 : int(r[6]),
    }));
    const extra = new Map([...m].filter(([k]) => ![".json", ".sc", ".res"].some((e) => k === name + e)));
    out.push({ name, path: file, category, type: recordingType(json), members: [...m.keys()], json, sc, res, extra });
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : 1));
}
