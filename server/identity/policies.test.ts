import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maskCardNumber, maskIdNumber, maskName, maskPhone } from '../platform/mask.js';
import { checkPassword, commonPasswordCount } from './password-policy.js';
import { normalizeMobile } from './phone.js';
import { checkPin } from './pin-policy.js';
import { ageOn, parseResidentId, residentIdCheckChar } from './resident-id.js';

const now = new Date('2026-11-23T02:00:00Z');

describe('resident ID (GB 11643-1999)', () => {
  it('accepts the worked examples', () => {
    const standard = parseResidentId('11010519491231002x', now);
    expect(standard).toEqual({
      ok: true,
      value: { normalized: '11010519491231002X', regionCode: '110105', birthDate: '1949-12-31', sex: 'female' },
    });
    const second = parseResidentId('110101199003071233', now);
    expect(second.ok && second.value).toMatchObject({ birthDate: '1990-03-07', sex: 'male' });
  });

  it('upgrades a 15-digit card', () => {
    const old = parseResidentId('110101900307123', now);
    expect(old.ok && old.value.normalized).toBe('110101199003071233');
  });

  it('refuses bad format, check digit and dates', () => {
    expect(parseResidentId('11010119900307123', now)).toMatchObject({ ok: false, error: { reason: 'format' } });
    expect(parseResidentId('110101199003071234', now)).toMatchObject({ ok: false, error: { reason: 'checksum' } });
    const feb30 = `11010119900230123`;
    expect(parseResidentId(feb30 + residentIdCheckChar(feb30), now)).toMatchObject({
      ok: false,
      error: { reason: 'birth_date' },
    });
    const future = `11010120300101123`;
    expect(parseResidentId(future + residentIdCheckChar(future), now)).toMatchObject({
      ok: false,
      error: { reason: 'birth_date' },
    });
  });

  const validId = fc
    .record({
      region: fc.integer({ min: 110000, max: 659999 }),
      date: fc.date({ min: new Date('1920-01-01'), max: new Date('2020-12-31'), noInvalidDate: true }),
      seq: fc.integer({ min: 0, max: 999 }),
    })
    .map(({ region, date, seq }) => {
      const first17 = `${region}${date.toISOString().slice(0, 10).replaceAll('-', '')}${String(seq).padStart(3, '0')}`;
      return first17 + residentIdCheckChar(first17);
    });

  it('accepts every well-formed number and rejects any single-digit change', () => {
    fc.assert(
      fc.property(validId, fc.integer({ min: 0, max: 16 }), fc.integer({ min: 1, max: 9 }), (id, position, delta) => {
        const parsed = parseResidentId(id, now);
        expect(parsed.ok && parsed.value.normalized).toBe(id);
        const changed = id.slice(0, position) + String((Number(id[position]) + delta) % 10) + id.slice(position + 1);
        expect(parseResidentId(changed, now).ok).toBe(false);
      }),
    );
  });

  it('computes age on the Shanghai calendar', () => {
    expect(ageOn('2008-11-23', new Date('2026-11-22T16:00:00Z'))).toBe(18);
    expect(ageOn('2008-11-23', new Date('2026-11-22T15:59:59Z'))).toBe(17);
  });
});

describe('mobile numbers', () => {
  it.each([
    ['13812345678', '13812345678'],
    ['+86 138-1234-5678', '13812345678'],
    ['008613812345678', '13812345678'],
    ['8613812345678', '13812345678'],
    ['12812345678', null],
    ['1381234567', null],
  ])('%s → %s', (input, expected) => expect(normalizeMobile(input)).toBe(expected));
});

describe('login password policy', () => {
  const context = { phone: '13812345678', idNumber: '110101199003071233', birthDate: '1990-03-07' };
  it('ships a blocklist of at least 10,000 common passwords', () =>
    expect(commonPasswordCount()).toBeGreaterThanOrEqual(10_000));
  it.each([
    ['short1', 'too_short'],
    ['eleven-char', 'too_short'],
    ['x'.repeat(129), 'too_long'],
    ['password1234', 'common'],
    ['abcdef5201314', 'common'],
    ['IloveYou1234', 'common'],
    ['aaaaaaaaaaaa', 'repetitive'],
    ['abcdefghijkl', 'repetitive'],
    ['blue-river-12345678', 'personal_info'],
    ['walk19900307home', 'personal_info'],
    ['tea900307cups', 'personal_info'],
    ['my071233horse', 'personal_info'],
  ])('refuses %s (%s)', (password, reason) =>
    expect(checkPassword(password, context)).toEqual({ code: 'PASSWORD_TOO_WEAK', reason }),
  );
  it('accepts long passphrases without composition rules', () => {
    expect(checkPassword('correct horse battery staple', context)).toBeNull();
    expect(checkPassword('西湖边的小猫喜欢在午后晒太阳', context)).toBeNull();
    expect(checkPassword('x'.repeat(60) + 'yz', context)).toBeNull();
    expect(checkPassword('twelve-chars', context)).toBeNull();
    expect(checkPassword('x'.repeat(126) + 'yz', context)).toBeNull();
  });
});

describe('payment PIN policy', () => {
  const context = { birthDate: '1990-03-07', phone: '13800246813' };
  it.each([
    ['12345', 'format'],
    ['12a456', 'format'],
    ['111111', 'repeated'],
    ['123456', 'sequence'],
    ['654321', 'sequence'],
    ['890123', 'sequence'],
    ['112233', 'repeated'],
    ['121212', 'repeated'],
    ['123123', 'repeated'],
    ['900307', 'birth_date'],
    ['070390', 'birth_date'],
    ['345678', 'sequence'],
    ['345679', null],
    ['246813', 'phone'],
  ])('%s → %s', (pin, reason) => expect(checkPin(pin, context)?.reason ?? null).toBe(reason));
});

describe('masking', () => {
  it('masks identity data for display', () => {
    expect(maskIdNumber('110101199003071233')).toBe('1101**********1233');
    expect(maskName('张三')).toBe('*三');
    expect(maskName('欧阳娜娜')).toBe('***娜');
    expect(maskName('Zhang San')).toBe('***** S**');
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskCardNumber('6222021234567890123')).toBe('**** 0123');
  });
});
