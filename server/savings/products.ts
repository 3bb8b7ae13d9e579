import type { ApprovalRow } from '../approvals/service.js';
import type { Party } from '../approvals/service.js';
import { shanghaiDay } from '../platform/clock.js';
import { type Result, err, ok } from '../platform/result.js';
import { addDays } from './calendar.js';
import {
  type ProductKind,
  type ProductTerms,
  RISK_LEVELS,
  SAVINGS_TIERS,
  SEED_EFFECTIVE_AT,
  SEED_PRODUCTS,
} from './catalogue.js';
import type { SavingsContext, SavingsError } from './deps.js';
import { parseE4 } from './rules.js';
import * as store from './store.js';
import type { FundDayRow, ProductRow } from './store.js';

/**
 * The catalogue: products in effect now, their yield series, and staff changes. A change is asked
 * for by one member of staff and approved by another (server/approvals); approving writes a new
 * version in effect from the stated time. Versions are never edited.
 */

export const PRODUCT_CHANGE = 'savings.product_change' as const;

export interface TextChange {
  zh: string;
  en: string;
}

/** What staff may change; amounts as fen numbers, rates as percent strings ("1.4500"). */
export interface ProductChanges {
  name?: TextChange;
  riskLevel?: string;
  status?: 'on_sale' | 'closed';
  minimumAmount?: number;
  reviewThreshold?: number;
  annualRatePct?: string;
  demandRatePct?: string;
  fees?: TextChange;
  riskWarning?: TextChange;
  manual?: TextChange;
  minTier?: string;
  fastRedeem?: boolean;
}

export interface NewProduct {
  id: string;
  kind: ProductKind;
  code: string;
  fundCode: string | null;
  termMonths: number | null;
  changes: ProductChanges;
}

function applyChanges(base: ProductTerms, changes: ProductChanges, kind: ProductKind): Result<ProductTerms, string> {
  const terms: ProductTerms = { ...base };
  if (changes.name) terms.name = changes.name;
  if (changes.riskLevel !== undefined) {
    if (!(RISK_LEVELS as readonly string[]).includes(changes.riskLevel)) return err('riskLevel');
    terms.riskLevel = changes.riskLevel as ProductTerms['riskLevel'];
  }
  if (changes.status) terms.status = changes.status;
  if (changes.minimumAmount !== undefined) terms.minimumFen = String(changes.minimumAmount);
  if (changes.reviewThreshold !== undefined) terms.reviewThresholdFen = String(changes.reviewThreshold);
  for (const [field, key] of [
    ['annualRatePct', 'rateE4'],
    ['demandRatePct', 'demandRateE4'],
  ] as const) {
    const value = changes[field];
    if (value === undefined) continue;
    if (kind !== 'term_deposit') return err(field);
    const parsed = parseE4(value);
    if (parsed === null || parsed > 1_000_000n) return err(field);
    terms[key] = parsed.toString();
  }
  if (changes.fees) terms.fees = changes.fees;
  if (changes.riskWarning) terms.riskWarning = changes.riskWarning;
  if (changes.manual) terms.manual = changes.manual;
  if (changes.minTier !== undefined) {
    if (!(SAVINGS_TIERS as readonly string[]).includes(changes.minTier)) return err('minTier');
    terms.minTier = changes.minTier as ProductTerms['minTier'];
  }
  if (changes.fastRedeem !== undefined) {
    if (kind !== 'fund' && changes.fastRedeem) return err('fastRedeem');
    terms.fastRedeem = changes.fastRedeem;
  }
  return ok(terms);
}

export function createProducts(ctx: SavingsContext) {
  const { db, clock } = ctx;
  let seeded: Promise<void> | null = null;

  /** Puts the seed products in a new database (once; a second process finds them there). */
  function ensureSeeded(): Promise<void> {
    seeded ??= (async () => {
      for (const seed of SEED_PRODUCTS) {
        await db.transaction(async (tx) => {
          const created = await store.insertProduct(tx, { ...seed, createdAt: SEED_EFFECTIVE_AT });
          if (created)
            await store.insertVersion(tx, {
              productId: seed.id,
              version: 1,
              effectiveAt: SEED_EFFECTIVE_AT,
              terms: seed.terms,
              approvalId: null,
              createdAt: SEED_EFFECTIVE_AT,
            });
        });
      }
    })().catch((error) => {
      seeded = null;
      throw error;
    });
    return seeded;
  }

  async function list(at = clock.now()): Promise<ProductRow[]> {
    await ensureSeeded();
    return store.productsInEffect(db, at);
  }

  async function get(id: string, at = clock.now()): Promise<ProductRow | null> {
    await ensureSeeded();
    return (await store.productsInEffect(db, at, id))[0] ?? null;
  }

  async function latestYield(product: ProductRow): Promise<FundDayRow | null> {
    return product.fund_code ? store.latestFundDay(db, product.fund_code) : null;
  }

  async function yields(product: ProductRow, range: '7d' | '1m' | '3m'): Promise<FundDayRow[]> {
    if (!product.fund_code) return [];
    const today = shanghaiDay(clock.now());
    const back = range === '7d' ? 7 : range === '1m' ? 30 : 91;
    return store.fundDays(db, product.fund_code, addDays(today, -back), addDays(today, -1));
  }

  function validEffective(effectiveAt: Date): SavingsError | null {
    if (Number.isNaN(effectiveAt.getTime())) return { code: 'SAVINGS_CHANGE_INVALID', field: 'effectiveAt' };
    if (effectiveAt < clock.now()) return { code: 'SAVINGS_EFFECTIVE_IN_PAST' };
    return null;
  }

  /** The maker asks for a change of an existing product; nothing changes until approved. */
  async function proposeChange(
    productId: string,
    input: { changes: ProductChanges; effectiveAt: Date; reason: string },
    maker: Party,
  ): Promise<Result<ApprovalRow, SavingsError>> {
    const product = await get(productId);
    if (!product) return err({ code: 'SAVINGS_PRODUCT_NOT_FOUND' });
    const invalid = validEffective(input.effectiveAt);
    if (invalid) return err(invalid);
    const terms = applyChanges(product.terms, input.changes, product.kind);
    if (!terms.ok) return err({ code: 'SAVINGS_CHANGE_INVALID', field: terms.error });
    if (Object.keys(input.changes).length === 0) return err({ code: 'SAVINGS_CHANGE_INVALID', field: 'changes' });
    const asked = await ctx.approvals.request(
      {
        kind: PRODUCT_CHANGE,
        subjectType: 'savings_product',
        subjectId: productId,
        payload: { productId, changes: input.changes, effectiveAt: input.effectiveAt.toISOString() },
        reason: input.reason,
      },
      maker,
    );
    return asked.ok ? ok(asked.value) : err(asked.error as SavingsError);
  }

  /** The maker asks for a new product, with its full terms. */
  async function proposeProduct(
    input: NewProduct & { effectiveAt: Date; reason: string },
    maker: Party,
  ): Promise<Result<ApprovalRow, SavingsError>> {
    await ensureSeeded();
    const invalid = validEffective(input.effectiveAt);
    if (invalid) return err(invalid);
    if (await store.findProductBase(db, input.id)) return err({ code: 'SAVINGS_CHANGE_INVALID', field: 'id' });
    const built = buildNewTerms(input);
    if (!built.ok) return err({ code: 'SAVINGS_CHANGE_INVALID', field: built.error });
    const asked = await ctx.approvals.request(
      {
        kind: PRODUCT_CHANGE,
        subjectType: 'savings_product',
        subjectId: input.id,
        payload: {
          productId: input.id,
          newProduct: { kind: input.kind, code: input.code, fundCode: input.fundCode, termMonths: input.termMonths },
          changes: input.changes,
          effectiveAt: input.effectiveAt.toISOString(),
        },
        reason: input.reason,
      },
      maker,
    );
    return asked.ok ? ok(asked.value) : err(asked.error as SavingsError);
  }

  ctx.approvals.register(PRODUCT_CHANGE, {
    approverRoles: ['admin'],
    operatorsMayApprove: false,
    async apply(tx, request) {
      const payload = request.payload as {
        productId: string;
        newProduct?: { kind: ProductKind; code: string; fundCode: string | null; termMonths: number | null };
        changes: ProductChanges;
        effectiveAt: string;
      };
      const now = clock.now();
      let base: ProductTerms;
      if (payload.newProduct) {
        const built = buildNewTerms({ id: payload.productId, ...payload.newProduct, changes: payload.changes });
        if (!built.ok) return err({ code: 'SAVINGS_CHANGE_INVALID', field: built.error });
        const created = await store.insertProduct(tx, {
          id: payload.productId,
          kind: payload.newProduct.kind,
          code: payload.newProduct.code,
          fundCode: payload.newProduct.fundCode,
          createdAt: now,
        });
        if (!created) return err({ code: 'SAVINGS_CHANGE_INVALID', field: 'id' });
        base = built.value;
      } else {
        const product = await store.findProductBase(tx, payload.productId, true);
        if (!product) return err({ code: 'SAVINGS_PRODUCT_NOT_FOUND' });
        const versions = await store.productVersions(tx, payload.productId);
        const latest = versions[versions.length - 1];
        const applied = applyChanges(latest.terms, payload.changes, product.kind);
        if (!applied.ok) return err({ code: 'SAVINGS_CHANGE_INVALID', field: applied.error });
        base = applied.value;
      }
      const version = (await store.maxVersion(tx, payload.productId)) + 1;
      // A change approved after its stated time takes effect when approved.
      const stated = new Date(payload.effectiveAt);
      const effectiveAt = stated < now ? now : stated;
      await store.insertVersion(tx, {
        productId: payload.productId,
        version,
        effectiveAt,
        terms: base,
        approvalId: request.id,
        createdAt: now,
      });
      return ok({ productId: payload.productId, version, effectiveAt: effectiveAt.toISOString() });
    },
  });

  return { ensureSeeded, list, get, latestYield, yields, proposeChange, proposeProduct, versions: productVersions };

  async function productVersions(id: string): Promise<ProductRow[]> {
    await ensureSeeded();
    return store.productVersions(db, id);
  }
}

function buildNewTerms(input: NewProduct): Result<ProductTerms, string> {
  if (!/^[A-Z0-9-]{2,20}$/.test(input.code)) return err('code');
  if (!/^svp_[0-9a-z_]{2,30}$/.test(input.id)) return err('id');
  if (input.kind === 'fund' && !input.fundCode) return err('fundCode');
  if (input.kind === 'term_deposit' && ![3, 6, 12, 24, 36, 60].includes(input.termMonths ?? 0))
    return err('termMonths');
  const c = input.changes;
  if (!c.name || !c.riskLevel || c.minimumAmount === undefined || !c.fees || !c.riskWarning || !c.manual)
    return err('changes');
  if (input.kind === 'term_deposit' && (!c.annualRatePct || !c.demandRatePct)) return err('annualRatePct');
  const blank: ProductTerms = {
    name: c.name,
    riskLevel: 'R1',
    status: 'on_sale',
    minimumFen: '0',
    fastRedeem: false,
    termMonths: input.kind === 'term_deposit' ? input.termMonths : null,
    rateE4: null,
    demandRateE4: null,
    fees: c.fees,
    riskWarning: c.riskWarning,
    manual: c.manual,
    reviewThresholdFen: '5000000',
    minTier: 'verified',
  };
  return applyChanges(blank, c, input.kind);
}

export type Products = ReturnType<typeof createProducts>;
