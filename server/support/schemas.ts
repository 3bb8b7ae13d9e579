import { Type } from 'typebox';
import { RECORD_KINDS, TICKET_CATEGORIES, TICKET_STATUSES } from './types.js';

/** TypeBox schemas of the support API, shared by its routes files. */

const Str = Type.String();
const Nullable = <T extends ReturnType<typeof Type.String>>(schema: T) => Type.Union([schema, Type.Null()]);
const NullStr = Nullable(Type.String());

export const Category = Type.Union(TICKET_CATEGORIES.map((c) => Type.Literal(c)));
export const Status = Type.Union(TICKET_STATUSES.map((s) => Type.Literal(s)));
export const LinkedRecordSchema = Type.Object(
  { kind: Type.Union(RECORD_KINDS.map((k) => Type.Literal(k))), id: Type.String({ minLength: 1, maxLength: 64 }) },
  { additionalProperties: false },
);
export const TicketParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
export const AttachmentParams = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 64 }),
  attachmentId: Type.String({ minLength: 1, maxLength: 64 }),
});
export const Text = Type.String({ minLength: 1, maxLength: 4000 });
export const Reason = Type.String({ minLength: 2, maxLength: 500 });

export const TicketSchema = Type.Object({
  id: Str,
  category: Str,
  subject: Str,
  status: Str,
  complaint: Type.Boolean(),
  createdAt: Str,
  updatedAt: Str,
  acknowledgedAt: NullStr,
  sla: Type.Union([
    Type.Object({
      dueAt: Str,
      complex: Type.Boolean(),
      complexReason: NullStr,
      decidedAt: NullStr,
      breached: Type.Boolean(),
      daysLeft: Type.Integer(),
    }),
    Type.Null(),
  ]),
  decision: Type.Union([Type.Object({ text: Str, escalationZh: Str, escalationEn: Str, decidedAt: Str }), Type.Null()]),
  linkedRecords: Type.Array(Type.Object({ kind: Str, id: Str })),
  rating: Type.Union([Type.Object({ score: Type.Integer(), comment: NullStr }), Type.Null()]),
  unreadForHolder: Type.Integer(),
  disputeId: NullStr,
});

export const StaffTicketSchema = Type.Object({
  ...TicketSchema.properties,
  userId: Str,
  holderName: NullStr,
  holderPhone: NullStr,
  assigneeId: NullStr,
  assigneeName: NullStr,
  escalated: Type.Boolean(),
  escalationReason: NullStr,
  customerPath: Str,
  lastMessageAt: Str,
  firstReplyAt: NullStr,
});

export const MessageSchema = Type.Object({
  id: Str,
  ticketId: Str,
  author: Str,
  authorName: NullStr,
  text: Str,
  internal: Type.Boolean(),
  attachment: Type.Union([
    Type.Object({
      id: Str,
      contentType: Str,
      sizeBytes: Type.Integer(),
      fileName: Str,
      createdAt: Str,
      url: Str,
    }),
    Type.Null(),
  ]),
  createdAt: Str,
});

const Action = Type.Object({ labelZh: Str, labelEn: Str, path: Str });
export const ArticleSummarySchema = Type.Object({
  slug: Str,
  category: Str,
  titleZh: Str,
  titleEn: Str,
  summaryZh: Str,
  summaryEn: Str,
  version: Type.Integer(),
  updatedAt: Str,
});
export const ArticleSchema = Type.Object({
  ...ArticleSummarySchema.properties,
  bodyZh: Str,
  bodyEn: Str,
  keywords: Type.Array(Str),
  actions: Type.Array(Action),
});
export const ArticleBody = Type.Object(
  {
    category: Type.String({ minLength: 1, maxLength: 40, pattern: '^[a-z_]+$' }),
    titleZh: Type.String({ minLength: 1, maxLength: 120 }),
    titleEn: Type.String({ minLength: 1, maxLength: 160 }),
    summaryZh: Type.String({ maxLength: 300 }),
    summaryEn: Type.String({ maxLength: 400 }),
    bodyZh: Type.String({ minLength: 1, maxLength: 8000 }),
    bodyEn: Type.String({ minLength: 1, maxLength: 12000 }),
    keywords: Type.Array(Type.String({ minLength: 1, maxLength: 40 }), { maxItems: 30 }),
    actions: Type.Array(
      Type.Object(
        {
          labelZh: Type.String({ minLength: 1, maxLength: 40 }),
          labelEn: Type.String({ minLength: 1, maxLength: 60 }),
          path: Type.String({ minLength: 1, maxLength: 200, pattern: '^/[^/]' }),
        },
        { additionalProperties: false },
      ),
      { maxItems: 5 },
    ),
    expectedVersion: Type.Integer({ minimum: 0 }),
  },
  { additionalProperties: false },
);
