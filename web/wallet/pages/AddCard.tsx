import { useQueryClient } from '@tanstack/react-query';
import { Button, Form, Input, Result } from 'antd-mobile';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { api } from '../../shared/api';
import { DevOutboxHint } from '../components/DevOutboxHint';
import { ErrorBanner } from '../components/ErrorBanner';
import { PageHeader } from '../components/PageHeader';
import { applyProblem } from '../fields';
import type { Card } from '../wallet-api';

const FIELDS = ['cardNumber', 'holderName', 'reservedPhone', 'code'];
const RENAME = {
  CARD_NUMBER_INVALID: 'cardNumber',
  CARD_NOT_SUPPORTED: 'cardNumber',
  CARD_ALREADY_BOUND: 'cardNumber',
  CARD_HOLDER_MISMATCH: 'holderName',
  INVALID_PHONE: 'reservedPhone',
  CARD_BINDING_CODE_INVALID: 'code',
};

/** Link a card: number, holder name, the phone the bank has; then the code the bank texts there. */
export default function AddCardPage() {
  const { t } = useTranslation();
  const [form] = Form.useForm();
  const [codeForm] = Form.useForm();
  const [pending, setPending] = useState<Card | null>(null);
  const [done, setDone] = useState<Card | null>(null);
  const [banner, setBanner] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const navigate = useNavigate();
  const [search] = useSearchParams();
  const client = useQueryClient();

  const start = async (values: {
    cardNumber: string;
    holderName: string;
    reservedPhone: string;
    nickname?: string;
  }) => {
    setBusy(true);
    setBanner(null);
    try {
      const answer = await api.post<{ card: Card; codeExpiresAt: string }>('/api/v1/wallet/cards', {
        cardNumber: values.cardNumber.replace(/\s/g, ''),
        holderName: values.holderName.trim(),
        reservedPhone: values.reservedPhone.trim(),
        nickname: values.nickname?.trim() || undefined,
      });
      setPending(answer.card);
    } catch (error) {
      setBanner(applyProblem(form, error, FIELDS, RENAME));
    } finally {
      setBusy(false);
    }
  };

  const confirm = async (values: { code: string }) => {
    if (!pending) return;
    setBusy(true);
    setBanner(null);
    try {
      const card = await api.post<Card>(`/api/v1/wallet/cards/${pending.id}/confirm`, { code: values.code });
      await client.invalidateQueries({ queryKey: ['cards'] });
      setDone(card);
    } catch (error) {
      setBanner(applyProblem(codeForm, error, ['code'], RENAME));
    } finally {
      setBusy(false);
    }
  };

  const back = search.get('back') ?? '/cards';
  return (
    <div className="tb-page">
      <PageHeader title={t('cards.add')} back={back} />
      <div className="tb-page-body">
        <ErrorBanner message={banner} />
        {done ? (
          <Result
            status="success"
            title={t('cards.added')}
            description={
              <>
                <p>{done.masked}</p>
                <Button color="primary" onClick={() => navigate(back, { replace: true })} data-testid="card-added-done">
                  {t('common.done')}
                </Button>
              </>
            }
          />
        ) : pending ? (
          <Form
            form={codeForm}
            layout="vertical"
            onFinish={(values) => void confirm(values)}
            footer={
              <Button block type="submit" color="primary" size="large" loading={busy} data-testid="card-confirm">
                {t('cards.confirm')}
              </Button>
            }
          >
            <p className="tb-step-hint" role="status">
              {t('cards.codeHint', { card: pending.masked })}
            </p>
            <Form.Item
              name="code"
              label={t('cards.code')}
              rules={[{ required: true, pattern: /^\d{6}$/, message: t('fields.smsCodeRequired') }]}
            >
              <Input inputMode="numeric" maxLength={6} autoComplete="one-time-code" />
            </Form.Item>
            <DevOutboxHint />
          </Form>
        ) : (
          <Form
            form={form}
            layout="vertical"
            onFinish={(values) => void start(values)}
            footer={
              <Button block type="submit" color="primary" size="large" loading={busy} data-testid="card-submit">
                {t('common.next')}
              </Button>
            }
          >
            <Form.Item
              name="cardNumber"
              label={t('cards.number')}
              rules={[{ required: true, pattern: /^[\d\s]{12,23}$/, message: t('cards.numberInvalid') }]}
            >
              <Input inputMode="numeric" autoComplete="cc-number" placeholder={t('cards.numberPlaceholder')} />
            </Form.Item>
            <Form.Item
              name="holderName"
              label={t('cards.holder')}
              rules={[{ required: true, message: t('fields.nameRequired') }]}
            >
              <Input autoComplete="cc-name" placeholder={t('cards.holderPlaceholder')} />
            </Form.Item>
            <Form.Item
              name="reservedPhone"
              label={t('cards.reservedPhone')}
              rules={[{ required: true, message: t('fields.phoneRequired') }]}
            >
              <Input type="tel" inputMode="numeric" placeholder={t('cards.reservedPhonePlaceholder')} />
            </Form.Item>
            <Form.Item name="nickname" label={t('cards.nickname')}>
              <Input maxLength={20} />
            </Form.Item>
          </Form>
        )}
      </div>
    </div>
  );
}
