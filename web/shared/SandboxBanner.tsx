import { useEffect, useState } from 'react';

/**
 * A staging server started with --allow-sandbox answers every request with `X-Tongbao-Sandbox: on`.
 * Then every page carries this banner, in both languages at once, so nobody mistakes the sandbox
 * for the bank: no real money moves and no real text messages are sent.
 */
export function SandboxBanner() {
  const [sandbox, setSandbox] = useState(false);
  useEffect(() => {
    let live = true;
    fetch('/healthz', { headers: { accept: 'application/json' } })
      .then((response) => {
        if (live) setSandbox(response.headers.get('x-tongbao-sandbox') === 'on');
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, []);
  if (!sandbox) return null;
  return (
    <div
      role="status"
      data-testid="sandbox-banner"
      style={{
        position: 'sticky',
        top: 0,
        zIndex: 2000,
        background: '#d46b08',
        color: '#fff',
        padding: '6px 12px',
        fontSize: 13,
        fontWeight: 600,
        textAlign: 'center',
      }}
    >
      <span lang="zh-CN">沙箱测试环境：不是真实银行，资金与短信均为模拟。</span>{' '}
      <span lang="en">Sandbox test system: not the real bank; money and text messages are simulated.</span>
    </div>
  );
}
