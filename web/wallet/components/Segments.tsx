import { useId } from 'react';

/**
 * A segmented choice (like antd-mobile's Segmented) built from native radio buttons: antd-mobile's
 * puts radio inputs inside role=listbox, which assistive technology cannot read (axe:
 * aria-required-children), and its capsule tabs are divs a keyboard cannot reach. Arrow keys move
 * between options as in any radio group.
 */
export function Segments<T extends string>(props: {
  value: T;
  onChange: (value: T) => void;
  options: { value: T; label: string }[];
  label: string;
  /** Many options: a row of capsules that scrolls sideways instead of equal segments. */
  capsules?: boolean;
  'data-testid'?: string;
}) {
  const name = useId();
  return (
    <div
      role="radiogroup"
      aria-label={props.label}
      className={props.capsules ? 'tb-segments tb-capsules' : 'tb-segments'}
      data-testid={props['data-testid']}
    >
      {props.options.map((option) => (
        <label key={option.value} className={option.value === props.value ? 'tb-segment tb-segment-on' : 'tb-segment'}>
          <input
            type="radio"
            name={name}
            value={option.value}
            checked={option.value === props.value}
            onChange={() => props.onChange(option.value)}
          />
          <span>{option.label}</span>
        </label>
      ))}
    </div>
  );
}
