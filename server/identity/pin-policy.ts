/** The 6-digit payment PIN: not guessable from patterns or from the holder's own data. */

export type PinWeakness = 'format' | 'repeated' | 'sequence' | 'birth_date' | 'phone';
export type PinError = { code: 'PIN_TOO_WEAK'; reason: PinWeakness };

function isSequence(pin: string): boolean {
  const digits = [...pin].map(Number);
  const up = digits.every((digit, i) => i === 0 || digit === (digits[i - 1] + 1) % 10);
  const down = digits.every((digit, i) => i === 0 || digit === (digits[i - 1] + 9) % 10);
  return up || down;
}

function isPattern(pin: string): boolean {
  // 112233, 121212, 123123, 111222: few distinct digits in a regular shape.
  const pairs = pin.slice(0, 2) === pin.slice(2, 4) && pin.slice(2, 4) === pin.slice(4, 6);
  const triples = pin.slice(0, 3) === pin.slice(3, 6);
  const doubled = pin[0] === pin[1] && pin[2] === pin[3] && pin[4] === pin[5];
  return pairs || triples || doubled || new Set(pin).size <= 2;
}

export function checkPin(pin: string, context: { birthDate?: string; phone?: string } = {}): PinError | null {
  if (!/^\d{6}$/.test(pin)) return { code: 'PIN_TOO_WEAK', reason: 'format' };
  if (new Set(pin).size === 1) return { code: 'PIN_TOO_WEAK', reason: 'repeated' };
  if (isSequence(pin)) return { code: 'PIN_TOO_WEAK', reason: 'sequence' };
  if (isPattern(pin)) return { code: 'PIN_TOO_WEAK', reason: 'repeated' };
  if (context.birthDate) {
    const [yyyy, mm, dd] = context.birthDate.split('-');
    const yy = yyyy.slice(2);
    const forms = [`${yy}${mm}${dd}`, `${dd}${mm}${yy}`, `${mm}${dd}${yy}`, `${yyyy}${mm}`, `${mm}${dd}`];
    if (forms.some((form) => (form.length === 6 ? pin === form : pin.includes(form))))
      return { code: 'PIN_TOO_WEAK', reason: 'birth_date' };
  }
  if (context.phone && pin === context.phone.slice(-6)) return { code: 'PIN_TOO_WEAK', reason: 'phone' };
  return null;
}
