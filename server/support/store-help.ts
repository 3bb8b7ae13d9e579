import type { Queryable } from '../platform/db/types.js';

/** Help-centre articles: the current version of each, and every version ever saved. */

export interface ArticleContent {
  titleZh: string;
  titleEn: string;
  summaryZh: string;
  summaryEn: string;
  bodyZh: string;
  bodyEn: string;
  keywords: string[];
  actions: { labelZh: string; labelEn: string; path: string }[];
}

export interface ArticleRow {
  slug: string;
  category: string;
  version: number;
  content: ArticleContent;
  updated_by: string;
  updated_at: Date;
}

export interface ArticleVersionRow {
  slug: string;
  version: number;
  category: string;
  content: ArticleContent;
  edited_by: string;
  edited_at: Date;
}

export async function listArticles(q: Queryable): Promise<ArticleRow[]> {
  const { rows } = await q.query<ArticleRow>(`SELECT * FROM help_articles ORDER BY category, slug`);
  return rows;
}

export async function findArticle(q: Queryable, slug: string, forUpdate = false): Promise<ArticleRow | null> {
  const { rows } = await q.query<ArticleRow>(
    `SELECT * FROM help_articles WHERE slug = $1${forUpdate ? ' FOR UPDATE' : ''}`,
    [slug],
  );
  return rows[0] ?? null;
}

/** Writes version `version` of an article (1 creates it); a seeded article already there is left alone. */
export async function saveArticle(
  q: Queryable,
  row: ArticleRow,
  options: { create: boolean; ifMissing?: boolean },
): Promise<boolean> {
  const content = JSON.stringify(row.content);
  if (options.create) {
    const inserted = await q.query(
      `INSERT INTO help_articles (slug, category, version, content, updated_by, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (slug) DO NOTHING`,
      [row.slug, row.category, row.version, content, row.updated_by, row.updated_at],
    );
    if (inserted.rowCount === 0) return false;
  } else {
    await q.query(
      `UPDATE help_articles SET category = $2, version = $3, content = $4, updated_by = $5, updated_at = $6
        WHERE slug = $1`,
      [row.slug, row.category, row.version, content, row.updated_by, row.updated_at],
    );
  }
  await q.query(
    `INSERT INTO help_article_versions (slug, version, category, content, edited_by, edited_at)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [row.slug, row.version, row.category, content, row.updated_by, row.updated_at],
  );
  return true;
}

export async function listVersions(q: Queryable, slug: string): Promise<ArticleVersionRow[]> {
  const { rows } = await q.query<ArticleVersionRow>(
    `SELECT * FROM help_article_versions WHERE slug = $1 ORDER BY version DESC LIMIT 100`,
    [slug],
  );
  return rows;
}

export async function findVersion(q: Queryable, slug: string, version: number): Promise<ArticleVersionRow | null> {
  const { rows } = await q.query<ArticleVersionRow>(
    `SELECT * FROM help_article_versions WHERE slug = $1 AND version = $2`,
    [slug, version],
  );
  return rows[0] ?? null;
}
