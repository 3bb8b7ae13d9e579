import type { Queryable } from '../platform/db/types.js';

export interface MaintenanceWindow {
  id: string;
  feature: string;
  startsAt: Date;
  endsAt: Date;
  titleZh: string;
  titleEn: string;
  messageZh: string;
  messageEn: string;
  createdBy: string;
  createdAt: Date;
  endedEarlyAt: Date | null;
}

interface Row {
  id: string;
  feature: string;
  starts_at: Date;
  ends_at: Date;
  title_zh: string;
  title_en: string;
  message_zh: string;
  message_en: string;
  created_by: string;
  created_at: Date;
  ended_early_at: Date | null;
}

const fromRow = (row: Row): MaintenanceWindow => ({
  id: row.id,
  feature: row.feature,
  startsAt: row.starts_at,
  endsAt: row.ends_at,
  titleZh: row.title_zh,
  titleEn: row.title_en,
  messageZh: row.message_zh,
  messageEn: row.message_en,
  createdBy: row.created_by,
  createdAt: row.created_at,
  endedEarlyAt: row.ended_early_at,
});

export async function insertWindow(
  db: Queryable,
  window: Omit<MaintenanceWindow, 'endedEarlyAt'>,
): Promise<MaintenanceWindow> {
  const { rows } = await db.query<Row>(
    `INSERT INTO maintenance_windows (id, feature, starts_at, ends_at, title_zh, title_en, message_zh, message_en,
      created_by, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING *`,
    [
      window.id,
      window.feature,
      window.startsAt,
      window.endsAt,
      window.titleZh,
      window.titleEn,
      window.messageZh,
      window.messageEn,
      window.createdBy,
      window.createdAt,
    ],
  );
  return fromRow(rows[0]);
}

/** Windows that have not ended yet (open now or upcoming), soonest first. */
export async function listCurrentAndUpcoming(db: Queryable, now: Date, limit: number): Promise<MaintenanceWindow[]> {
  const { rows } = await db.query<Row>(
    `SELECT * FROM maintenance_windows WHERE ends_at > $1 ORDER BY starts_at, id LIMIT $2`,
    [now, limit],
  );
  return rows.map(fromRow);
}

export async function endWindowEarly(db: Queryable, id: string, now: Date): Promise<MaintenanceWindow | null> {
  const { rows } = await db.query<Row>(
    `UPDATE maintenance_windows SET starts_at = LEAST(starts_at, $2::timestamptz - interval '1 millisecond'), ends_at
      = $2, ended_early_at = $2
     WHERE id = $1 AND ends_at > $2 RETURNING *`,
    [id, now],
  );
  return rows[0] ? fromRow(rows[0]) : null;
}
