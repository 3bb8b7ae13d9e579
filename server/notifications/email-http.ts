import { Type } from 'typebox';
import { Value } from 'typebox/value';
import type { Clock } from '../platform/clock.js';
import { type HttpAdapterSettings, createOutboundClient } from '../platform/outbound-http.js';
import { EmailDeliveryError, type EmailGateway } from './email.js';

/**
 * The real e-mail gateway over HTTP (docs/operations.md): `POST /v1/emails` with
 * `{ to, subject, text, purpose }`, signed; `2xx { id }` means accepted. Any other answer, a timeout
 * or no answer is an EmailDeliveryError (a code that arrives late anyway is harmless: it expires
 * and is single-use).
 */
const Accepted = Type.Object({ id: Type.String({ minLength: 1, maxLength: 128 }) });

export function createHttpEmail(settings: HttpAdapterSettings, deps: { clock: Clock }): EmailGateway {
  const client = createOutboundClient(settings, deps.clock);
  return {
    async send(message) {
      let answer: Awaited<ReturnType<typeof client.call>>;
      try {
        answer = await client.call('POST', '/v1/emails', {
          to: message.to,
          subject: message.subject,
          text: message.text,
          purpose: message.purpose,
        });
      } catch (error) {
        throw new EmailDeliveryError(`e-mail gateway did not answer: ${(error as Error).name}`, { cause: error });
      }
      if (answer.status < 200 || answer.status > 299)
        throw new EmailDeliveryError(`e-mail gateway refused the message (HTTP ${answer.status})`);
      if (!Value.Check(Accepted, answer.body)) throw new EmailDeliveryError('e-mail gateway answered without an id');
      return { id: answer.body.id };
    },
  };
}
