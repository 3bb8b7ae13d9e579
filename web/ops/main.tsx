import { createRoot } from 'react-dom/client';
import '../shared/i18n';
import { ComingSoon } from '../shared/placeholder';

// Placeholder: the operations console (issue 9) grows here, in its own bundle.
createRoot(document.getElementById('root') as HTMLElement).render(<ComingSoon audience="ops" />);
