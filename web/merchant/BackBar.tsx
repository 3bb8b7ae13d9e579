import { LeftOutline } from 'antd-mobile-icons';
import type { ReactNode } from 'react';
import { useNavigate } from 'react-router';

/**
 * The bar on top of an inner merchant page: a real back button with a spoken name (antd-mobile's
 * NavBar draws its back arrow in an unnamed element, which screen readers cannot announce), the title.
 */
export function BackBar(props: { to: string; backLabel: string; children: ReactNode }) {
  const navigate = useNavigate();
  return (
    <header className="mc-backbar">
      <button
        type="button"
        className="mc-backbar-button"
        aria-label={props.backLabel}
        onClick={() => navigate(props.to)}
      >
        <LeftOutline aria-hidden />
      </button>
      <h2 className="mc-backbar-title">{props.children}</h2>
      <span className="mc-backbar-button" aria-hidden />
    </header>
  );
}
