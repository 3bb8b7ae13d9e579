import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generate } from 'otplib';

/**
 * `tongbao totp <phone>`: the current staff sign-in code of a demo staff member, read from the
 * demo's demo-staff.json in the data directory, so the console can be tried without an
 * authenticator app. Development only: refused when NODE_ENV=production.
 */
export async function totpCli(
  args: string[],
  options: { dataDir: string; production: boolean; now?: Date },
  print: (line: string) => void,
): Promise<number> {
  if (options.production) {
    print('totp is for the demo only and refused when NODE_ENV=production');
    return 1;
  }
  const phone = args[0] ?? '';
  const file = join(options.dataDir, 'demo-staff.json');
  if (!existsSync(file)) {
    print(`no demo staff in ${options.dataDir}: start the demo first (npm start)`);
    return 1;
  }
  const staff = JSON.parse(readFileSync(file, 'utf8')) as { phone: string; name: string; totpSecret: string }[];
  const member = staff.find((candidate) => candidate.phone === phone);
  if (!member) {
    print(`no demo staff member with phone "${phone}"; one of: ${staff.map((s) => s.phone).join(', ')}`);
    return 2;
  }
  const epoch = Math.floor((options.now ?? new Date()).getTime() / 1000);
  const code = await generate({ secret: member.totpSecret, epoch });
  print(`${code}   (${member.name}; valid for ${30 - (epoch % 30)} s)`);
  return 0;
}
