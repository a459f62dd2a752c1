// The seed fan-out: one derivation (SplitMix64 over (seed, tag)), a fixed
// table of tags, and every consumer of randomness taking its own sub-seed.
import { describe, expect, it } from "vitest";
import { splitmix64, deriveKey, SEED_TAGS, SEED_NAMES, subSeed, flightSeeds } from "../../src/flight/seeds.js";
import { FlightPlan, parseMix } from "../../src/generate/plan.js";
import { Prng } from "../../src/drone/prng.js";
import { resolveFlight } from "../../src/flight/options.js";
import { initArgv } from "../../src/flight/run-flight.js";

describe("seeds", () => {
  it("mixes as SplitMix64 does: the reference generator's outputs from state 1234567", () => {
    // The first three outputs of SplitMix64 (Steele, Lea, Flood) seeded with 1234567.
    const G = 0x9e3779b97f4a7c15n, M = (1n << 64n) - 1n;
    expect(splitmix64(1234567n)).toBe(6457827717110365317n);
    expect(splitmix64((1234567n + G) & M)).toBe(3203168211198807973n);
    expect(splitmix64((1234567n + 2n * G) & M)).toBe(9817491932198370423n);
    expect(deriveKey(5n, 7n, 3)).toBe(splitmix64(splitmix64(5n ^ 7n) ^ 3n));
  });

  it("has a fixed, documented table of tags: four ASCII letters in the high 32 bits", () => {
    expect(SEED_NAMES).toEqual(["noise", "kernel", "autopilot", "mission", "environment", "gusts", "anomalies", "timing"]);
    const letters = Object.fromEntries(SEED_NAMES.map((n) => [n, Buffer.from((SEED_TAGS[n] >> 32n).toString(16), "hex").toString("latin1")]));
    expect(letters).toEqual({ noise: "NOIS", kernel: "KERN", autopilot: "AUTO", mission: "MISN", environment: "ENVT", gusts: "GUST", anomalies: "ANOM", timing: "TIME" });
    for (const n of SEED_NAMES) expect(SEED_TAGS[n] & 0xffff_ffffn).toBe(0n);
    // The sub-seeds of flight 1, as every flight made with seed 1 has them: a change of the
    // function or of the table changes every flight, and shows here first.
    expect(flightSeeds(1)).toEqual({
      noise: 2862264861, kernel: 3992000076, autopilot: 2351816098, mission: 2808391511,
      environment: 3823944463, gusts: 1698157970, anomalies: 883542986, timing: 4039446079,
    });
  });

  it("gives distinct tags distinct words before mixing, for every 32-bit seed", () => {
    // seed ^ tag keeps the tag in the high half and the seed in the low half: injective.
    const tags = SEED_NAMES.map((n) => SEED_TAGS[n]);
    expect(new Set(tags.map((t) => t >> 32n)).size).toBe(tags.length);
    for (const seed of [0n, 1n, 0xffff_ffffn, 0x1234_5678n]) {
      const words = tags.map((t) => seed ^ t);
      expect(new Set(words).size).toBe(tags.length);
      for (const w of words) expect(w & 0xffff_ffffn).toBe(seed);
    }
  });

  it("gives independent streams: no correlation between tags, nor between neighbouring seeds", () => {
    const N = 20_000;
    const corr = (a: number[], b: number[]): number => {
      const ma = a.reduce((x, y) => x + y, 0) / a.length, mb = b.reduce((x, y) => x + y, 0) / b.length;
      let sab = 0, saa = 0, sbb = 0;
      for (let i = 0; i < a.length; i++) { sab += (a[i] - ma) * (b[i] - mb); saa += (a[i] - ma) ** 2; sbb += (b[i] - mb) ** 2; }
      return sab / Math.sqrt(saa * sbb);
    };
    const first = (seed: number, name: (typeof SEED_NAMES)[number]): number => new Prng(subSeed(seed, name)).uniform();
    const seeds = Array.from({ length: N }, (_, i) => i);
    const streams = Object.fromEntries(SEED_NAMES.map((n) => [n, seeds.map((s) => first(s, n))]));
    // 4.5 standard errors of a correlation over N pairs: no false alarm in practice.
    const limit = 4.5 / Math.sqrt(N);
    for (let i = 0; i < SEED_NAMES.length; i++) {
      for (let j = i + 1; j < SEED_NAMES.length; j++) expect(Math.abs(corr(streams[SEED_NAMES[i]], streams[SEED_NAMES[j]])), `${SEED_NAMES[i]}/${SEED_NAMES[j]}`).toBeLessThan(limit);
      const s = streams[SEED_NAMES[i]];
      expect(Math.abs(corr(s.slice(0, -1), s.slice(1))), `${SEED_NAMES[i]} seed n / n+1`).toBeLessThan(limit);
      // Each bit of the sub-seeds is a fair coin.
      const subs = seeds.map((x) => subSeed(x, SEED_NAMES[i]));
      for (let bit = 0; bit < 32; bit++) {
        const ones = subs.filter((v) => (v >>> bit) & 1).length;
        expect(Math.abs(ones - N / 2)).toBeLessThan(4.5 * Math.sqrt(N / 4));
      }
    }
  });

  it("rejects what is not an unsigned 32-bit flight seed", () => {
    for (const bad of [-1, 1.5, 2 ** 32, NaN]) expect(() => subSeed(bad, "noise")).toThrow(RangeError);
  });

  it("is the dataset plan's derivation too: flight i's seed is the low half of key(S, 0x5eed, i)", () => {
    const plan = new FlightPlan(2026n, parseMix("normal=1"));
    for (const i of [0, 1, 2, 999]) expect(plan.flight(i).seed).toBe(Number(deriveKey(2026n, 0x5eedn, i) & 0xffff_ffffn));
  });

  it("every consumer takes its own sub-seed: drone noise, gusts, kernel, autopilot (argv), mission, environment", () => {
    const f = resolveFlight({ scenario: "sockets", seed: 77, outDir: "." });
    const s = flightSeeds(77);
    expect(f.seeds).toEqual(s);
    expect(f.drone.seed).toBe(s.noise);
    expect(f.drone.gustSeed).toBe(s.gusts);
    expect(initArgv(f)[2]).toBe(String(s.autopilot));
    // The mission and environment are what their sub-seeds draw: another flight seed with the same
    // mission sub-seed would fly the same mission (here: the draw is a function of the sub-seed alone).
    expect(resolveFlight({ scenario: "normal", seed: 77, outDir: "." }).mission).toEqual(f.mission);
  });
});
