import { describe, expect, it } from 'vitest';
import { categoryOf, defaultChoice } from './preferences.js';

describe('the category of a notice', () => {
  it('follows the first word of its kind', () => {
    expect(categoryOf('transfer.received')).toBe('transfers');
    expect(categoryOf('payment.completed')).toBe('payments');
    expect(categoryOf('wallet.topup_succeeded')).toBe('payments');
    expect(categoryOf('bills.reminder_due')).toBe('bills');
    expect(categoryOf('credit_overdue')).toBe('credit');
    expect(categoryOf('support.reply')).toBe('support');
    expect(categoryOf('budget_alert')).toBe('payments');
    expect(categoryOf('security.new_device')).toBe('security');
    expect(categoryOf('risk.restricted')).toBe('security');
  });

  it('keeps notices about the account’s safety, and unknown kinds, in the locked security category', () => {
    expect(categoryOf('payment.confirmation_required')).toBe('security');
    expect(categoryOf('wallet.card_linked')).toBe('security');
    expect(categoryOf('something.new')).toBe('security');
  });

  it('texts security, bills and credit notices by default, as their senders always did', () => {
    expect(defaultChoice('security')).toEqual({ inApp: true, sms: true, email: true });
    expect(defaultChoice('bills')).toEqual({ inApp: true, sms: true, email: false });
    expect(defaultChoice('credit').sms).toBe(true);
    expect(defaultChoice('payments')).toEqual({ inApp: true, sms: false, email: false });
  });
});
