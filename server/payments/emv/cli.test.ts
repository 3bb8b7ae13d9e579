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

  it('prints the error and exits 1', () => {
    const result = run(['decode', PAYLOAD.slice(0, -1)]);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.errors).error.code).toBe('TRUNCATED');
  });

  it('explains its usage', () => expect(run(['encode']).code).toBe(2));
});
