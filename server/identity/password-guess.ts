import { type GuessLocked, guessRight, reserveGuess } from '../platform/throttle.js';
import { type Result, err, ok } from '../platform/result.js';
import { type IdentityContext, verifySecret } from './deps.js';
import * as store from './store.js';

/**
 * Checks a signed-in holder's login password (password change, first PIN): each guess counts
 * against the same lock as sign-in, counted under the row lock before argon2 runs, so parallel
 * guesses with a stolen session stop at the lock like sequential ones.
 */
export async function checkPasswordGuess(
  ctx: IdentityContext,
  user: store.UserRow,
  password: string,
): Promise<Result<true, { code: 'PASSWORD_INVALID' } | GuessLocked>> {
  const counter = store.passwordGuessCounter(user.id);
  const reserved = await reserveGuess(ctx.db, ctx.clock.now(), counter);
  if (!reserved.ok) return reserved;
  if (await verifySecret(user.password_hash, password.slice(0, 256))) {
    await guessRight(ctx.db, counter);
    return ok(true);
  }
  if (reserved.value.lockStarted) {
    await ctx.notifications.notify(user.id, {
      kind: 'security.login_locked',
      titleZh: '账户登录已锁定',
      titleEn: 'Sign-in locked',
      bodyZh: '您的登录密码多次输入错误，账户已暂时锁定。如非本人操作，请立即冻结账户。',
      bodyEn:
        'Your password was entered wrongly several times and your account is locked for a while. If this was not ' +
        'you, freeze your wallet now.',
      smsTo: ctx.cipher.decrypt(user.phone_enc),
    });
  }
  return err({ code: 'PASSWORD_INVALID' });
}
