import { type RollbackWith, inTransaction } from '../platform/db/transaction-result.js';
import type { AuditLog } from '../audit/service.js';
import type { Db } from '../platform/db/types.js';
import type { Clock } from '../platform/clock.js';
import type { Result } from '../platform/result.js';
import { DEFAULT_ARTICLES } from './help-defaults.js';
import * as store from './store-help.js';

/**
 * The help centre: articles kept as data, every edit a new version (who and when), the first
 * edition written on first use. Search is a plain match over both languages: nine to a few dozen
 * articles need no index.
 */

export type HelpError =
  { code: 'HELP_ARTICLE_NOT_FOUND' } | { code: 'HELP_ARTICLE_VERSION_CONFLICT'; currentVersion: number };

export type ArticleInput = store.ArticleContent & { category: string };

const searchable = (row: store.ArticleRow) =>
  [
    row.content.titleZh,
    row.content.titleEn,
    row.content.summaryZh,
    row.content.summaryEn,
    row.content.bodyZh,
    row.content.bodyEn,
    ...row.content.keywords,
  ]
    .join('\n')
    .toLowerCase();

export function createHelp(deps: { db: Db; clock: Clock; audit: AuditLog }) {
  const { db, clock } = deps;
  let seeded: Promise<void> | null = null;

  /** Writes the first edition once per database; concurrent or repeated calls are no-ops. */
  function ensureSeeded(): Promise<void> {
    seeded ??= (async () => {
      if ((await store.listArticles(db)).length > 0) return;
      const now = clock.now();
      for (const article of DEFAULT_ARTICLES) {
        await db.transaction((tx) =>
          store.saveArticle(tx, { ...article, version: 1, updated_by: 'system', updated_at: now }, { create: true }),
        );
      }
    })().catch((error) => {
      seeded = null;
      throw error;
    });
    return seeded;
  }

  return {
    ensureSeeded,

    async search(query: { q?: string; category?: string }): Promise<store.ArticleRow[]> {
      await ensureSeeded();
      const words = (query.q ?? '').toLowerCase().split(/\s+/).filter(Boolean);
      return (await store.listArticles(db)).filter(
        (row) =>
          (!query.category || row.category === query.category) && words.every((word) => searchable(row).includes(word)),
      );
    },

    async get(slug: string): Promise<store.ArticleRow | null> {
      await ensureSeeded();
      return store.findArticle(db, slug);
    },

    /** Saves a new version when `expectedVersion` is the current one (0 creates the article). */
    async save(
      staff: { id: string; ip?: string; requestId?: string },
      slug: string,
      input: ArticleInput,
      expectedVersion: number,
    ): Promise<Result<store.ArticleRow, HelpError>> {
      await ensureSeeded();
      const { category, ...content } = input;
      return inTransaction(db, async (tx, rollback: RollbackWith<HelpError>) => {
        const current = await store.findArticle(tx, slug, true);
        const currentVersion = current?.version ?? 0;
        if (currentVersion !== expectedVersion)
          return rollback({ code: 'HELP_ARTICLE_VERSION_CONFLICT', currentVersion });
        const row = {
          slug,
          category,
          version: currentVersion + 1,
          content,
          updated_by: staff.id,
          updated_at: clock.now(),
        };
        const saved = await store.saveArticle(tx, row, { create: !current });
        if (!saved) return rollback({ code: 'HELP_ARTICLE_VERSION_CONFLICT', currentVersion: 1 });
        await deps.audit.record(tx, {
          actorKind: 'staff',
          actorId: staff.id,
          action: current ? 'support.article_saved' : 'support.article_created',
          subjectType: 'help_article',
          subjectId: slug,
          details: { version: row.version, category, titleZh: content.titleZh, titleEn: content.titleEn },
          ip: staff.ip,
          requestId: staff.requestId,
        });
        return row;
      });
    },

    /** One saved version in full (to read an older one, or to start an edit from it). */
    async version(slug: string, version: number): Promise<store.ArticleVersionRow | null> {
      await ensureSeeded();
      return store.findVersion(db, slug, version);
    },

    /** Every saved version, newest first; empty when there is no such article. */
    async versions(slug: string): Promise<store.ArticleVersionRow[]> {
      await ensureSeeded();
      return store.listVersions(db, slug);
    },
  };
}

export type Help = ReturnType<typeof createHelp>;
