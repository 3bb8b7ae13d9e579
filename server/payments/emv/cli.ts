import { parseMpm } from './mpm.js';
import { schemeLabel, schemesOf } from './schemes.js';

/**
 * `tongbao qr decode <payload>`: prints the parsed fields as JSON on stdout, with the schemes its
 * merchant accounts name and the warnings (mandatory tags a national scheme left out), and exits 0;
 * or the error (code, position, tag, message) as JSON on stderr and exits 1.
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
  const schemes = schemesOf(parsed.value).map((scheme) => ({ ...scheme, label: schemeLabel(scheme, 'en') }));
  const { warnings, ...fields } = parsed.value;
  out(JSON.stringify({ scheme: schemes[0]?.label ?? null, schemes, ...fields, warnings }, null, 2));
  return 0;
}
