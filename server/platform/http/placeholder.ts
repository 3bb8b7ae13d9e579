import type { FastifyInstance } from 'fastify';

/** The home page when the web app has not been built: what this is, how to build it, where to look. */
export const PLACEHOLDER_PAGE =
  `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>通宝 Tongbao</title>
<style>
  body { margin: 0; font-family: -apple-system, "PingFang SC", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; ` +
  `background: #f5f6f8; color: #1f2329; }
  header { background: linear-gradient(135deg, #c8102e, #e5484d); color: #fff; padding: 48px 24px 64px; }
  h1 { margin: 0 0 8px; font-size: 28px; }
  main { max-width: 560px; margin: -40px auto 24px; padding: 0 16px; }
  .card { background: #fff; border-radius: 12px; padding: 20px; box-shadow: 0 2px 12px rgba(0,0,0,.06); ` +
  `margin-bottom: 16px; }
  a { color: #c8102e; }
  li { margin: 6px 0; }
</style>
</head>
<body>
<header><h1>通宝 Tongbao</h1><div>银行数字钱包平台 · Digital branch e-wallet</div></header>
<main>
  <div class="card">
    <p>服务已启动，但网页应用尚未构建。请运行 <code>npm run build:web</code> 后刷新（<code>npm start</code> 会自动构建）。</p>
    <p>The service is running, but the web app has not been built. Run <code>npm run build:web</code> and reload ` +
  `(<code>npm start</code> builds it for you).</p>
  </div>
  <div class="card">
    <ul>
      <li><a href="/docs">API 文档 · API reference</a></li>
      <li><a href="/api/openapi.json">OpenAPI 3.1</a></li>
      <li><a href="/api/v1/announcements">维护公告 · Announcements</a></li>
      <li><a href="/readyz">运行状态 · Readiness</a></li>
    </ul>
  </div>
</main>
</body>
</html>`;
