// The median of a bench's samples: the middle one, or the mean of the two middle ones of an even count.
export const median = (v: readonly number[]): number => {
  const s = [...v].sort((a, b) => a - b), m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
