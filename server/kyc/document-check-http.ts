import { Type } from 'typebox';
import { Value } from 'typebox/value';
import type { Clock } from '../platform/clock.js';
import { type HttpAdapterSettings, OutboundTimeout, createOutboundClient } from '../platform/outbound-http.js';
import { err, ok } from '../platform/result.js';
import type { DocumentCheckAdapter, DocumentPage } from './adapter.js';

/**
 * The real identity-document check over HTTP (docs/operations.md): `POST /v1/checks`, signed,
 * with the pages and selfie as base64 and the claimed identity; `idempotency-key` is
 * `<reference>:<attempt>`. A `200` report is checked against the schema below before we believe
 * it; a timeout is TIMEOUT and anything else (5xx, 4xx, a malformed report, no answer) is
 * UNAVAILABLE, so the submission stays in 'checking' for the recheck job.
 */
const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });
const Report = Type.Object({
  quality: Type.Union([Type.Literal('clear'), Type.Literal('unclear'), Type.Literal('uncertain')]),
  fields: Type.Object({
    name: Type.String({ maxLength: 100 }),
    documentNumber: Type.String({ maxLength: 40 }),
    birthDate: Day,
    expiresOn: Type.Union([Day, Type.Null()]),
  }),
  faceMatchScore: Type.Number({ minimum: 0, maximum: 1 }),
});

const page = (p: DocumentPage) => ({ side: p.side, contentType: p.contentType, data: p.bytes.toString('base64') });

export function createHttpDocumentCheck(settings: HttpAdapterSettings, deps: { clock: Clock }): DocumentCheckAdapter {
  const client = createOutboundClient(settings, deps.clock);
  return {
    async check(request) {
      const body = {
        reference: request.reference,
        attempt: request.attempt,
        documentType: request.documentType,
        pages: request.pages.map(page),
        selfie: page(request.selfie),
        claimed: request.claimed,
      };
      try {
        const answer = await client.call('POST', '/v1/checks', body, {
          idempotencyKey: `${request.reference}:${request.attempt}`,
        });
        if (answer.status !== 200 || !Value.Check(Report, answer.body)) return err({ code: 'UNAVAILABLE' });
        const report = answer.body;
        return ok({ quality: report.quality, fields: { ...report.fields }, faceMatchScore: report.faceMatchScore });
      } catch (error) {
        return err({ code: error instanceof OutboundTimeout ? 'TIMEOUT' : 'UNAVAILABLE' });
      }
    },
  };
}
