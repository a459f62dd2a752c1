// A minimal PNG reader for the tests' screenshots: 8-bit RGB or RGBA,
// non-interlaced (what Chromium writes), into RGBA pixels.
import { inflateSync } from "node:zlib";

export interface Image { width: number; height: number; rgba: Uint8Array }

export function readPng(b: Uint8Array): Image {
  const buf = Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  if (buf.readUInt32BE(0) !== 0x89504e47) throw new Error("not a PNG");
  let at = 8, width = 0, height = 0, colorType = 0;
  const idat: Buffer[] = [];
  while (at < buf.length) {
    const len = buf.readUInt32BE(at);
    const type = buf.toString("latin1", at + 4, at + 8);
    const data = buf.subarray(at + 8, at + 8 + len);
    if (type === "IHDR") {
      width = data.readUInt32BE(0); height = data.readUInt32BE(4); colorType = data[9];
      if (data[8] !== 8 || (colorType !== 2 && colorType !== 6) || data[12] !== 0) throw new Error(`PNG: only 8-bit RGB/RGBA, non-interlaced (depth ${data[8]}, colour type ${colorType})`);
    } else if (type === "IDAT") idat.push(data);
    else if (type === "IEND") break;
    at += 12 + len;
  }
  const bpp = colorType === 6 ? 4 : 3;
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * bpp;
  const out = new Uint8Array(width * height * 4);
  let prev = new Uint8Array(stride), cur = new Uint8Array(stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let i = 0; i < stride; i++) {
      const a = i >= bpp ? cur[i - bpp] : 0, up = prev[i], c = i >= bpp ? prev[i - bpp] : 0;
      let p = 0;
      if (filter === 1) p = a;
      else if (filter === 2) p = up;
      else if (filter === 3) p = (a + up) >> 1;
      else if (filter === 4) { const q = a + up - c, pa = Math.abs(q - a), pb = Math.abs(q - up), pc = Math.abs(q - c); p = pa <= pb && pa <= pc ? a : pb <= pc ? up : c; }
      cur[i] = (line[i] + p) & 0xff;
    }
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 4;
      out[o] = cur[x * bpp]; out[o + 1] = cur[x * bpp + 1]; out[o + 2] = cur[x * bpp + 2]; out[o + 3] = bpp === 4 ? cur[x * bpp + 3] : 255;
    }
    [prev, cur] = [cur, prev];
  }
  return { width, height, rgba: out };
}

/** Pixels in the rectangle that are not (near) white. */
export function inkedPixels(img: Image, left: number, top: number, width: number, height: number): number {
  let n = 0;
  for (let y = Math.max(0, Math.floor(top)); y < Math.min(img.height, Math.ceil(top + height)); y++) {
    for (let x = Math.max(0, Math.floor(left)); x < Math.min(img.width, Math.ceil(left + width)); x++) {
      const o = (y * img.width + x) * 4;
      if (img.rgba[o] < 235 || img.rgba[o + 1] < 235 || img.rgba[o + 2] < 235) n++;
    }
  }
  return n;
}
