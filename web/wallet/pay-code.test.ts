import { randomBytes } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import {
  PAYMENT_CODE_PREFIX,
  PAYMENT_CODE_STEP_SECONDS,
  paymentCodeAt,
  paymentCodeStep,
} from '../../server/payments/payment-code.js';
import { codeAt, stepAt } from './pay-code';

describe('payment code computed on the device', () => {
  test('matches the server derivation for many secrets and times', async () => {
    for (let i = 0; i < 50; i++) {
      const secret = randomBytes(32);
      const seed = {
        seedNumber: String(10_000_000 + i * 7919).slice(0, 8),
        secret: secret.toString('base64url'),
        prefix: PAYMENT_CODE_PREFIX,
        stepSeconds: PAYMENT_CODE_STEP_SECONDS,
        digits: 18,
      };
      const at = new Date(1_790_000_000_000 + i * 61_000);
      expect(stepAt(seed, at.getTime())).toBe(paymentCodeStep(at));
      const code = await codeAt(seed, stepAt(seed, at.getTime()));
      expect(code).toMatch(/^\d{18}$/);
      expect(code).toBe(paymentCodeAt(seed.seedNumber, secret, at));
    }
  });
});
