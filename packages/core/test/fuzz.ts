/** A deterministic generator for the fuzz tests, so that a failure can be reproduced from its seed. */
export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** What a terminal or a viewer would act on: C0 controls but newline, DEL, C1, bidi and zero-width characters. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are exactly what output must not hold
export const ACTIVE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]/;
