import type { Logger } from 'pino';
import { readOutbox } from '../notifications/sms.js';
import type { Services } from '../services.js';
import { sandboxCardNumber } from '../wallet/bin-table.js';
import type { Db } from '../platform/db/types.js';

/**
 * The demo's first holder (张伟) gets a linked sandbox debit card, so top-up and withdraw can be
 * tried at once; the same number is printed under the start banner for linking it elsewhere. It is
 * linked the way a holder links one: the sandbox bank texts a code, the code confirms the card.
 */
export const DEMO_CARD_NUMBER = sandboxCardNumber('622202', '8888', 20260001);

export async function ensureDemoCard(
  services: Services,
  db: Db,
  holder: { userId: string; name: string; phone: string },
  logger?: Logger,
): Promise<void> {
  const cards = await services.wallet.cards.list(holder.userId);
  if (cards.some((card) => card.status === 'active')) return;
  const started = await services.wallet.cards.startBinding(holder.userId, {
    cardNumber: DEMO_CARD_NUMBER,
    holderName: holder.name,
    reservedPhone: holder.phone,
    nickname: '演示卡',
  });
  if (!started.ok) {
    logger?.warn({ code: started.error.code }, 'demo card not linked');
    return;
  }
  const [message] = await readOutbox(db, services.identity.ctx.cipher, { phone: holder.phone, limit: 1 });
  const code = /验证码(\d{6})/.exec(message?.text ?? '')?.[1];
  if (!code) {
    logger?.warn('demo card not linked: no bank code in the outbox');
    return;
  }
  const confirmed = await services.wallet.cards.confirmBinding(holder.userId, started.value.id, code);
  if (!confirmed.ok) logger?.warn({ code: confirmed.error.code }, 'demo card not confirmed');
}
