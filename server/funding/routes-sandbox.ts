import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { Amount } from '../platform/http/schemas.js';
import { problemFrom } from '../platform/http/problem-error.js';
import { fenFromJson, fenToJson, formatFen } from '../platform/money.js';
import { InterbankUnavailable, ONLINE_BANKS } from './network.js';
import type { InterbankSandbox } from './network-sandbox.js';
import type { FundingService } from './service.js';

/**
 * The interbank sandbox as a developer and a demo drive it: the sandbox bank's online-banking page
 * (served whenever the sandbox runs, so staging has it too), and in development only the controls
 * that make another bank send a transfer, deliver late ones, or take the network down.
 */

const escape = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

function bankPage(input: { ref: string; bank: string; amount: string; decided: string | null }): string {
  const form = input.decided
    ? `<p class="done">此付款已${input.decided === 'paid' ? '支付' : '取消'} · This payment was already ${input.decided}.</p>`
    : `<form method="post" action="/sandbox/interbank/pay/${escape(input.ref)}">
  <label>网银用户名 · Online banking user<input name="user" value="sandbox-user" autocomplete="off"></label>
  <label>登录密码 · Password<input name="password" type="password" value="sandbox"></label>
  <label>到账通知 · Notification (sandbox)
    <select name="notify">
      <option value="once">正常通知一次 · Notify once</option>
      <option value="twice">重复通知 · Notify twice</option>
      <option value="never">不通知（仅查询）· Never notify (status query only)</option>
    </select></label>
  <button name="action" value="pay" class="pay">登录并支付 · Log in and pay</button>
  <button name="action" value="cancel" class="cancel">取消 · Cancel</button>
</form>
<script>
// A real bank lives on another origin and never sees the wallet's cookies: post without them.
document.querySelector('form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const body = new URLSearchParams(new FormData(event.target, event.submitter));
  const answer = await fetch(event.target.getAttribute('action'), { method: 'POST', credentials: 'omit', body,
    headers: { accept: 'application/json' } });
  const json = await answer.json();
  if (json.returnTo) location.assign(json.returnTo);
  else document.querySelector('main').insertAdjacentText('beforeend', json.title || 'error');
});
</script>`;
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>沙箱银行 · Sandbox bank</title>
<style>body{font-family:system-ui,sans-serif;margin:0;background:#f4f1e8;color:#222}
.banner{background:#b00020;color:#fff;padding:8px 12px;font-weight:600;text-align:center}
main{max-width:420px;margin:0 auto;padding:16px}h1{font-size:20px}.amount{font-size:32px;font-weight:700}
label{display:block;margin:12px 0;font-size:14px}input,select{display:block;width:100%;box-sizing:border-box;
padding:10px;margin-top:4px;font-size:16px}button{width:100%;padding:12px;font-size:16px;margin-top:8px;border:0;
border-radius:6px}.pay{background:#1d5c3a;color:#fff}.cancel{background:#ddd}.done{padding:12px;background:#fff}</style>
</head><body><div class="banner">沙箱银行 · SANDBOX BANK — 测试环境，不会扣款 · test only, no real money</div>
<main><h1>${escape(input.bank)} 网上银行（沙箱）</h1><p>通宝钱包充值 · Tongbao wallet top-up</p>
<p class="amount">${escape(input.amount)}</p>${form}</main></body></html>`;
}

export function interbankSandboxPageRoutes(sandbox: InterbankSandbox) {
  return async (app: FastifyInstance) => {
    app.get<{ Params: { ref: string } }>(
      '/sandbox/interbank/pay/:ref',
      { schema: { hide: true, params: Type.Object({ ref: Type.String({ maxLength: 64 }) }) } },
      async (request, reply) => {
        const payment = await sandbox.payment(request.params.ref);
        if (!payment) throw problemFrom({ code: 'SANDBOX_PAYMENT_NOT_FOUND' });
        const bank = ONLINE_BANKS.find((b) => b.code === payment.bank_code);
        const page = bankPage({
          ref: payment.network_ref,
          bank: bank ? `${bank.nameZh} ${bank.nameEn}` : payment.bank_code,
          amount: formatFen(BigInt(payment.amount)),
          decided: payment.status === 'created' ? null : payment.status,
        });
        return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(page);
      },
    );

    await app.register(async (scope) => {
      scope.addContentTypeParser(
        'application/x-www-form-urlencoded',
        { parseAs: 'string', bodyLimit: 4 * 1024 },
        (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(body as string))),
      );
      scope.post<{ Params: { ref: string }; Body: { action: 'pay' | 'cancel'; notify?: 'once' | 'twice' | 'never' } }>(
        '/sandbox/interbank/pay/:ref',
        {
          schema: {
            hide: true,
            params: Type.Object({ ref: Type.String({ maxLength: 64 }) }),
            body: Type.Object({
              action: Type.Union([Type.Literal('pay'), Type.Literal('cancel')]),
              notify: Type.Optional(Type.Union([Type.Literal('once'), Type.Literal('twice'), Type.Literal('never')])),
            }),
          },
        },
        async (request, reply) => {
          const decided = await sandbox.decide(request.params.ref, request.body.action, request.body.notify ?? 'once');
          if (!decided) throw problemFrom({ code: 'SANDBOX_PAYMENT_NOT_FOUND' });
          // The page's script asks for JSON (it posts without the wallet's cookies); a plain form gets a redirect.
          if (request.headers.accept?.includes('application/json')) return { returnTo: decided.returnTo };
          return reply.redirect(decided.returnTo, 303);
        },
      );
    });
  };
}

const TransferBody = Type.Object(
  {
    accountNumber: Type.String({ pattern: '^[0-9]{10,32}$' }),
    payerName: Type.String({ minLength: 1, maxLength: 64 }),
    payerBank: Type.Union(ONLINE_BANKS.map((bank) => Type.Literal(bank.code))),
    payerAccount: Type.String({ pattern: '^[0-9]{8,32}$' }),
    amount: Amount,
    behaviour: Type.Optional(Type.Union([Type.Literal('normal'), Type.Literal('duplicate'), Type.Literal('late')])),
  },
  { additionalProperties: false },
);

/** Development only (never registered in production): another bank sends a transfer, and the network misbehaves. */
export function interbankDevRoutes(funding: FundingService) {
  return async (app: FastifyInstance) => {
    const sandbox = funding.sandbox;
    if (!sandbox) return;
    app.post<{
      Body: {
        accountNumber: string;
        payerName: string;
        payerBank: string;
        payerAccount: string;
        amount: number;
        behaviour?: 'normal' | 'duplicate' | 'late';
      };
    }>(
      '/api/dev/interbank/transfers',
      {
        schema: {
          hide: true,
          body: TransferBody,
          response: { 200: Type.Object({ networkRef: Type.String(), answers: Type.Array(Type.Unknown()) }) },
        },
      },
      async (request) => {
        try {
          return await sandbox.sendTransfer({
            ...request.body,
            amountFen: fenFromJson(request.body.amount),
            behaviour: request.body.behaviour ?? 'normal',
          });
        } catch (error) {
          if (error instanceof InterbankUnavailable) throw problemFrom({ code: 'INTERBANK_UNAVAILABLE' });
          throw error;
        }
      },
    );
    app.get('/api/dev/interbank/transfers', { schema: { hide: true } }, async () => ({
      items: (await sandbox.transfers()).map((row) => ({
        networkRef: row.network_ref,
        accountNumber: row.account_number,
        payerBank: row.payer_bank,
        amount: fenToJson(BigInt(row.amount)),
        status: row.status,
        returnReason: row.return_reason,
        pendingDeliveries: row.deliveries_left,
      })),
    }));
    app.post('/api/dev/interbank/deliver', { schema: { hide: true } }, async () => ({
      delivered: (await sandbox.deliverDue(100)).length,
    }));
    app.post<{ Body: { down: boolean } }>(
      '/api/dev/interbank/network',
      { schema: { hide: true, body: Type.Object({ down: Type.Boolean() }, { additionalProperties: false }) } },
      async (request) => {
        sandbox.setDown(request.body.down);
        return { down: sandbox.isDown() };
      },
    );
  };
}
