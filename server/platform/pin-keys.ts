import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The keys payment PINs are checked under (HMAC-SHA256), held outside the database so that a
 * leaked database alone does not allow an offline search of the million possible PINs.
 *
 * `TONGBAO_PIN_KEY` is the current key as `<keyId>:<base64 key of at least 32 bytes>`; every new
 * or re-keyed PIN hash is made under it and names its key id. `TONGBAO_PIN_KEYS_OLD` is an
 * optional comma-separated list of earlier keys in the same form: hashes under them are still
 * accepted and re-keyed under the current key on their next successful check. In development a
 * key is generated once into `<DATA_DIR>/pin.key`; production refuses to start without one.
 */

export interface PinKey {
  readonly id: string;
  readonly key: Buffer;
}

export interface PinKeyRing {
  readonly current: PinKey;
  /** Earlier keys, accepted for checks only. */
  readonly previous: readonly PinKey[];
}

const KEY_ID_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;
export const PIN_KEY_MIN_BYTES = 32;

function parsePinKey(text: string, variable: string): PinKey {
  const separator = text.indexOf(':');
  const id = separator > 0 ? text.slice(0, separator).trim() : '';
  const encoded = separator > 0 ? text.slice(separator + 1).trim() : '';
  if (!KEY_ID_PATTERN.test(id) || !/^[A-Za-z0-9+/_-]+={0,2}$/.test(encoded)) {
    throw new Error(`${variable} must be "<keyId>:<base64 key>" with a key id of letters, digits, "_" or "-"`);
  }
  const key = Buffer.from(encoded, 'base64');
  if (key.length < PIN_KEY_MIN_BYTES) {
    throw new Error(`${variable} key "${id}" must be at least ${PIN_KEY_MIN_BYTES} bytes`);
  }
  return { id, key };
}

/** Parses the current key and the earlier ones; key ids must be distinct. */
export function parsePinKeyRing(current: string, previous: string | undefined): PinKeyRing {
  const ring: PinKeyRing = {
    current: parsePinKey(current, 'TONGBAO_PIN_KEY'),
    previous: (previous ?? '')
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== '')
      .map((item) => parsePinKey(item, 'TONGBAO_PIN_KEYS_OLD')),
  };
  const ids = [ring.current.id, ...ring.previous.map((key) => key.id)];
  if (new Set(ids).size !== ids.length) {
    throw new Error('TONGBAO_PIN_KEY and TONGBAO_PIN_KEYS_OLD must use distinct key ids');
  }
  return ring;
}

export function loadPinKeys(options: { dataDir: string; production: boolean; env?: NodeJS.ProcessEnv }): PinKeyRing {
  const env = options.env ?? process.env;
  if (env.TONGBAO_PIN_KEY) return parsePinKeyRing(env.TONGBAO_PIN_KEY, env.TONGBAO_PIN_KEYS_OLD);
  if (options.production) throw new Error('TONGBAO_PIN_KEY is required when NODE_ENV=production');
  const file = join(options.dataDir, 'pin.key');
  if (existsSync(file)) return parsePinKeyRing(readFileSync(file, 'utf8').trim(), env.TONGBAO_PIN_KEYS_OLD);
  mkdirSync(options.dataDir, { recursive: true });
  const generated = `dev1:${randomBytes(32).toString('base64')}`;
  writeFileSync(file, `${generated}\n`, { mode: 0o600 });
  return parsePinKeyRing(generated, env.TONGBAO_PIN_KEYS_OLD);
}
