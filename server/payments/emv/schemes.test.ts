import { createRequire } from 'node:module';
import fc from 'fast-check';
import { parse as promptparse } from 'promptparse';
import QRCode from 'qrcode';
import { describe, expect, it } from 'vitest';
import { emvCrc } from './crc.js';
import { type MpmInput, encodeMpm, parseMpm } from './mpm.js';
import { schemeLabel, schemesOf } from './schemes.js';

// CommonJS packages without usable types under NodeNext: loaded with require and typed here.
const require = createRequire(import.meta.url);
const { PNG } = require('pngjs') as {
  PNG: { sync: { read(png: Buffer): { data: Buffer; width: number; height: number } } };
};
const jsQR = require('jsqr') as (data: Uint8ClampedArray, width: number, height: number) => { data: string } | null;

/**
 * Payloads shaped as each scheme prints them (account numbers made up), their CRCs computed here
 * (`emvCrc`, checked below against promptparse's own CRC). VietQR and PromptPay leave out 52, 59
 * and 60, which EMVCo marks mandatory; the others are complete.
 */
const SAMPLES = {
  vietqr:
    '00020101021138540010A00000072701240006970436011001234567890208QRIBFTTA53037045802VN62220818Thanh toan hoa ' +
    'don6304FD72',
  vietqrDynamic:
    '00020101021238570010A00000072701270006970422011308810004589760208QRIBFTTA530370454061500005802VN62200816CK ' +
    'don hang 88216304A297',
  promptpay: '00020101021129370016A000000677010111011300668123456785802TH530376463045D82',
  promptpayBill:
    '00020101021230610016A00000067701011201150994000165501000207INV00420307BRANCH753037645406350.005802TH5914SIAM ' +
    'UTILITIES6007BANGKOK6304070E',
  duitnow:
    '00020101021126600014A00000061500010106890087022800000000000000000000000915075204737253034585802MY5918KEDAI ' +
    'RUNCIT AHMAD6012KUALA LUMPUR62110807ITEM001630489DE',
  paynow:
    '00020101021226490009SG.PAYNOW010120210201403121W0301104082027123151830007SG.SGQR0114180801000001A1020701.0001' +
    '0306059893040201050300106040001070820180801520400005303702540512.505802SG5915HAWKER STALL 126009Singapore63040C46',
  upi:
    '00020101021126510010A0000005240119sharmastores@okaxis0210SHARMA00015204541153033565802IN5921SHARMA GENERAL ' +
    'STORES6006MUMBAI610640000162110707TID000163045464',
  pix:
    '00020126580014br.gov.bcb.pix0136123e4567-e12b-12d1-a456-426655440000520400005303986540510.005802BR5913Fulano ' +
    'de Tal6008BRASILIA62070503***6304288F',
} as const;

/** The EMVCo specification's own sample: `59` BEST TRANSPORT, `60` BEIJING, `64` 最佳运输 / 北京. */
const SPEC_SAMPLE =
  '00020101021229300012D156000000000510A93FO3230Q31280012D15600000001030812345678520441115802CN5914BEST ' +
  'TRANSPORT6007BEIJING64200002ZH0104最佳运输0202北京540523.7253031565502016233030412340603***' +
  '0708A60086670902ME91320016A0112233449988770708123456786304A13A';

const decode = (payload: string) => {
  const parsed = parseMpm(payload);
  if (!parsed.ok) throw new Error(`${parsed.error.code} at ${parsed.error.position}: ${parsed.error.message}`);
  return parsed.value;
};
const missing = (payload: string) =>
  decode(payload)
    .warnings.filter((warning) => warning.code === 'MISSING_TAG')
    .map((warning) => warning.tag);

describe('national schemes are read and named', () => {
  it('every sample carries the CRC of its own bytes, as promptparse computes it too', () => {
    for (const payload of Object.values(SAMPLES)) {
      expect(emvCrc(payload.slice(0, -4))).toBe(payload.slice(-4));
      expect(promptparse(payload, true)?.getTagValue('63')).toBe(payload.slice(-4));
    }
  });

  it.each([
    ['vietqr', 'VietQR (Vietnam)', ['52', '59', '60']],
    ['vietqrDynamic', 'VietQR (Vietnam)', ['52', '59', '60']],
    ['promptpay', 'PromptPay (Thailand)', ['52', '59', '60']],
    ['promptpayBill', 'PromptPay (Thailand)', ['52']],
    ['duitnow', 'DuitNow (Malaysia)', []],
    ['paynow', 'PayNow (SGQR) (Singapore)', []],
    ['upi', 'UPI / BharatQR (India)', []],
    ['pix', 'Pix (Brazil)', []],
  ] as const)('%s: %s, missing %j reported as warnings', (name, label, tags) => {
    const payload = decode(SAMPLES[name]);
    expect(schemeLabel(schemesOf(payload)[0], 'en')).toBe(label);
    expect(missing(SAMPLES[name])).toEqual(tags);
  });

  it('reads what the schemes carry', () => {
    const viet = decode(SAMPLES.vietqrDynamic);
    expect(viet).toMatchObject({ initiation: 'dynamic', currency: '704', amount: '150000', country: 'VN', mcc: null });
    expect(viet.merchantAccounts[0]).toMatchObject({ tag: '38', guid: 'A000000727', fields: { '02': 'QRIBFTTA' } });
    expect(viet.additionalData?.purpose).toBe('CK don hang 8821');
    const thai = decode(SAMPLES.promptpay);
    expect(thai).toMatchObject({ currency: '764', country: 'TH', merchantName: null, amount: null });
    expect(thai.merchantAccounts[0].fields['01']).toBe('0066812345678');
    // A Singapore code names PayNow (26) and carries its SGQR id (51).
    expect(schemesOf(decode(SAMPLES.paynow)).map((scheme) => scheme.id)).toEqual(['paynow', 'sgqr']);
    expect(schemeLabel(schemesOf(decode(SAMPLES.promptpay))[0], 'zh')).toBe('PromptPay（泰国）');
  });

  it('a scheme it does not know is read without a name', () => {
    const body = '00020101021126280012com.acme.pay0108ACME00015204599953038405802US5904ACME6007ANYTOWN6304';
    expect(schemesOf(decode(body + emvCrc(body)))).toEqual([]);
  });

  it('framing is still strict: a bad CRC on a national code is refused', () => {
    expect(parseMpm(SAMPLES.promptpay.replace(/5D82$/, '5D83'))).toMatchObject({
      ok: false,
      error: { code: 'CRC_MISMATCH' },
    });
  });
});

describe('Tongbao payloads against an independent EMVCo library (promptparse)', () => {
  const latin = (max: number) =>
    fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -.&'), minLength: 1, maxLength: max });
  const inputs = fc.record({
    initiation: fc.constantFrom('static' as const, 'dynamic' as const),
    guid: fc.constant('cn.tongbao.wallet'),
    merchantNumber: fc.stringMatching(/^M\d{9}$/),
    mcc: fc.stringMatching(/^\d{4}$/),
    amountFen: fc.option(fc.bigInt({ min: 1n, max: 9_999_999_999n }), { nil: undefined }),
    merchantName: latin(25).filter((name) => name.trim() !== ''),
    merchantCity: latin(15).filter((city) => city.trim() !== ''),
    referenceLabel: fc.stringMatching(/^Q[0-9a-zA-Z]{16}$/),
    terminalLabel: fc.option(fc.stringMatching(/^T\d{2}$/), { nil: undefined }),
  });

  it('without the language template, every payload parses under promptparse with its CRC', () => {
    fc.assert(
      fc.property(inputs, (input: MpmInput) => {
        const encoded = encodeMpm(input);
        expect(encoded.ok).toBe(true);
        if (!encoded.ok) return;
        // Strict mode: promptparse checks the CRC itself and answers null on a mismatch. (Its `validate()`
        // re-encodes from sub-tags it guesses, which misreads an amount such as `86014762.00`.)
        const theirs = promptparse(encoded.value, true);
        expect(theirs, encoded.value).not.toBeNull();
        expect(theirs?.getTagValue('63')).toBe(encoded.value.slice(-4));
        expect(theirs?.getTagValue('59')).toBe(input.merchantName);
        expect(theirs?.getTagValue('60')).toBe(input.merchantCity);
        expect(theirs?.getTagValue('26', '01')).toBe(input.merchantNumber);
        expect(theirs?.getTagValue('62', '05')).toBe(input.referenceLabel);
      }),
      { numRuns: 300 },
    );
  });

  it('with it, our decoder reads our payloads and the specification sample alike', () => {
    const ours = encodeMpm({
      initiation: 'dynamic',
      guid: 'cn.tongbao.wallet',
      merchantNumber: 'M100200300',
      mcc: '5812',
      amountFen: 3600n,
      merchantName: 'OLD STREET NOODLES',
      merchantCity: 'SHANGHAI',
      local: { language: 'ZH', merchantName: '老街面馆', merchantCity: '上海' },
      referenceLabel: 'Q0123456789abcdef',
    });
    expect(ours.ok).toBe(true);
    for (const payload of [ours.ok ? ours.value : '', SPEC_SAMPLE]) {
      const read = decode(payload);
      expect(read.warnings).toEqual([]);
      expect(read.language?.preference).toBe('ZH');
    }
    expect(decode(SPEC_SAMPLE)).toMatchObject({
      merchantName: 'BEST TRANSPORT',
      merchantCity: 'BEIJING',
      language: { merchantName: '最佳运输', merchantCity: '北京' },
    });
    expect(decode(ours.ok ? ours.value : '').language).toMatchObject({
      merchantName: '老街面馆',
      merchantCity: '上海',
    });
  });

  it('every QR image decodes back to its payload, Chinese in tag 64 included', async () => {
    const ours = encodeMpm({
      initiation: 'static',
      guid: 'cn.tongbao.wallet',
      merchantNumber: 'M100200300',
      mcc: '5411',
      merchantName: 'FRESH FRUIT MART',
      merchantCity: 'BEIJING',
      local: { language: 'ZH', merchantName: '鲜果便利店', merchantCity: '北京' },
      referenceLabel: 'Qabcdef0123456789',
    });
    const payloads = [ours.ok ? ours.value : '', SPEC_SAMPLE, SAMPLES.promptpay, SAMPLES.vietqr];
    for (const payload of payloads) {
      const png = await QRCode.toBuffer(payload, { type: 'png', errorCorrectionLevel: 'M', margin: 2, scale: 8 });
      const image = PNG.sync.read(png);
      expect(jsQR(new Uint8ClampedArray(image.data), image.width, image.height)?.data).toBe(payload);
    }
  });
});
