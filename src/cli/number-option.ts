// Every numeric flag of every command is declared with numberOption: the text
// given is checked against the flag's kind and range while yargs parses, and
// anything else is refused with one line naming the flag, the value given and
// what is allowed (main.ts prints it; exit status 2). Decimal text only: no
// hex, no "Infinity", no empty string, no fractions where an integer is meant.
import type { Options } from "yargs";

export interface NumberRule {
  /** integer: a safe JavaScript integer; uint64: an integer returned as a bigint; real: any finite number. */
  kind: "integer" | "uint64" | "real";
  min: number | bigint;
  max: number | bigint;
  /** The minimum itself is not allowed (real numbers "above 0"). */
  aboveMin?: boolean;
}

export class NumberOptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "NumberOptionError";
  }
}

const INTEGER = /^[+-]?[0-9]+$/;
const REAL = /^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$/;

/** What the rule allows, in words: "an integer from 1 to 256", "a number above 0 and at most 86400". */
export function allowed(rule: NumberRule): string {
  const what = rule.kind === "real" ? "a number" : "an integer";
  return rule.aboveMin ? `${what} above ${rule.min} and at most ${rule.max}` : `${what} from ${rule.min} to ${rule.max}`;
}

/** The value of `--flag` from the text given (or a default already of the right kind), or a NumberOptionError. */
export function parseNumber(flag: string, given: unknown, rule: NumberRule): number | bigint {
  const bad = (shown: string): never => {
    throw new NumberOptionError(`--${flag} must be ${allowed(rule)}, not ${shown}`);
  };
  if (Array.isArray(given)) {
    throw new NumberOptionError(`--${flag} must be given once, not ${given.length} times (${given.map((v) => JSON.stringify(String(v))).join(", ")})`);
  }
  const text = typeof given === "string" ? given : typeof given === "number" || typeof given === "bigint" ? String(given) : "";
  const shown = typeof given === "string" ? JSON.stringify(given) : String(given);
  if (typeof given !== "string" && typeof given !== "number" && typeof given !== "bigint") bad(shown);
  if (rule.kind === "real") {
    if (!REAL.test(text)) bad(shown);
    const v = Number(text);
    if (!Number.isFinite(v) || v < Number(rule.min) || (rule.aboveMin && v === Number(rule.min)) || v > Number(rule.max)) bad(shown);
    return v === 0 ? 0 : v; // no -0
  }
  if (!INTEGER.test(text)) bad(shown);
  const v = BigInt(text);
  if (v < BigInt(rule.min) || (rule.aboveMin && v === BigInt(rule.min)) || v > BigInt(rule.max)) bad(shown);
  return rule.kind === "uint64" ? v : Number(v);
}

// Which option definitions numberOption made, and with what rule (the CLI test walks them).
const rules = new WeakMap<object, { flag: string; rule: NumberRule }>();
export const numberOptionOf = (option: object): { flag: string; rule: NumberRule } | undefined => rules.get(option);

/**
 * A yargs option for a number. No yargs `type`: main.ts turns "parse-numbers"
 * off, so the flag's text reaches the check exactly as typed; the help shows
 * the allowed range instead of a type.
 */
export function numberOption(flag: string, describe: string, rule: NumberRule, extra: Pick<Options, "default" | "demandOption" | "hidden"> = {}): Options {
  if (rule.kind === "integer" && (!Number.isSafeInteger(Number(rule.min)) || !Number.isSafeInteger(Number(rule.max)))) {
    throw new Error(`numberOption --${flag}: an integer range must be safe integers`);
  }
  const option: Options = {
    describe: `${describe} [${rule.kind === "real" ? "number" : "integer"} ${rule.aboveMin ? ">" : ""}${rule.min}..${rule.max}]`,
    requiresArg: true,
    coerce: (v: unknown) => (v === undefined ? undefined : parseNumber(flag, v, rule)),
    ...extra,
  };
  rules.set(option, { flag, rule });
  return option;
}
