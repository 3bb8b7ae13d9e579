import { NumberKeyboard, PasscodeInput, type PasscodeInputProps, type PasscodeInputRef } from 'antd-mobile';
import { type KeyboardEvent, type Ref, useEffect, useRef } from 'react';

type Props = Omit<PasscodeInputProps, 'value' | 'onChange' | 'keyboard' | 'length'> & {
  value: string;
  onChange: (value: string) => void;
  ref?: Ref<PasscodeInputRef>;
  'data-testid'?: string;
};

const LENGTH = 6;

/**
 * antd-mobile's PasscodeInput with its number keyboard, for the 6-digit PIN. Its off-screen native
 * input is a focusable element inside the cells' role=button (axe: nested-interactive), so it
 * leaves the tab order, and the focused cells take digits and Backspace from a hardware keyboard
 * in its place.
 */
export function PasscodeCells({ value, onChange, ref, ...props }: Props) {
  const wrap = useRef<HTMLDivElement>(null);
  useEffect(() => {
    // Disabled, not tabindex=-1: a screen reader can still reach a negative-tabindex input.
    const native = wrap.current?.querySelector('input');
    if (native) native.disabled = true;
  }, []);
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.target instanceof HTMLInputElement) return;
    if (/^\d$/.test(event.key) && value.length < LENGTH) {
      event.preventDefault();
      onChange(value + event.key);
    } else if (event.key === 'Backspace') {
      event.preventDefault();
      onChange(value.slice(0, -1));
    }
  };
  return (
    <div ref={wrap} className="tb-passcode" onKeyDown={onKeyDown}>
      <PasscodeInput
        {...props}
        ref={ref}
        length={LENGTH}
        seperated
        value={value}
        onChange={onChange}
        keyboard={<NumberKeyboard randomOrder={false} showCloseButton={false} />}
      />
    </div>
  );
}
