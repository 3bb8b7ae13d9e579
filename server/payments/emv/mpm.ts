import { type Result, err, ok } from '../../platform/result.js';
import { emvCrc } from './crc.js';
import { type EmvError, type TlvObject, charLength, emvError, readTlv, tlv } from './tlv.js';

/**
 * EMV merchant-presented mode (MPM) QR payloads: a parser strict on framing, lengths and formats
 * that still reads other wallets' and national schemes' codes (every tag it does not use is kept
 * raw; mandatory tags a scheme leaves out are warnings), and an encoder whose output the parser
 * accepts without a warning.
 * Tags and limits follow EMVCo MPM 1.1 (see docs/payments.md and domain-rules.md §1).
 */

export const MAX_PAYLOAD_CHARS = 512;

export interface MerchantAccount {
  /** 26–51 for templates; 02–25 for card-network identifiers (value in `fields['']`). */
  tag: string;
  guid: string | null;
  /** Sub-tags of the template by id, `00` (the GUID) included. */
  fields: Record<string, string>;
}

export interface AdditionalData {
  billNumber: string | null;
  mobileNumber: string | null;
  storeLabel: string | null;
  loyaltyNumber: string | null;
  referenceLabel: string | null;
  customerLabel: string | null;
  terminalLabel: string | null;
  purpose: string | null;
  consumerDataRequest: string | null;
  /** Sub-tags this parser does not name (RFU 10–49, templates 50–99). */
  other: Record<string, string>;
}

/**
 * Something a payload lacks or bends that EMVCo requires, but that real national schemes do
 * (VietQR and PromptPay codes omit 52, 59 and 60): the payload is read anyway and the warning says what.
 */
export interface MpmWarning {
  code: 'MISSING_TAG' | 'NOT_COMMON_CHARSET';
  tag: string;
  message: string;
}

export interface MpmPayload {
  payloadFormatIndicator: string;
  initiation: 'static' | 'dynamic' | null;
  merchantAccounts: MerchantAccount[];
  /** Mandatory in EMVCo, null when a scheme leaves it out (a `MISSING_TAG` warning says so). */
  mcc: string | null;
  currency: string | null;
  /** As written, e.g. `88.50`; null on a static code. */
  amount: string | null;
  tipIndicator: string | null;
  convenienceFeeFixed: string | null;
  convenienceFeePercentage: string | null;
  country: string | null;
  merchantName: string | null;
  merchantCity: string | null;
  postalCode: string | null;
  additionalData: AdditionalData | null;
  language: {
    preference: string | null;
    merchantName: string | null;
    merchantCity: string | null;
    other: Record<string, string>;
  } | null;
  crc: string;
  /** Tags 65–99 (RFU and unreserved templates), raw. */
  other: Record<string, string>;
  /** What EMVCo requires and the payload does not follow; empty for a fully conforming payload. */
  warnings: MpmWarning[];
}

interface Rule {
  max: number;
  min?: number;
  pattern?: RegExp;
  what?: string;
}

const AMOUNT = /^(\d+(\.\d*)?|\.\d+)$/;
const TOP_RULES: Record<string, Rule> = {
  '00': { min: 2, max: 2, pattern: /^01$/, what: 'must be "01"' },
  '01': { min: 2, max: 2, pattern: /^1[12]$/, what: 'must be "11" (static) or "12" (dynamic)' },
  '52': { min: 4, max: 4, pattern: /^\d{4}$/, what: 'must be a 4-digit merchant category code' },
  '53': { min: 3, max: 3, pattern: /^\d{3}$/, what: 'must be a 3-digit ISO 4217 currency code' },
  '54': { max: 13, pattern: AMOUNT, what: 'must be an amount like 88.50' },
  '55': { min: 2, max: 2, pattern: /^0[1-3]$/, what: 'must be 01, 02 or 03' },
  '56': { max: 13, pattern: AMOUNT, what: 'must be an amount' },
  '57': { max: 5, pattern: /^(\d+(\.\d*)?|\.\d+)$/, what: 'must be a percentage' },
  '58': { min: 2, max: 2, pattern: /^[A-Za-z]{2}$/, what: 'must be a 2-letter country code' },
  '59': { max: 25 },
  '60': { max: 15 },
  '61': { max: 10 },
  '62': { max: 99 },
  '63': { min: 4, max: 4 },
  '64': { max: 99 },
};
const MANDATORY: Record<string, string> = {
  '52': 'merchant category code',
  '53': 'transaction currency',
  '58': 'country code',
  '59': 'merchant name',
  '60': 'merchant city',
};
/** EMV "ans": the common character set, printable ASCII. Tags 59 and 60 are written in it. */
export const COMMON_CHARSET = /^[\x20-\x7e]+$/;
const ADDITIONAL_NAMES = [
  'billNumber',
  'mobileNumber',
  'storeLabel',
  'loyaltyNumber',
  'referenceLabel',
  'customerLabel',
  'terminalLabel',
  'purpose',
  'consumerDataRequest',
] as const;

function checkRule(object: TlvObject, rule: Rule, tag: string): EmvError | null {
  const length = charLength(object.value);
  if (length > rule.max || length < (rule.min ?? 1)) {
    const range = rule.min === rule.max ? `exactly ${rule.max}` : `at most ${rule.max}`;
    return emvError(
      'LENGTH_OUT_OF_RANGE',
      object.position + 2,
      `tag ${tag} has ${length} characters; ${range} allowed`,
      tag,
    );
  }
  if (rule.pattern && !rule.pattern.test(object.value))
    return emvError('BAD_VALUE', object.position + 4, `tag ${tag} ${rule.what ?? 'is not valid'}`, tag);
  return null;
}

function readTemplate(object: TlvObject, tag: string): Result<TlvObject[], EmvError> {
  return readTlv(object.value, object.position + 4, `${tag}.`);
}

function parseMerchantAccount(object: TlvObject): Result<MerchantAccount, EmvError> {
  const inner = readTemplate(object, object.id);
  if (!inner.ok) return inner;
  const fields: Record<string, string> = {};
  for (const sub of inner.value) {
    if (sub.id === '00') {
      const bad = checkRule(sub, { max: 32 }, `${object.id}.00`);
      if (bad) return err(bad);
    }
    fields[sub.id] = sub.value;
  }
  return ok({ tag: object.id, guid: fields['00'] ?? null, fields });
}

function parseAdditionalData(object: TlvObject): Result<AdditionalData, EmvError> {
  const inner = readTemplate(object, '62');
  if (!inner.ok) return inner;
  const data: AdditionalData = {
    billNumber: null,
    mobileNumber: null,
    storeLabel: null,
    loyaltyNumber: null,
    referenceLabel: null,
    customerLabel: null,
    terminalLabel: null,
    purpose: null,
    consumerDataRequest: null,
    other: {},
  };
  for (const sub of inner.value) {
    const index = Number(sub.id);
    if (index >= 1 && index <= 9) {
      const bad = checkRule(sub, { max: 25 }, `62.${sub.id}`);
      if (bad) return err(bad);
      data[ADDITIONAL_NAMES[index - 1]] = sub.value;
    } else data.other[sub.id] = sub.value;
  }
  return ok(data);
}

function parseLanguage(object: TlvObject): Result<NonNullable<MpmPayload['language']>, EmvError> {
  const inner = readTemplate(object, '64');
  if (!inner.ok) return inner;
  const language: NonNullable<MpmPayload['language']> = {
    preference: null,
    merchantName: null,
    merchantCity: null,
    other: {},
  };
  const rules: Record<string, Rule> = { '00': { min: 2, max: 2 }, '01': { max: 25 }, '02': { max: 15 } };
  for (const sub of inner.value) {
    const rule = rules[sub.id];
    if (rule) {
      const bad = checkRule(sub, rule, `64.${sub.id}`);
      if (bad) return err(bad);
    }
    if (sub.id === '00') language.preference = sub.value;
    else if (sub.id === '01') language.merchantName = sub.value;
    else if (sub.id === '02') language.merchantCity = sub.value;
    else language.other[sub.id] = sub.value;
  }
  return ok(language);
}

/** Checks the framing: 00 first, 63 last with 4 characters, and the CRC over everything before its value. */
function checkFrame(payload: string, objects: TlvObject[]): EmvError | null {
  if (objects[0].id !== '00')
    return emvError('BAD_ORDER', 0, 'the payload must start with tag 00 (payload format indicator)', objects[0].id);
  const last = objects[objects.length - 1];
  const crcAt = objects.findIndex((object) => object.id === '63');
  if (crcAt === -1) return emvError('MISSING_TAG', charLength(payload), 'tag 63 (CRC) is missing', '63');
  if (crcAt !== objects.length - 1)
    return emvError('BAD_ORDER', objects[crcAt].position, 'tag 63 (CRC) must be the last data object', '63');
  if (charLength(last.value) !== 4)
    return emvError('LENGTH_OUT_OF_RANGE', last.position + 2, 'tag 63 (CRC) must have exactly 4 characters', '63');
  if (!/^[0-9A-Fa-f]{4}$/.test(last.value))
    return emvError('BAD_CRC_FORMAT', last.position + 4, 'tag 63 must be 4 hexadecimal characters', '63');
  const covered = Array.from(payload)
    .slice(0, last.position + 4)
    .join('');
  const expected = emvCrc(covered);
  if (expected !== last.value.toUpperCase())
    return emvError('CRC_MISMATCH', last.position + 4, `CRC is ${last.value}, the payload's is ${expected}`, '63');
  return null;
}

/** Parses and validates an MPM payload. Never throws on any input. */
export function parseMpm(payload: string): Result<MpmPayload, EmvError> {
  if (payload.length === 0) return err(emvError('EMPTY', 0, 'the payload is empty'));
  if (charLength(payload) > MAX_PAYLOAD_CHARS)
    return err(emvError('TOO_LONG', MAX_PAYLOAD_CHARS, `the payload is longer than ${MAX_PAYLOAD_CHARS} characters`));
  const read = readTlv(payload);
  if (!read.ok) return read;
  const objects = read.value;
  const frameError = checkFrame(payload, objects);
  if (frameError) return err(frameError);

  const byId = new Map(objects.map((object) => [object.id, object]));
  for (const object of objects) {
    const rule = TOP_RULES[object.id];
    const bad = rule ? checkRule(object, rule, object.id) : null;
    if (bad) return err(bad);
  }
  const merchantAccounts: MerchantAccount[] = [];
  const other: Record<string, string> = {};
  for (const object of objects) {
    const index = Number(object.id);
    if (index >= 2 && index <= 25) merchantAccounts.push({ tag: object.id, guid: null, fields: { '': object.value } });
    else if (index >= 26 && index <= 51) {
      const account = parseMerchantAccount(object);
      if (!account.ok) return account;
      merchantAccounts.push(account.value);
    } else if (index >= 65) other[object.id] = object.value;
  }
  const warnings: MpmWarning[] = [];
  if (merchantAccounts.length === 0)
    warnings.push({
      code: 'MISSING_TAG',
      tag: '26',
      message: 'no merchant account (tags 02–51): EMVCo requires at least one',
    });
  for (const [tag, what] of Object.entries(MANDATORY)) {
    if (!byId.has(tag))
      warnings.push({ code: 'MISSING_TAG', tag, message: `tag ${tag} (${what}) is missing: EMVCo marks it mandatory` });
  }
  for (const tag of ['59', '60']) {
    const object = byId.get(tag);
    if (object && !COMMON_CHARSET.test(object.value))
      warnings.push({
        code: 'NOT_COMMON_CHARSET',
        tag,
        message:
          `tag ${tag} has characters outside the EMV common character set (printable ASCII); ` +
          'local-language text belongs in tag 64',
      });
  }
  let additionalData: AdditionalData | null = null;
  const additional = byId.get('62');
  if (additional) {
    const parsed = parseAdditionalData(additional);
    if (!parsed.ok) return parsed;
    additionalData = parsed.value;
  }
  let language: MpmPayload['language'] = null;
  const languageObject = byId.get('64');
  if (languageObject) {
    const parsed = parseLanguage(languageObject);
    if (!parsed.ok) return parsed;
    language = parsed.value;
  }
  const value = (id: string) => byId.get(id)?.value ?? null;
  const initiation = value('01');
  return ok({
    payloadFormatIndicator: value('00') as string,
    initiation: initiation === '11' ? 'static' : initiation === '12' ? 'dynamic' : null,
    merchantAccounts,
    mcc: value('52'),
    currency: value('53'),
    amount: value('54'),
    tipIndicator: value('55'),
    convenienceFeeFixed: value('56'),
    convenienceFeePercentage: value('57'),
    country: value('58'),
    merchantName: value('59'),
    merchantCity: value('60'),
    postalCode: value('61'),
    additionalData,
    language,
    crc: (value('63') as string).toUpperCase(),
    other,
    warnings,
  });
}

export interface MpmInput {
  initiation: 'static' | 'dynamic';
  guid: string;
  merchantNumber: string;
  /** Merchant account template tag, 26–51; 26 by default. */
  accountTag?: string;
  mcc: string;
  /** ISO 4217 numeric; `156` is CNY. */
  currency?: string;
  /** Amount in fen (dynamic codes); written with two decimals. */
  amountFen?: bigint;
  country?: string;
  /** Tag 59, in the common character set (the registered English or pinyin name). */
  merchantName: string;
  /** Tag 60, in the common character set (pinyin). */
  merchantCity: string;
  /**
   * Tag 64, the merchant information language template: `00` the language (`ZH`), `01` the name
   * and `02` the city in that language. Left out when neither is given.
   */
  local?: { language?: string; merchantName?: string; merchantCity?: string };
  billNumber?: string;
  referenceLabel?: string;
  terminalLabel?: string;
}

/** `8850n` → `88.50`. */
export function formatEmvAmount(amountFen: bigint): string {
  return `${amountFen / 100n}.${String(amountFen % 100n).padStart(2, '0')}`;
}

/** `88.50`, `88.5`, `88` → fen; null when it has more than two decimals or is zero. */
export function emvAmountToFen(amount: string): bigint | null {
  const match = /^(\d*)(?:\.(\d{0,2}))?$/.exec(amount);
  if (!match || (match[1] === '' && (match[2] ?? '') === '')) return null;
  const fen = BigInt(match[1] || '0') * 100n + BigInt((match[2] ?? '').padEnd(2, '0') || '0');
  return fen > 0n ? fen : null;
}

/**
 * Writes a payload, then reads it back with the parser: anything the parser would refuse (a name
 * over 25 characters, a bad MCC) is refused here too, with the same error, and so is anything it
 * would only warn about (a Chinese name in tag 59): what Tongbao prints conforms fully.
 */
export function encodeMpm(input: MpmInput): Result<string, EmvError> {
  const sized = (id: string, value: string, max: number): EmvError | null =>
    charLength(value) < 1 || charLength(value) > max
      ? emvError('LENGTH_OUT_OF_RANGE', 0, `tag ${id} must have 1 to ${max} characters`, id)
      : null;
  const accountFields =
    tlv('00', input.guid.slice(0, 99)) + (input.merchantNumber ? tlv('01', input.merchantNumber.slice(0, 99)) : '');
  const accountTag = input.accountTag ?? '26';
  const checks = [
    sized(`${accountTag}.00`, input.guid, 32),
    sized(`${accountTag}.01`, input.merchantNumber, 99),
    sized(accountTag, accountFields, 99),
    sized('52', input.mcc, 4),
    sized('59', input.merchantName, 25),
    sized('60', input.merchantCity, 15),
    ...(['billNumber', 'referenceLabel', 'terminalLabel'] as const).map((name) =>
      input[name] === undefined ? null : sized(`62.${name}`, input[name] as string, 25),
    ),
  ];
  const failed = checks.find((check) => check !== null);
  if (failed) return err(failed);
  for (const [id, value] of [
    ['59', input.merchantName],
    ['60', input.merchantCity],
  ] as const) {
    if (!COMMON_CHARSET.test(value))
      return err(emvError('BAD_VALUE', 0, `tag ${id} must be in the EMV common character set (printable ASCII)`, id));
  }
  let language = '';
  if (input.local && (input.local.merchantName || input.local.merchantCity)) {
    const languageChecks = [
      sized('64.00', input.local.language ?? 'ZH', 2),
      input.local.merchantName === undefined ? null : sized('64.01', input.local.merchantName, 25),
      input.local.merchantCity === undefined ? null : sized('64.02', input.local.merchantCity, 15),
    ].find((check) => check !== null);
    if (languageChecks) return err(languageChecks);
    language =
      tlv('00', input.local.language ?? 'ZH') +
      (input.local.merchantName ? tlv('01', input.local.merchantName) : '') +
      (input.local.merchantCity ? tlv('02', input.local.merchantCity) : '');
    const bad = sized('64', language, 99);
    if (bad) return err(bad);
  }
  if (input.amountFen !== undefined && input.amountFen <= 0n)
    return err(emvError('BAD_VALUE', 0, 'the amount must be positive', '54'));
  let body = tlv('00', '01') + tlv('01', input.initiation === 'static' ? '11' : '12') + tlv(accountTag, accountFields);
  body += tlv('52', input.mcc) + tlv('53', input.currency ?? '156');
  if (input.amountFen !== undefined) {
    const amount = formatEmvAmount(input.amountFen);
    if (amount.length > 13) return err(emvError('LENGTH_OUT_OF_RANGE', 0, 'the amount is too large for tag 54', '54'));
    body += tlv('54', amount);
  }
  body += tlv('58', input.country ?? 'CN') + tlv('59', input.merchantName) + tlv('60', input.merchantCity);
  const additional =
    (input.billNumber ? tlv('01', input.billNumber) : '') +
    (input.referenceLabel ? tlv('05', input.referenceLabel) : '') +
    (input.terminalLabel ? tlv('07', input.terminalLabel) : '');
  if (additional) {
    const bad = sized('62', additional, 99);
    if (bad) return err(bad);
    body += tlv('62', additional);
  }
  if (language) body += tlv('64', language);
  body += '6304';
  const payload = body + emvCrc(body);
  const check = parseMpm(payload);
  if (!check.ok) return err(check.error);
  const warning = check.value.warnings[0];
  return warning ? err(emvError('BAD_VALUE', 0, warning.message, warning.tag)) : ok(payload);
}
