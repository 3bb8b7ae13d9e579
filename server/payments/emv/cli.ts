import { parseMpm } from './mpm.js';

/**
 * `tongbao qr decode <payload>`: prints the parsed fields as JSON on stdout and exits 0, or the
 * error (code, position, tag, message) as JSON on stderr and exits 1.
 */
export function qrCli(args: string[], out: (line: string) => void, fail: (line: string) => void): number {
  const [sub, payload] = args;
  if (sub !== 'decode' || payload === undefined) {
    fail('usage: tongbao qr decode <payload>');
    return 2;
  }
  const parsed = parseMpm(payload);
  if (!parsed.ok) {
    fail(JSON.stringify({ error: parsed.error }, null, 2));
    return 1;
  }
  out(JSON.stringify(parsed.value, null, 2));
  return 0;
}
