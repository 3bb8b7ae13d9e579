import type { Plugin } from 'vite';

/**
 * Writes the wallet's service worker at build time: it precaches the wallet shell (its HTML, the
 * assets the wallet uses, icons and the manifest), serves navigations from the cached shell when
 * offline, and answers everything else from the network. Hand-written instead of vite-plugin-pwa:
 * that plugin pulls in workbox-build and rollup, whose per-platform optional packages the project's
 * package registry does not carry, so `npm ci` refused the lock file (see docs/architecture.md).
 */
export interface ServiceWorkerOptions {
  /** Output paths (relative to the build root) to leave out of the precache, as prefixes. */
  ignorePrefixes: readonly string[];
  /** Path prefixes that must never fall back to the shell (API, docs, other apps). */
  networkOnlyPrefixes: readonly string[];
}

const PRECACHE_PATTERN = /^(index\.html|assets\/.+\.(js|css)|icons\/.+\.png|manifest\.webmanifest)$/;

export function walletServiceWorker(options: ServiceWorkerOptions): Plugin {
  return {
    name: 'tongbao-wallet-service-worker',
    apply: 'build',
    // Public-dir files (icons, manifest) are copied, not bundled: the worker caches them on first use.
    generateBundle(_outputOptions, bundle) {
      const files = Object.keys(bundle)
        .filter(
          (file) => PRECACHE_PATTERN.test(file) && !options.ignorePrefixes.some((prefix) => file.startsWith(prefix)),
        )
        .sort();
      const version = hashOf(files.join('\n'));
      this.emitFile({
        type: 'asset',
        fileName: 'sw.js',
        source: serviceWorkerSource(
          files.map((file) => `/${file}`),
          version,
          options.networkOnlyPrefixes,
        ),
      });
    },
  };
}

function hashOf(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return hash.toString(16).padStart(8, '0');
}

function serviceWorkerSource(precache: readonly string[], version: string, networkOnly: readonly string[]): string {
  return (
    `// Tongbao wallet service worker, generated at build time.
const CACHE = 'tongbao-shell-${version}';
const PRECACHE = ${JSON.stringify(['/', ...precache])};
const NETWORK_ONLY = ${JSON.stringify(networkOnly)};

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(PRECACHE)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((key) => key.startsWith('tongbao-shell-') && key !== CACHE).map((key) ` +
    `=> caches.delete(key))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || NETWORK_ONLY.some((prefix) => url.pathname.startsWith(prefix))) return;
  if (request.mode === 'navigate') {
    // The shell: fresh from the network when online, the cached copy when not.
    event.respondWith(fetch(request).catch(() => caches.match('/index.html')));
    return;
  }
  event.respondWith(
    caches.match(request).then((cached) => cached || fetch(request).then((response) => {
      if (response.ok && (url.pathname.startsWith('/icons/') || url.pathname === '/manifest.webmanifest')) {
        const copy = response.clone();
        caches.open(CACHE).then((cache) => cache.put(request, copy));
      }
      return response;
    })),
  );
});
`
  );
}
