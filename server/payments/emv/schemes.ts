import type { MpmPayload } from './mpm.js';

/**
 * National and network QR schemes, named from the GUID (sub-tag `00`) of a merchant account
 * template (26–51), or from the network's own tag (02–25). The GUID is an application identifier
 * (RID + PIX, `A000000677…`) or a reverse domain name (`SG.PAYNOW`), matched without case.
 */
export interface QrScheme {
  id: string;
  name: string;
  nameZh: string;
  /** ISO 3166-1 alpha-2. */
  country: string;
  countryEn: string;
  countryZh: string;
}

interface SchemeRule extends QrScheme {
  /** GUID prefixes (upper case) in templates 26–51. */
  guids: string[];
  /** Reserved network tags (02–25) that name the scheme by themselves. */
  networkTags?: string[];
}

export const TONGBAO_SCHEME: QrScheme = {
  id: 'tongbao',
  name: 'Tongbao',
  nameZh: '通宝',
  country: 'CN',
  countryEn: 'China',
  countryZh: '中国',
};

const RULES: SchemeRule[] = [
  { ...TONGBAO_SCHEME, guids: ['CN.TONGBAO.WALLET'] },
  {
    id: 'vietqr',
    name: 'VietQR',
    nameZh: 'VietQR',
    country: 'VN',
    countryEn: 'Vietnam',
    countryZh: '越南',
    // NAPAS, the Vietnamese interbank network.
    guids: ['A000000727'],
  },
  {
    id: 'promptpay',
    name: 'PromptPay',
    nameZh: 'PromptPay',
    country: 'TH',
    countryEn: 'Thailand',
    countryZh: '泰国',
    // …0111 credit transfer, …0112 bill payment, …0114 e-wallet (Thai QR Payment standard).
    guids: ['A000000677'],
  },
  {
    id: 'duitnow',
    name: 'DuitNow',
    nameZh: 'DuitNow',
    country: 'MY',
    countryEn: 'Malaysia',
    countryZh: '马来西亚',
    // PayNet.
    guids: ['A000000615'],
  },
  {
    id: 'paynow',
    name: 'PayNow (SGQR)',
    nameZh: 'PayNow（SGQR）',
    country: 'SG',
    countryEn: 'Singapore',
    countryZh: '新加坡',
    guids: ['SG.PAYNOW'],
  },
  {
    id: 'sgqr',
    name: 'SGQR',
    nameZh: 'SGQR',
    country: 'SG',
    countryEn: 'Singapore',
    countryZh: '新加坡',
    // Tag 51's SGQR identifier, and NETS.
    guids: ['SG.SGQR', 'SG.COM.NETS'],
  },
  {
    id: 'upi',
    name: 'UPI / BharatQR',
    nameZh: 'UPI / BharatQR',
    country: 'IN',
    countryEn: 'India',
    countryZh: '印度',
    // NPCI's registered application provider id (RuPay and UPI).
    guids: ['A000000524'],
  },
  {
    id: 'pix',
    name: 'Pix',
    nameZh: 'Pix',
    country: 'BR',
    countryEn: 'Brazil',
    countryZh: '巴西',
    guids: ['BR.GOV.BCB.PIX'],
  },
  {
    id: 'qris',
    name: 'QRIS',
    nameZh: 'QRIS',
    country: 'ID',
    countryEn: 'Indonesia',
    countryZh: '印度尼西亚',
    guids: ['ID.CO.QRIS.WWW'],
  },
  {
    id: 'fps',
    name: 'FPS (转数快)',
    nameZh: '转数快（FPS）',
    country: 'HK',
    countryEn: 'Hong Kong',
    countryZh: '中国香港',
    guids: ['HK.COM.HKICL'],
  },
  {
    id: 'unionpay',
    name: 'UnionPay',
    nameZh: '银联',
    country: 'CN',
    countryEn: 'China',
    countryZh: '中国',
    guids: ['A000000333'],
    networkTags: ['15', '16'],
  },
];

const publicScheme = ({ guids: _guids, networkTags: _tags, ...scheme }: SchemeRule): QrScheme => scheme;

/** The scheme one GUID names, or null. */
export function schemeOfGuid(guid: string | null): QrScheme | null {
  if (!guid) return null;
  const upper = guid.toUpperCase();
  const rule = RULES.find((candidate) => candidate.guids.some((prefix) => upper.startsWith(prefix)));
  return rule ? publicScheme(rule) : null;
}

/**
 * Every scheme a payload's merchant accounts name, in the payload's order (a Singapore code may
 * carry PayNow in 26 and its SGQR id in 51; a code may carry ours beside another's).
 */
export function schemesOf(payload: Pick<MpmPayload, 'merchantAccounts'>): QrScheme[] {
  const found: QrScheme[] = [];
  for (const account of payload.merchantAccounts) {
    const scheme =
      account.guid === null
        ? (RULES.filter((rule) => rule.networkTags?.includes(account.tag)).map(publicScheme)[0] ?? null)
        : schemeOfGuid(account.guid);
    if (scheme && !found.some((known) => known.id === scheme.id)) found.push(scheme);
  }
  return found;
}

/** "PromptPay (Thailand)", "PromptPay（泰国）". */
export const schemeLabel = (scheme: QrScheme, language: 'en' | 'zh'): string =>
  language === 'en' ? `${scheme.name} (${scheme.countryEn})` : `${scheme.nameZh}（${scheme.countryZh}）`;
