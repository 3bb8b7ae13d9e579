import { describe, expect, it } from 'vitest';
import { forgetPasswordForFirstPin, holdPasswordForFirstPin, passwordForFirstPin } from './first-pin';

describe('the registration password handed to the first PIN screen', () => {
  it('is there until forgotten', () => {
    holdPasswordForFirstPin('river-lantern-42-moon', 1_000);
    expect(passwordForFirstPin(2_000)).toBe('river-lantern-42-moon');
    expect(passwordForFirstPin(2_000)).toBe('river-lantern-42-moon');
    forgetPasswordForFirstPin();
    expect(passwordForFirstPin(2_000)).toBeNull();
  });

  it('is forgotten after ten minutes', () => {
    holdPasswordForFirstPin('river-lantern-42-moon', 1_000);
    expect(passwordForFirstPin(1_000 + 10 * 60_000)).toBeNull();
    expect(passwordForFirstPin(1_000)).toBeNull();
  });
});
