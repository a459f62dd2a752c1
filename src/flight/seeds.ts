// The project's one derivation of seeds from seeds, and a flight's fan-out.
//
// SplitMix64 (Steele, Lea, Flood 2014): its output function, applied to x + γ,
// is a bijection of 64-bit words that scatters neighbouring inputs. A derived
// seed is
//
//     key(s, tag, n) = mix(mix(s ^ tag) ^ n)
//
// The dataset plan (src/generate/plan.ts) derives each flight's seed this way;
// a flight derives one sub-seed per consumer of randomness from its own seed:
//
//     sub-seed(seed, name) = low 32 bits of key(seed, SEED_TAGS[name], 0)
//
// Every tag has its low 32 bits zero and its own high 32 bits, so for the
// 32-bit flight seeds the pairs (seed, tag) map to distinct words `seed ^ tag`
// before any mixing: no two (seed, tag) pairs share a stream start by
// construction. Sub-seeds are 32-bit, like the flight seed they come from, and
// are plain numbers everywhere after this file (the manifest records them).
//
// The table is fixed: changing a tag changes every flight made with it.

const M64 = (1n << 64n) - 1n;
/** SplitMix64's increment γ (the golden ratio in 64-bit fixed point). */
export const GAMMA = 0x9e3779b97f4a7c15n;

/** SplitMix64's output function on x + γ, modulo 2^64. */
export function splitmix64(x: bigint): bigint {
  let z = (x + GAMMA) & M64;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & M64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & M64;
  return z ^ (z >> 31n);
}

/** key(s, tag, n) = mix(mix(s ^ tag) ^ n): a 64-bit seed derived from seed `s`, a tag and an index. */
export function deriveKey(s: bigint, tag: bigint, n: bigint | number = 0n): bigint {
  return splitmix64(splitmix64((s ^ tag) & M64) ^ BigInt(n));
}

const ascii4 = (name: string): bigint => BigInt("0x" + Buffer.from(name, "latin1").toString("hex")) << 32n;

/** The fixed tag of each consumer: four ASCII letters in the high 32 bits. */
export const SEED_TAGS = Object.freeze({
  noise: ascii4("NOIS"),        // the drone's sensor noise (src/drone/drone.ts)
  kernel: ascii4("KERN"),       // the guest kernel's entropy: AT_RANDOM, getrandom, /dev/urandom (src/kernel/random.ts)
  autopilot: ascii4("AUTO"),    // the autopilot's own generator, passed in its argv (guest/autopilot.c)
  mission: ascii4("MISN"),      // the mission drawn for the flight: route, altitude, speed, poll rate (src/flight/mission.ts)
  environment: ascii4("ENVT"),  // the environment drawn: wind, gust strength, sensor noise levels (src/flight/mission.ts)
  gusts: ascii4("GUST"),        // the gust series the drone integrates (src/drone/gusts.ts)
  anomalies: ascii4("ANOM"),    // anomaly episodes (reserved: onset, duration, intensity)
  timing: ascii4("TIME"),       // the realistic timing model's draws: syscall costs, wake-ups, interrupts (src/kernel/timing)
});

export type SeedName = keyof typeof SEED_TAGS;
export const SEED_NAMES = Object.keys(SEED_TAGS) as SeedName[];

/** Every sub-seed of one flight, by consumer: unsigned 32-bit integers. */
export type FlightSeeds = Record<SeedName, number>;

/** The sub-seed of consumer `name` for flight seed `seed` (an unsigned 32-bit integer). */
export function subSeed(seed: number, name: SeedName): number {
  if (!Number.isSafeInteger(seed) || seed < 0 || seed > 0xffff_ffff) throw new RangeError(`flight seed ${seed} is not an unsigned 32-bit integer`);
  return Number(deriveKey(BigInt(seed), SEED_TAGS[name]) & 0xffff_ffffn);
}

/** Every sub-seed of flight seed `seed`, in the table's order. */
export function flightSeeds(seed: number): FlightSeeds {
  const out = {} as FlightSeeds;
  for (const name of SEED_NAMES) out[name] = subSeed(seed, name);
  return out;
}
