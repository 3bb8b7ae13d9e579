import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crc16CcittFalse, emvCrc } from './crc.js';
import { type MpmInput, emvAmountToFen, encodeMpm, formatEmvAmount, parseMpm } from './mpm.js';

const DYNAMIC_VECTOR =
  '00020101021226360018com.example.wallet0110M100200300520458125303156540588.505802CN5917ZHANG SAN ' +
  'NOODLES6008SHANGHAI62330111INV202405010507ORD00010703T016304BFC6';
const STATIC_VECTOR =
  '00020101021126360018com.example.wallet0110M10020030052045812530315658' +
  '02CN5917ZHANG SAN NOODLES6008SHANGHAI63049A60';

describe('CRC-16/CCITT-FALSE', () => {
  it('matches the check value', () => {
    expect(crc16CcittFalse(new TextEncoder().encode('123456789')).toString(16).toUpperCase()).toBe('29B1');
    expect(emvCrc('123456789')).toBe('29B1');
  });
});

describe('known vectors', () => {
  it('reads the dynamic 88.50 example', () => {
    const parsed = parseMpm(DYNAMIC_VECTOR);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.value).toMatchObject({
      initiation: 'dynamic',
      mcc: '5812',
      currency: '156',
      amount: '88.50',
      country: 'CN',
      merchantName: 'ZHANG SAN NOODLES',
      merchantCity: 'SHANGHAI',
      crc: 'BFC6',
      merchantAccounts: [
        { tag: '26', guid: 'com.example.wallet', fields: { '00': 'com.example.wallet', '01': 'M100200300' } },
      ],
      additionalData: { billNumber: 'INV20240501', referenceLabel: 'ORD0001', terminalLabel: 'T01' },
    });
  });

  it('encodes the dynamic and static examples byte for byte', () => {
    const base: MpmInput = {
      initiation: 'dynamic',
      guid: 'com.example.wallet',
      merchantNumber: 'M100200300',
      mcc: '5812',
      merchantName: 'ZHANG SAN NOODLES',
      merchantCity: 'SHANGHAI',
    };
    expect(
      encodeMpm({
        ...base,
        amountFen: 8850n,
        billNumber: 'INV20240501',
        referenceLabel: 'ORD0001',
        terminalLabel: 'T01',
      }),
    ).toEqual({ ok: true, value: DYNAMIC_VECTOR });
    const statics = encodeMpm({ ...base, initiation: 'static' });
    expect(statics).toEqual({ ok: true, value: STATIC_VECTOR });
    expect(STATIC_VECTOR.endsWith('6008SHANGHAI63049A60')).toBe(true);
  });

  it('reads the EMVCo sample with Chinese in tag 64 (CRC A13A)', () => {
    const body =
      '00020101021229300012D156000000000510A93FO3230Q31280012D15600000001030812345678520441115802CN5914BEST ' +
      'TRANSPORT6007BEIJING64200002ZH0104最佳运输0202北京540523.7253031565502016233030412340603***' +
      '0708A60086670902ME91320016A0112233449988770708123456786304';
    expect(emvCrc(body)).toBe('A13A');
    const parsed = parseMpm(`${body}A13A`);
    expect(parsed.ok && parsed.value.language).toEqual({
      preference: 'ZH',
      merchantName: '最佳运输',
      merchantCity: '北京',
      other: {},
    });
    expect(parsed.ok && parsed.value.tipIndicator).toBe('01');
    expect(parsed.ok && parsed.value.other['91']).toBe('0016A011223344998877070812345678');
  });
});

describe('refusals name the problem and where', () => {
  const refuse = (payload: string) => {
    const parsed = parseMpm(payload);
    expect(parsed.ok).toBe(false);
    return parsed.ok ? null : parsed.error;
  };
  const withCrc = (body: string) => `${body}6304${emvCrc(`${body}6304`)}`;

  it('a wrong CRC', () =>
    expect(refuse(DYNAMIC_VECTOR.replace(/BFC6$/, 'BFC7'))).toMatchObject({
      code: 'CRC_MISMATCH',
      tag: '63',
      position: DYNAMIC_VECTOR.length - 4,
    }));
  it('a changed character', () => expect(refuse(DYNAMIC_VECTOR.replace('88.50', '98.50'))?.code).toBe('CRC_MISMATCH'));
  it('a CRC that is not hex', () =>
    expect(refuse(DYNAMIC_VECTOR.replace(/BFC6$/, 'BFCZ'))?.code).toBe('BAD_CRC_FORMAT'));
  it('no CRC', () => expect(refuse('000201')).toMatchObject({ code: 'MISSING_TAG', tag: '63' }));
  it('a length running past the end', () =>
    expect(refuse('0002010102')).toMatchObject({ code: 'TRUNCATED', position: 8, tag: '01' }));
  it('a non-digit length', () =>
    expect(refuse('00020101x211')).toMatchObject({ code: 'BAD_LENGTH', position: 8, tag: '01' }));
  it('a non-digit ID', () => expect(refuse('0002010A0211')).toMatchObject({ code: 'BAD_ID', position: 6 }));
  it('empty input', () => expect(refuse('')?.code).toBe('EMPTY'));
  it('an over-long payload', () => expect(refuse('0'.repeat(600))?.code).toBe('TOO_LONG'));
  it('a duplicated tag', () => expect(refuse(withCrc('000201000201'))?.code).toBe('DUPLICATE_TAG'));
  it('00 not first', () => expect(refuse(withCrc('010211000201'))).toMatchObject({ code: 'BAD_ORDER', position: 0 }));
  it('63 not last', () => expect(refuse('00020163040000' + '5802CN')).toMatchObject({ code: 'BAD_ORDER', tag: '63' }));
  it('a name of 26 characters', () => {
    const body =
      '000201010211263600' +
      '18com.example.wallet0110M100200300' +
      '52045812530315658' +
      '02CN5926' +
      'A'.repeat(26) +
      '6008SHANGHAI';
    expect(refuse(withCrc(body))).toMatchObject({ code: 'LENGTH_OUT_OF_RANGE', tag: '59' });
  });
  it('a bad MCC', () => {
    const body = '00020101021126360018com.example.wallet0110M1002003005204ABCD530315658' + '02CN5901A6001B';
    expect(refuse(withCrc(body))).toMatchObject({ code: 'BAD_VALUE', tag: '52' });
  });
  it('an additional-data sub-tag over 25', () => {
    const body =
      '00020101021126360018com.example.wallet0110M100200300520458125303156' +
      '5802CN5901A6001B' +
      '62300126' +
      'X'.repeat(26);
    expect(refuse(withCrc(body))).toMatchObject({ code: 'LENGTH_OUT_OF_RANGE', tag: '62.01' });
  });
  it('a broken template', () => {
    const body = '00020101021126080099abcd52045812530315658' + '02CN5901A6001B';
    expect(refuse(withCrc(body))).toMatchObject({ code: 'TRUNCATED', tag: '26.00' });
  });
});

describe('mandatory tags a scheme leaves out are warnings, not refusals', () => {
  const withCrc = (body: string) => `${body}6304${emvCrc(`${body}6304`)}`;

  it('no merchant account', () => {
    const parsed = parseMpm(withCrc('000201520458125303156' + '5802CN5901A6001B'));
    expect(parsed.ok && parsed.value.warnings).toEqual([expect.objectContaining({ code: 'MISSING_TAG', tag: '26' })]);
    expect(parsed.ok && parsed.value.merchantAccounts).toEqual([]);
  });

  it('a missing city', () => {
    const parsed = parseMpm(withCrc('00020126080004abcd5204581253031565802CN5901A'));
    expect(parsed.ok && parsed.value.warnings).toEqual([expect.objectContaining({ code: 'MISSING_TAG', tag: '60' })]);
    expect(parsed.ok && parsed.value.merchantCity).toBeNull();
  });

  it('a Chinese name in tag 59, as Tongbao printed it before', () => {
    const parsed = parseMpm(withCrc('00020126080004abcd52045812530315658' + '02CN5904老街面馆6002上海'));
    expect(parsed.ok && parsed.value.merchantName).toBe('老街面馆');
    expect(parsed.ok && parsed.value.warnings.map((warning) => [warning.code, warning.tag])).toEqual([
      ['NOT_COMMON_CHARSET', '59'],
      ['NOT_COMMON_CHARSET', '60'],
    ]);
  });

  it('the encoder writes no payload that would warn: Chinese belongs in tag 64', () => {
    const base: MpmInput = {
      initiation: 'static',
      guid: 'cn.tongbao.wallet',
      merchantNumber: 'M100200300',
      mcc: '5812',
      merchantName: '老街面馆',
      merchantCity: 'SHANGHAI',
    };
    expect(encodeMpm(base)).toMatchObject({ ok: false, error: { code: 'BAD_VALUE', tag: '59' } });
    expect(encodeMpm({ ...base, merchantName: 'LAO JIE', merchantCity: '上海' })).toMatchObject({
      ok: false,
      error: { code: 'BAD_VALUE', tag: '60' },
    });
    const local = encodeMpm({
      ...base,
      merchantName: 'OLD STREET NOODLES',
      local: { language: 'ZH', merchantName: '老街面馆', merchantCity: '上海' },
    });
    expect(local.ok && local.value).toContain('5918OLD STREET NOODLES6008SHANGHAI64200002ZH0104老街面馆0202上海6304');
    expect(encodeMpm({ ...base, merchantName: 'A', local: { merchantName: '面'.repeat(26) } })).toMatchObject({
      ok: false,
      error: { tag: '64.01' },
    });
  });
});

describe('amounts', () => {
  it('converts between fen and EMV text', () => {
    expect(formatEmvAmount(8850n)).toBe('88.50');
    expect(formatEmvAmount(5n)).toBe('0.05');
    expect(emvAmountToFen('88.5')).toBe(8850n);
    expect(emvAmountToFen('88')).toBe(8800n);
    expect(emvAmountToFen('.5')).toBe(50n);
    expect(emvAmountToFen('88.505')).toBeNull();
    expect(emvAmountToFen('0.00')).toBeNull();
  });
});

// Tags 59 and 60: the EMV common character set (printable ASCII).
const ascii = (max: number) =>
  fc.string({
    unit: fc.constantFrom(..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghij0123456789 -.&'"),
    minLength: 1,
    maxLength: max,
  });

// Text the codec must carry elsewhere: ASCII letters and digits, spaces and CJK characters.
const text = (max: number) =>
  fc.string({
    unit: fc.constantFrom(
      ...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghij0123456789 -.',
      '张',
      '三',
      '面',
      '馆',
      '上',
      '海',
      '北',
      '京',
      '店',
      '·',
    ),
    minLength: 1,
    maxLength: max,
  });

const inputs = fc.record({
  initiation: fc.constantFrom('static' as const, 'dynamic' as const),
  guid: fc.constantFrom('cn.tongbao.wallet', 'com.example.wallet', 'D15600000000'),
  merchantNumber: fc.stringMatching(/^M\d{9}$/),
  accountTag: fc.integer({ min: 26, max: 51 }).map(String),
  mcc: fc.stringMatching(/^\d{4}$/),
  amountFen: fc.option(fc.bigInt({ min: 1n, max: 9_999_999_999n }), { nil: undefined }),
  merchantName: ascii(25),
  merchantCity: ascii(15),
  local: fc.option(fc.record({ language: fc.constant('ZH'), merchantName: text(25), merchantCity: text(15) }), {
    nil: undefined,
  }),
  billNumber: fc.option(text(25), { nil: undefined }),
  referenceLabel: fc.option(text(25), { nil: undefined }),
  terminalLabel: fc.option(text(25), { nil: undefined }),
});

describe('properties', () => {
  it('every encoded payload parses back to what was written', () => {
    fc.assert(
      fc.property(inputs, (input) => {
        const encoded = encodeMpm(input);
        if (!encoded.ok) {
          // Only the additional-data template's 99-character cap may refuse valid fields.
          expect(encoded.error.tag).toBe('62');
          return;
        }
        const parsed = parseMpm(encoded.value);
        expect(parsed.ok).toBe(true);
        if (!parsed.ok) return;
        const p = parsed.value;
        expect(p.initiation).toBe(input.initiation);
        expect(p.merchantAccounts).toEqual([
          { tag: input.accountTag, guid: input.guid, fields: { '00': input.guid, '01': input.merchantNumber } },
        ]);
        expect(p.mcc).toBe(input.mcc);
        expect(p.amount === null ? undefined : emvAmountToFen(p.amount)).toBe(input.amountFen);
        expect(p.merchantName).toBe(input.merchantName);
        expect(p.merchantCity).toBe(input.merchantCity);
        expect(p.language).toEqual(
          input.local
            ? {
                preference: 'ZH',
                merchantName: input.local.merchantName,
                merchantCity: input.local.merchantCity,
                other: {},
              }
            : null,
        );
        expect(p.warnings).toEqual([]);
        expect(p.additionalData?.billNumber ?? undefined).toBe(input.billNumber);
        expect(p.additionalData?.referenceLabel ?? undefined).toBe(input.referenceLabel);
        expect(p.additionalData?.terminalLabel ?? undefined).toBe(input.terminalLabel);
      }),
      { numRuns: 500 },
    );
  });

  it('changing any one ASCII character of a payload is refused', () => {
    fc.assert(
      fc.property(inputs, fc.nat(), fc.constantFrom(...'0123456789ABCDEFXYZ .'), (input, at, replacement) => {
        const encoded = encodeMpm(input);
        if (!encoded.ok) return;
        const chars = Array.from(encoded.value);
        const index = at % chars.length;
        if (chars[index] === replacement || chars[index].charCodeAt(0) > 127) return;
        chars[index] = replacement;
        const changed = chars.join('');
        const parsed = parseMpm(changed);
        // Changing the CRC to the same value in another case is the only accepted change.
        if (parsed.ok) expect(parsed.value.crc).toBe(encoded.value.slice(-4));
        else expect(parsed.error.position).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 500 },
    );
  });

  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (input) => {
        const parsed = parseMpm(input);
        expect(typeof parsed.ok).toBe('boolean');
      }),
      { numRuns: 1000 },
    );
  });
});
