import type { ZxcvbnFactory } from '@zxcvbn-ts/core';

/**
 * Password strength estimation (OWASP ASVS 2.1.8) with zxcvbn-ts and its common dictionaries. The
 * library and its word lists weigh about 400 KB, so they load only when a page that sets a password
 * first asks, never with the wallet's first screen.
 */
let factory: Promise<ZxcvbnFactory> | null = null;

function load(): Promise<ZxcvbnFactory> {
  factory ??= Promise.all([import('@zxcvbn-ts/core'), import('@zxcvbn-ts/language-common')]).then(
    ([core, common]) =>
      new core.ZxcvbnFactory({
        dictionary: { ...common.dictionary },
        graphs: common.adjacencyGraphs,
      }),
  );
  return factory;
}

/** 0 (guessed at once) to 4 (very hard to guess), zxcvbn's score. */
export type StrengthScore = 0 | 1 | 2 | 3 | 4;

/** Scores a password; `personal` holds the holder's own data (phone, name, ID number) to count against it. */
export async function passwordStrength(password: string, personal: string[] = []): Promise<StrengthScore> {
  const zxcvbn = await load();
  return zxcvbn.check(password, personal.filter(Boolean)).score as StrengthScore;
}
