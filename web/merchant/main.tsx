import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { unstableSetRender } from 'antd-mobile';
import { StrictMode } from 'react';
import { type Root, createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { ApiError } from '../shared/api';
import '../shared/i18n';
import { App } from './App';
import './styles.css';

// antd-mobile's imperative Dialog and Toast render through this hook under React 19.
unstableSetRender((node, container) => {
  const host = container as Element & { mcRoot?: Root };
  host.mcRoot ??= createRoot(host);
  host.mcRoot.render(node);
  return async () => {
    await new Promise((resolve) => setTimeout(resolve, 0));
    host.mcRoot?.unmount();
    host.mcRoot = undefined;
  };
});

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      retry: (failures, error) =>
        failures < 2 && !(error instanceof ApiError && error.status >= 400 && error.status < 500),
      staleTime: 5_000,
    },
    mutations: { retry: false },
  },
});

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <BrowserRouter basename="/merchant">
        <App />
      </BrowserRouter>
    </QueryClientProvider>
  </StrictMode>,
);
