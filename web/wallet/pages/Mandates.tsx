import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Dialog, Empty, List, ProgressBar, Tag, Toast } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { formatFen } from '../../shared/money';
import { errorMessage } from '../../shared/problems';
import { Loading } from '../components/Loading';
import { PageHeader } from '../components/PageHeader';
import { ProblemView } from '../components/ProblemView';
import { formatDateTime } from '../format';
import { type MyMandate, myMandates, revokeMandate } from '../mandates-api';

const STATUS_COLOR: Record<string, 'success' | 'default' | 'warning'> = {
  active: 'success',
  revoked: 'default',
  cancelled: 'default',
  pending: 'warning',
  expired: 'default',
};

/**
 * 我的 → 免密/代扣管理: the agreement payments I signed, each with its shop, what it is for, the caps,
 * this month's use and the latest charges; revoking one takes effect at once.
 */
export default function MandatesPage() {
  const { t } = useTranslation();
  const client = useQueryClient();
  const mandates = useQuery({ queryKey: ['my-mandates'], queryFn: myMandates });
  const revoke = useMutation({
    mutationFn: (mandate: MyMandate) => revokeMandate(mandate.id),
    onSuccess: async () => {
      Toast.show({ icon: 'success', content: t('mandates.revoked') });
      await client.invalidateQueries({ queryKey: ['my-mandates'] });
    },
    onError: (error) => Toast.show({ icon: 'fail', content: errorMessage(error) }),
  });

  return (
    <div className="tb-page">
      <PageHeader title={t('mandates.listTitle')} back="/me" />
      <div className="tb-page-body">
        <p className="tb-lead">{t('mandates.listLead')}</p>
        {mandates.isPending ? <Loading /> : null}
        {mandates.error ? <ProblemView error={mandates.error} onRetry={() => void mandates.refetch()} /> : null}
        {mandates.isSuccess && mandates.data.items.length === 0 ? <Empty description={t('mandates.none')} /> : null}
        {mandates.data?.items.map((mandate) => {
          const active = mandate.status === 'active';
          const percent = Math.min(100, Math.round((mandate.usedThisMonth / mandate.capPerMonth) * 100));
          return (
            <List
              key={mandate.id}
              className="tb-space-top"
              data-testid="mandate-card"
              header={
                <span className="tb-mandate-head">
                  <span className="tb-payee-name">{mandate.merchantName}</span>
                  <Tag color={STATUS_COLOR[mandate.status] ?? 'default'} data-testid="mandate-state">
                    {t(`mandates.state_${mandate.status}`)}
                  </Tag>
                </span>
              }
            >
              <List.Item
                description={
                  mandate.endedAt
                    ? t('mandates.endedAt', { time: formatDateTime(mandate.endedAt) })
                    : mandate.signedAt
                      ? t('mandates.signedAt', { time: formatDateTime(mandate.signedAt) })
                      : null
                }
                extra={t('mandates.perChargeShort', { cap: formatFen(mandate.capPerCharge) })}
              >
                {mandate.description}
              </List.Item>
              <List.Item>
                <div className="tb-muted" data-testid="mandate-used">
                  {t('mandates.usedThisMonth', {
                    used: formatFen(mandate.usedThisMonth),
                    cap: formatFen(mandate.capPerMonth),
                  })}
                </div>
                <ProgressBar percent={percent} style={{ marginTop: 8 }} />
              </List.Item>
              {mandate.charges.length === 0 ? (
                <List.Item>
                  <span className="tb-muted">{t('mandates.noCharges')}</span>
                </List.Item>
              ) : (
                mandate.charges.map((charge) => (
                  <List.Item
                    key={charge.id}
                    description={formatDateTime(charge.createdAt)}
                    extra={<span data-testid="mandate-charge">-{formatFen(charge.amount)}</span>}
                  >
                    {charge.description}
                  </List.Item>
                ))
              )}
              {active ? (
                <List.Item>
                  <Button
                    block
                    color="danger"
                    fill="outline"
                    loading={revoke.isPending && revoke.variables?.id === mandate.id}
                    data-testid="mandate-revoke"
                    onClick={async () => {
                      const confirmed = await Dialog.confirm({
                        content: t('mandates.revokeConfirm', { shop: mandate.merchantName }),
                        confirmText: t('mandates.revoke'),
                        cancelText: t('common.cancel'),
                      });
                      if (confirmed) revoke.mutate(mandate);
                    }}
                  >
                    {t('mandates.revoke')}
                  </Button>
                </List.Item>
              ) : null}
            </List>
          );
        })}
      </div>
    </div>
  );
}
