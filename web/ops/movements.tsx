import { Empty, Table, Typography } from 'antd';
import type { Movement } from './api';
import { money, when } from './format';
import { useOpsT } from './i18n';
import { label } from './labels';

const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

/** What a movement is, from its metadata (docs/wallet.md): the wallet's own kind, else the ledger's. */
export function movementKind(movement: Movement): string {
  return text(movement.metadata?.kind) ?? (movement.kind === 'reversal' ? 'reversal' : movement.kind);
}

/** The other side as the holder sees it: the payee when money left, the payer when it came in. */
export function movementCounterparty(movement: Movement): string | null {
  const meta = movement.metadata ?? {};
  return text(movement.amount < 0 ? meta.counterpartyOut : meta.counterpartyIn) ?? text(meta.counterparty);
}

/**
 * A holder's money movements in plain words: "转账 · *娜" with the memo, the amount signed; the
 * ledger reference and entry id are one click away (expand the row) for investigations.
 */
export function MovementsTable(props: { movements: Movement[] }) {
  const { t, english } = useOpsT();
  return (
    <Table<Movement>
      rowKey="entryId"
      size="small"
      dataSource={props.movements}
      pagination={false}
      locale={{ emptyText: <Empty description={t('empty')} /> }}
      expandable={{
        expandedRowRender: (row) => (
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {`${t('reference')}: `}
            <Typography.Text copyable style={{ fontSize: 12 }}>
              {text(row.metadata?.ref) ?? row.reference}
            </Typography.Text>
            {' · '}
            {`${english ? 'Ledger entry' : '记账分录'}: `}
            <Typography.Text copyable style={{ fontSize: 12 }}>
              {row.entryId}
            </Typography.Text>
          </Typography.Text>
        ),
      }}
      columns={[
        { title: t('time'), dataIndex: 'createdAt', width: 190, render: (value: string) => when(value, english) },
        {
          title: t('kind'),
          render: (_, row) => (
            <span data-testid="movement-kind" data-kind={movementKind(row)}>
              {label('movement', movementKind(row), english)}
            </span>
          ),
        },
        {
          title: english ? 'Other party' : '交易对方',
          render: (_, row) => movementCounterparty(row) ?? '—',
        },
        {
          title: t('note'),
          render: (_, row) => text(row.metadata?.note) ?? '—',
        },
        {
          title: t('amount'),
          dataIndex: 'amount',
          align: 'right',
          render: (value: number) => (
            <span style={{ color: value < 0 ? '#c8102e' : '#237804', fontVariantNumeric: 'tabular-nums' }}>
              {value > 0 ? `+${money(value)}` : money(value)}
            </span>
          ),
        },
      ]}
    />
  );
}
