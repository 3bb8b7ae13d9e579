import { describe, expect, it } from 'vitest';
import { qrCli } from './cli.js';

const PAYLOAD =
  '00020101021226360018com.example.wallet0110M100200300520458125303156540588.505802CN5917ZHANG SAN ' +
  'NOODLES6008SHANGHAI62330111INV202405010507ORD00010703T016304BFC6';

function run(args: string[]) {
  const out: string[] = [];
  const errors: string[] = [];
  const code = qrCli(
    args,
    (line) => out.push(line),
    (line) => errors.push(line),
  );
  return { code, out: out.join('\n'), errors: errors.join('\n') };
}

describe('tongbao qr decode', () => {
  it('prints the fields as JSON', () => {
    const result = run(['decode', PAYLOAD]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.out)).toMatchObject({ amount: '88.50', merchantName: 'ZHANG SAN NOODLES', crc: 'BFC6' });
  });

  it('decodes a national scheme that omits mandatory tags, naming it and warning', () => {
    const result = run(['decode', '00020101021129370016A000000677010111011300668123456785802TH530376463045D82']);
    expect(result.code).toBe(0);
    const decoded = JSON.parse(result.out);
    expect(decoded.scheme).toBe('PromptPay (Thailand)');
    expect(decoded.warnings.map((warning: { tag: string }) => warning.tag)).toEqual(['52', '59', '60']);
    expect(decoded.merchantName).toBeNull();
  });

  it('prints the error and exits 1', () => {
    const result = run(['decode', PAYLOAD.slice(0, -1)]);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.errors).error.code).toBe('TRUNCATED');
  });

  it('explains its usage', () => expect(run(['encode']).code).toBe(2));
});
