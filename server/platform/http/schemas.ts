import { Type } from 'typebox';

/**
 * The TypeBox pieces every routes file shares, so an amount, a currency or an id is checked the
 * same way everywhere (docs/architecture.md, "Patterns every domain uses").
 */

/** A positive amount in minor units, at most 2^53 − 1 so it survives JSON; no fractions, no strings. */
export const Amount = Type.Integer({
  minimum: 1,
  maximum: Number.MAX_SAFE_INTEGER,
  description: 'Minor units (fen): 8850 is ¥88.50',
});

/** The currencies accounts are kept in. */
export const Currency = Type.Literal('CNY');

/**
 * An id: a type prefix of 2 to 4 lower-case letters, an underscore, then lower-case letters, digits
 * and underscores. It covers every id `newId()` makes (`qr_`, `trf_`, `card_`, `sess_`: time and
 * randomness in Crockford base32) and the fixed ids of system accounts (`acc_risk_reserve_cny`).
 */
export const Id = Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-z]{2,4}_[0-9a-z_]+$' });

/** The 6-digit payment PIN in a request body. */
export const Pin = Type.String({ pattern: '^\\d{6}$' });

/** Route params of the form `/:id`. */
export const IdParams = Type.Object({ id: Id });
