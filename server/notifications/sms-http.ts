import { Type } from 'typebox';
import { Value } from 'typebox/value';
import type { Clock } from '../platform/clock.js';
import { type HttpAdapterSettings, createOutboundClient } from '../platform/outbound-http.js';
import { SmsDeliveryError, type SmsGateway } from './sms.js';

/**
 * The real SMS gateway over HTTP (docs/operations.md): `POST /v1/messages` with
 * `{ phone, text, purpose }`, signed; `2xx { id }` means accepted. Any other answer, a timeout
 * or no answer is an SmsDeliveryError: the caller tells the person to try again, and a code that
 * may still arrive late is harmless (it expires and is single-use).
 */
const Accepted = Type.Object({ id: Type.String({ minLength: 1, maxLength: 128 }) });

export function createHttpSms(settings: HttpAdapterSettings, deps: { clock: Clock }): SmsGateway {
  const client = createOutboundClient(settings, deps.clock);
  return {
    async send(message) {
      let answer: Awaited<ReturnType<typeof client.call>>;
      try {
        answer = await client.call('POST', '/v1/messages', {
          phone: message.phone,
          text: message.text,
          purpose: message.purpose,
        });
      } catch (error) {
        throw new SmsDeliveryError(`SMS gateway did not answer: ${(error as Error).name}`, { cause: error });
      }
      if (answer.status < 200 || answer.status > 299)
        throw new SmsDeliveryError(`SMS gateway refused the message (HTTP ${answer.status})`);
      if (!Value.Check(Accepted, answer.body)) throw new SmsDeliveryError('SMS gateway answered without a message id');
      return { id: answer.body.id };
    },
  };
}
