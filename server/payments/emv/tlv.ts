import { type Result, err, ok } from '../../platform/result.js';

/**
 * EMV MPM data objects: `ID (2 digits) + LEN (2 digits) + VALUE`, where LEN counts characters
 * (Unicode code points), not bytes, so `0104最佳运输` is a valid object. Positions in errors are
 * character offsets into the text being read.
 */

export interface TlvObject {
  id: string;
  value: string;
  /** Character offset of the object's ID in the whole payload. */
  position: number;
}

export type EmvErrorCode =
  | 'EMPTY'
  | 'TOO_LONG'
  | 'BAD_ID'
  | 'BAD_LENGTH'
  | 'TRUNCATED'
  | 'DUPLICATE_TAG'
  | 'BAD_ORDER'
  | 'MISSING_TAG'
  | 'LENGTH_OUT_OF_RANGE'
  | 'BAD_VALUE'
  | 'BAD_CRC_FORMAT'
  | 'CRC_MISMATCH';

export interface EmvError {
  code: EmvErrorCode;
  /** Character offset where the problem was found. */
  position: number;
  /** The tag concerned, `62.05` for a sub-tag. */
  tag?: string;
  message: string;
}

export const emvError = (code: EmvErrorCode, position: number, message: string, tag?: string): EmvError =>
  tag === undefined ? { code, position, message } : { code, position, tag, message };

/** Characters (code points) of a text: what EMV lengths count. */
export const charLength = (text: string): number => {
  let n = 0;
  for (const _ of text) n++;
  return n;
};

/**
 * Splits a run of data objects. `base` is the character offset of `text` in the payload and
 * `prefix` names the enclosing template in errors (`62.`).
 */
export function readTlv(text: string, base = 0, prefix = ''): Result<TlvObject[], EmvError> {
  const chars = Array.from(text);
  const objects: TlvObject[] = [];
  const seen = new Set<string>();
  let at = 0;
  while (at < chars.length) {
    if (chars.length - at < 4)
      return err(
        emvError('TRUNCATED', base + at, `a data object needs at least 4 characters, ${chars.length - at} left`),
      );
    const id = chars.slice(at, at + 2).join('');
    if (!/^\d\d$/.test(id)) return err(emvError('BAD_ID', base + at, `ID "${id}" is not two digits`));
    const lengthText = chars.slice(at + 2, at + 4).join('');
    if (!/^\d\d$/.test(lengthText))
      return err(emvError('BAD_LENGTH', base + at + 2, `length "${lengthText}" is not two digits`, prefix + id));
    const length = Number(lengthText);
    if (length === 0)
      return err(emvError('LENGTH_OUT_OF_RANGE', base + at + 2, 'a data object cannot be empty', prefix + id));
    if (at + 4 + length > chars.length) {
      return err(
        emvError(
          'TRUNCATED',
          base + at + 2,
          `length ${length} runs past the end (${chars.length - at - 4} characters left)`,
          prefix + id,
        ),
      );
    }
    if (seen.has(id)) return err(emvError('DUPLICATE_TAG', base + at, `tag ${prefix + id} appears twice`, prefix + id));
    seen.add(id);
    objects.push({ id, value: chars.slice(at + 4, at + 4 + length).join(''), position: base + at });
    at += 4 + length;
  }
  return ok(objects);
}

/** Writes one data object; the caller has checked the value fits (1–99 characters). */
export function tlv(id: string, value: string): string {
  const length = charLength(value);
  if (!/^\d\d$/.test(id) || length < 1 || length > 99)
    throw new Error(`assertion failed: data object ${id} of ${length} characters`);
  return `${id}${String(length).padStart(2, '0')}${value}`;
}
