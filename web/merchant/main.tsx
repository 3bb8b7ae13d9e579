import { createRoot } from 'react-dom/client';
import '../shared/i18n';
import { ComingSoon } from '../shared/placeholder';

// Placeholder: the merchant pages (issue 9) grow here, in their own bundle.
createRoot(document.getElementById('root') as HTMLElement).render(<ComingSoon audience="merchant" />);
