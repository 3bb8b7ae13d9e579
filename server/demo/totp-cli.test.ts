import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from 'otplib';
import { describe, expect, it } from 'vitest';
import { totpCli } from './totp-cli.js';

const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

describe('tongbao totp <phone>', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tongbao-totp-'));
  writeFileSync(
    join(dataDir, 'demo-staff.json'),
    JSON.stringify([{ phone: '13900139000', name: '管理员 Admin', roles: ['admin'], totpSecret: SECRET }]),
  );
  const now = new Date('2026-12-03T10:00:05Z');

  it("prints a demo staff member's current code", async () => {
    const lines: string[] = [];
    expect(await totpCli(['13900139000'], { dataDir, production: false, now }, (l) => lines.push(l))).toBe(0);
    const expected = await generate({ secret: SECRET, epoch: Math.floor(now.getTime() / 1000) });
    expect(lines[0]).toBe(`${expected}   (管理员 Admin; valid for 25 s)`);
  });

  it('names the known phones for an unknown one, and refuses in production', async () => {
    const lines: string[] = [];
    expect(await totpCli(['139'], { dataDir, production: false, now }, (l) => lines.push(l))).toBe(2);
    expect(lines[0]).toContain('13900139000');
    expect(await totpCli(['13900139000'], { dataDir, production: true, now }, (l) => lines.push(l))).toBe(1);
  });
});
