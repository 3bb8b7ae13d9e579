import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Empty, Form, Input, List, Tag, Toast } from 'antd-mobile';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { api, idempotencyKey } from '../../shared/api';
import { fenToJson, formatFen, parseYuan } from '../../shared/money';
import { errorMessage } from '../../shared/problems';
import { AmountField } from '../components/AmountField';
import { ErrorBanner } from '../components/ErrorBanner';
import { PageHeader } from '../components/PageHeader';
import { Segments } from '../components/Segments';
import { PinSheet } from '../components/PinSheet';
import { ProblemView } from '../components/ProblemView';
import { formatDateTime } from '../format';

interface MoneyRequest {
  id: string;
  status: string;
  direction: 'incoming' | 'outgoing';
  amount: number | string;
  note: string;
  counterparty: { name: string; phone: string };
  expiresAt: string;
  createdAt: string;
}

type Box = 'incoming' | 'outgoing' | 'new';

/** Request money from a friend, and pay (with the PIN) or decline what friends ask of me. */
export default function RequestsPage() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [params] = useSearchParams();
  const [box, setBox] = useState<Box>(params.get('box') === 'new' ? 'new' : 'incoming');
  const [paying, setPaying] = useState<MoneyRequest | null>(null);
  const [amount, setAmount] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<{ phone: string; note?: string }>();
  const list = useQuery({
    queryKey: ['requests', box],
    queryFn: () => api.get<{ items: MoneyRequest[] }>(`/api/v1/transfer-requests?box=${box}`),
    enabled: box !== 'new',
  });
  const refresh = () => client.invalidateQueries({ queryKey: ['requests'] });

  const create = async (values: { phone: string; note?: string }) => {
    const fen = parseYuan(amount);
    if (fen === null) return;
    setBusy(true);
    setError(null);
    try {
      await api.post('/api/v1/transfer-requests', {
        payer: { phone: values.phone.trim() },
        amount: fenToJson(fen),
        currency: 'CNY',
        note: values.note?.trim() || undefined,
      });
      Toast.show({ icon: 'success', content: t('requests.sent') });
      form.resetFields();
      setAmount('');
      setBox('outgoing');
      await refresh();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  const act = async (item: MoneyRequest, action: 'decline' | 'cancel') => {
    try {
      await api.post(`/api/v1/transfer-requests/${item.id}/${action}`);
      await refresh();
    } catch (failure) {
      Toast.show({ icon: 'fail', content: errorMessage(failure) });
    }
  };

  return (
    <div className="tb-page">
      <PageHeader title={t('requests.title')} />
      <div className="tb-page-body">
        <Segments
          label={t('requests.title')}
          value={box}
          onChange={setBox}
          options={[
            { label: t('requests.incoming'), value: 'incoming' },
            { label: t('requests.outgoing'), value: 'outgoing' },
            { label: t('requests.new'), value: 'new' },
          ]}
        />
        <ErrorBanner message={error ? errorMessage(error) : null} />
        {box === 'new' ? (
          <Form
            form={form}
            layout="vertical"
            onFinish={(values) => void create(values)}
            footer={
              <Button
                block
                type="submit"
                color="primary"
                size="large"
                loading={busy}
                disabled={parseYuan(amount) === null}
              >
                {t('requests.send')}
              </Button>
            }
          >
            <Form.Item
              name="phone"
              label={t('requests.payerPhone')}
              rules={[{ required: true, message: t('fields.phoneRequired') }]}
            >
              <Input type="tel" inputMode="numeric" />
            </Form.Item>
            <AmountField value={amount} onChange={setAmount} />
            <Form.Item name="note" label={t('transfer.note')}>
              <Input maxLength={50} />
            </Form.Item>
          </Form>
        ) : (
          <>
            {list.error ? <ProblemView error={list.error} compact /> : null}
            {list.isSuccess && list.data.items.length === 0 ? <Empty description={t('requests.none')} /> : null}
            <List className="tb-space-top">
              {list.data?.items.map((item) => (
                <List.Item
                  key={item.id}
                  description={`${item.note ? `${item.note} · ` : ''}${formatDateTime(item.createdAt)}`}
                  extra={
                    item.status === 'pending' ? (
                      item.direction === 'incoming' ? (
                        <span className="tb-request-actions">
                          <Button size="mini" color="primary" onClick={() => setPaying(item)}>
                            {t('requests.pay')}
                          </Button>
                          <Button size="mini" onClick={() => void act(item, 'decline')}>
                            {t('requests.decline')}
                          </Button>
                        </span>
                      ) : (
                        <Button size="mini" onClick={() => void act(item, 'cancel')}>
                          {t('common.cancel')}
                        </Button>
                      )
                    ) : (
                      <Tag>{t(`requests.status.${item.status}`, { defaultValue: item.status })}</Tag>
                    )
                  }
                >
                  {item.counterparty.name} · {formatFen(item.amount)}
                </List.Item>
              ))}
            </List>
          </>
        )}
        <PinSheet
          visible={Boolean(paying)}
          amount={paying?.amount}
          payee={paying ? `${paying.counterparty.name} ${paying.counterparty.phone}` : undefined}
          onClose={() => setPaying(null)}
          onSubmit={async (pin) => {
            if (!paying) return;
            await api.post(
              `/api/v1/transfer-requests/${paying.id}/approve`,
              { confirmation: { pin } },
              { idempotencyKey: idempotencyKey() },
            );
            setPaying(null);
            Toast.show({ icon: 'success', content: t('transfer.status.completed') });
            await refresh();
            await client.invalidateQueries({ queryKey: ['balance'] });
          }}
        />
      </div>
    </div>
  );
}
