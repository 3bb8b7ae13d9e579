import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { unstableSetRender } from 'antd-mobile';
import { StrictMode } from 'react';
import { type Root, createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { ApiError } from '../shared/api';
import i18n from '../shared/i18n';
import { App } from './App';
import './styles.css';

// antd-mobile's imperative Dialog and Toast render through this hook under React 19.
unstableSetRender((node, container) => {
  const host = container as Element & { tbRoot?: Root };
  host.tbRoot ??= createRoot(host);
  host.tbRoot.render(node);
  return async () => {
    await new Promise((resolve) => setTimeout(resolve, 0));
    host.tbRoot?.unmount();
    host.tbRoot = undefined;
  };
});

// The tab title in the reader's language (index.html says 通宝钱包 until this runs).
const applyTitle = () => (document.title = i18n.t('app.name'));
applyTitle();
i18n.on('languageChanged', applyTitle);

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // A 4xx answer will not change by asking again; network trouble and 5xx may.
      retry: (failures, error) =>
        failures < 2 && !(error instanceof ApiError && error.status >= 400 && error.status < 500),
      staleTime: 10_000,
      refetchOnWindowFocus: true,
    },
    mutations: { retry: false },
  },
});

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <BrowserRouter>
        <App />
      </BrowserRouter>
    </QueryClientProvider>
  </StrictMode>,
);

// The service worker keeps the shell available offline (e.g. the payment code once loaded).
if ('serviceWorker' in navigator && import.meta.env.PROD) {
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(() => undefined);
  });
}
