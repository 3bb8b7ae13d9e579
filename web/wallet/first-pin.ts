/**
 * The login password just chosen at registration, handed to the first PIN screen so the holder
 * is not asked for it again (the server still wants it to set a first PIN). Held in this page's
 * memory only, never in storage or history state: a reload forgets it, and the PIN screen then
 * asks for the password as it does for any holder setting a PIN later.
 */

const HOLD_MS = 10 * 60_000;

let held: { password: string; untilMs: number } | null = null;

export function holdPasswordForFirstPin(password: string, nowMs = Date.now()): void {
  held = { password, untilMs: nowMs + HOLD_MS };
}

/** The held password while it is fresh (reading twice is harmless: React may render twice). */
export function passwordForFirstPin(nowMs = Date.now()): string | null {
  if (held && nowMs >= held.untilMs) held = null;
  return held?.password ?? null;
}

/** Called once the first PIN is set, or the password proved wrong. */
export function forgetPasswordForFirstPin(): void {
  held = null;
}
