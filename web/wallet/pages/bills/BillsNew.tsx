import { useQueryClient } from '@tanstack/react-query';
import { Button, Checkbox, Input, List, Selector, Tag } from 'antd-mobile';
import { CheckOutline } from 'antd-mobile-icons';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { ApiError, api } from '../../../shared/api';
import { formatFen, parseYuan } from '../../../shared/money';
import { errorMessage } from '../../../shared/problems';
import { BILL_TYPES, type Biller, type Inquiry, type SavedAccount, formatProblem, useBillers } from '../../bills-api';
import { AmountField } from '../../components/AmountField';
import { BillCard, BillTypeIcon, OverdueNotice, billerName, cityName, useFormatRule } from '../../components/Bills';
import { ErrorBanner } from '../../components/ErrorBanner';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { PayBill } from '../../components/PayBill';
import { MaintenanceView, ProblemView, maintenanceOf } from '../../components/ProblemView';
import { formatDateTime } from '../../format';

const LABELS = ['home', 'parents', 'office', 'rental'] as const;

/** Pay a new bill: type → city → biller → account number (with its format) → the bill → pay; save the account on the
 * way. */
export default function BillsNewPage() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const client = useQueryClient();
  const english = i18n.language === 'en';
  const params = useParams();
  const type = BILL_TYPES.includes(params.type as never) ? (params.type as string) : 'electricity';
  const billers = useBillers(type);
  const rule = useFormatRule();
  const [city, setCity] = useState<string | null>(null);
  const [billerId, setBillerId] = useState<string | null>(null);
  const [accountNumber, setAccountNumber] = useState('');
  const [save, setSave] = useState(true);
  const [label, setLabel] = useState('');
  const [inquiry, setInquiry] = useState<Inquiry | null>(null);
  const [saved, setSaved] = useState<SavedAccount | null>(null);
  const [amount, setAmount] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const cities = useMemo(() => {
    const seen = new Map<string, Biller>();
    for (const biller of billers.data?.items ?? []) if (!seen.has(biller.city)) seen.set(biller.city, biller);
    return [...seen.values()];
  }, [billers.data]);
  const chosenCity = city ?? (cities.length === 1 ? cities[0].city : null);
  const inCity = (billers.data?.items ?? []).filter((biller) => biller.city === chosenCity);
  const biller = inCity.find((b) => b.id === billerId) ?? (inCity.length === 1 ? inCity[0] : undefined);
  const problem = biller && accountNumber ? formatProblem(biller.accountFormat, accountNumber) : null;

  const inquire = async () => {
    if (!biller) return;
    setBusy(true);
    setError(null);
    setInquiry(null);
    try {
      const found = await api.post<Inquiry>('/api/v1/bills/inquiries', {
        billerId: biller.id,
        accountNumber,
      });
      setInquiry(found);
      if (save && !found.savedAccountId) {
        const fallback = english ? 'Home' : '家';
        try {
          const account = await api.post<SavedAccount>('/api/v1/bills/accounts', {
            billerId: biller.id,
            accountNumber,
            label: label.trim() || fallback,
          });
          setSaved(account);
          await client.invalidateQueries({ queryKey: ['bills'] });
        } catch (failure) {
          if (!(failure instanceof ApiError && failure.code === 'BILL_ACCOUNT_ALREADY_SAVED')) setError(failure);
        }
      }
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  const maintenance = maintenanceOf(error);
  const offline =
    error instanceof ApiError && error.code === 'BILLER_UNAVAILABLE' && biller
      ? t('bills.billerOffline', { name: billerName(biller, english) })
      : null;
  const savedAccountId = saved?.id ?? inquiry?.savedAccountId ?? null;
  const prepaidFen = parseYuan(amount);
  return (
    <div className="tb-page">
      <PageHeader title={t(`bills.types.${type}`, { defaultValue: type })} back="/bills" />
      <div className="tb-page-body">
        {maintenance ? <MaintenanceView announcement={maintenance} /> : null}
        {inquiry && biller ? (
          <div className="tb-bill-head" data-testid="bill-chosen">
            <span className={`tb-bill-icon tb-bill-icon-${type}`}>
              <BillTypeIcon type={type} />
            </span>
            <div className="tb-bill-head-main">
              <div className="tb-payee-name">{billerName(biller, english)}</div>
              <div className="tb-muted">
                {cityName(biller, english)} · {accountNumber}
              </div>
              {saved ? (
                <Tag color="success" fill="outline" data-testid="bill-saved">
                  {t('bills.savedAs', { label: saved.label })}
                </Tag>
              ) : null}
            </div>
            <Button size="mini" fill="none" onClick={() => (setInquiry(null), setSaved(null))}>
              {t('transfer.change')}
            </Button>
          </div>
        ) : (
          <nav className="tb-bill-types tb-bill-type-switch" aria-label={t('bills.step.type')}>
            {BILL_TYPES.map((value) => (
              <Link
                key={value}
                to={`/bills/new/${value}`}
                replace
                className={`tb-bill-type${value === type ? ' tb-bill-type-on' : ''}`}
                aria-current={value === type ? 'page' : undefined}
                onClick={() => {
                  setCity(null);
                  setBillerId(null);
                  setInquiry(null);
                  setAccountNumber('');
                }}
              >
                <span className={`tb-bill-icon tb-bill-icon-${value}`}>
                  <BillTypeIcon type={value} />
                </span>
                <span>{t(`bills.types.${value}`)}</span>
              </Link>
            ))}
          </nav>
        )}
        {billers.isPending ? <Loading /> : null}
        {billers.error ? <ProblemView error={billers.error} onRetry={() => void billers.refetch()} /> : null}
        {billers.data && billers.data.items.length === 0 ? <p className="tb-muted">{t('bills.noBillers')}</p> : null}
        {!inquiry && cities.length > 0 ? (
          <>
            <p className="tb-sheet-label">{t('bills.step.city')}</p>
            <Selector
              columns={3}
              value={chosenCity ? [chosenCity] : []}
              onChange={(value) => {
                setCity(value[0] ?? null);
                setBillerId(null);
                setInquiry(null);
              }}
              options={cities.map((b) => ({ value: b.city, label: cityName(b, english) }))}
              data-testid="bill-city"
            />
          </>
        ) : null}
        {!inquiry && chosenCity && inCity.length > 0 ? (
          <>
            <p className="tb-sheet-label">{t('bills.step.biller')}</p>
            <List className="tb-bill-billers" data-testid="bill-billers">
              {inCity.map((b) => (
                <List.Item
                  key={b.id}
                  onClick={() => (setBillerId(b.id), setInquiry(null))}
                  className={b.id === biller?.id ? 'tb-bill-biller-on' : undefined}
                  description={
                    b.maintenance
                      ? `${english ? b.maintenance.messageEn : b.maintenance.messageZh} ` +
                        `${formatDateTime(b.maintenance.startsAt)}–${formatDateTime(b.maintenance.endsAt)}`
                      : b.mode === 'prepaid' && b.prepaidMinimum !== null
                        ? t('bills.prepaidHint', { min: formatFen(b.prepaidMinimum) })
                        : undefined
                  }
                  arrow={false}
                  extra={b.id === biller?.id ? <CheckOutline className="tb-brand-text" /> : undefined}
                  aria-pressed={b.id === biller?.id}
                >
                  {billerName(b, english)}
                </List.Item>
              ))}
            </List>
          </>
        ) : null}
        {biller && !inquiry ? (
          <>
            <label className="tb-bill-account-field">
              <span className="tb-sheet-label">{t('bills.accountNumber')}</span>
              <Input
                value={accountNumber}
                onChange={(value) => {
                  setAccountNumber(value.replace(/\s/g, '').slice(0, 32));
                  setInquiry(null);
                }}
                inputMode={biller.accountFormat.digitsOnly ? 'numeric' : 'text'}
                placeholder={t('bills.accountPlaceholder')}
                clearable
                data-testid="bill-account-number"
                aria-describedby="bill-format-help"
              />
            </label>
            <div id="bill-format-help" className={`tb-bill-format${problem ? ' tb-bill-format-bad' : ''}`}>
              <div>
                {problem
                  ? t('bills.formatWrong', { rule: rule(biller.accountFormat) })
                  : t('bills.formatHelp', { rule: rule(biller.accountFormat) })}
              </div>
              <div>{english ? biller.accountFormat.hintEn : biller.accountFormat.hintZh}</div>
              <div className="tb-muted">
                {t('bills.formatExample', { example: biller.accountFormat.example })} · {t('bills.whereToFind')}
              </div>
            </div>
            <Checkbox checked={save} onChange={setSave} className="tb-bill-save" data-testid="bill-save">
              {t('bills.saveAccount')}
            </Checkbox>
            {save ? (
              <div className="tb-bill-label-row">
                <Selector
                  columns={4}
                  value={LABELS.map((key) => t(`bills.labels.${key}`)).includes(label) ? [label] : []}
                  onChange={(value) => setLabel(value[0] ?? '')}
                  options={LABELS.map((key) => ({ value: t(`bills.labels.${key}`), label: t(`bills.labels.${key}`) }))}
                />
                <Input
                  value={label}
                  onChange={(value) => setLabel(value.slice(0, 20))}
                  placeholder={t('bills.labelPlaceholder')}
                  aria-label={t('bills.label')}
                  className="tb-bill-label-input"
                  data-testid="bill-label"
                />
              </div>
            ) : null}
            <ErrorBanner message={offline ?? (error && !maintenance ? errorMessage(error) : null)} />
            <Button
              block
              color="primary"
              size="large"
              className="tb-space-top"
              disabled={!accountNumber || problem !== null || biller.status === 'maintenance'}
              loading={busy}
              onClick={() => void inquire()}
              data-testid="bill-inquire"
            >
              {t('bills.inquire')}
            </Button>
          </>
        ) : null}

        {inquiry ? (
          <section className="tb-bill-result" data-testid="bill-inquiry">
            <List className="tb-receipt">
              {inquiry.holderName ? (
                <List.Item extra={<span data-testid="bill-holder">{inquiry.holderName}</span>}>
                  {t('bills.holderOnBill')}
                </List.Item>
              ) : null}
              {inquiry.address ? <List.Item extra={inquiry.address}>{t('bills.address')}</List.Item> : null}
            </List>
            {inquiry.prepaid ? (
              <>
                {inquiry.prepaid.balance !== null ? (
                  <p className="tb-muted">
                    {t('bills.balanceOnMeter', { amount: formatFen(inquiry.prepaid.balance) })}
                  </p>
                ) : null}
                <AmountField value={amount} onChange={setAmount} label={t('bills.prepaidAmount')} />
                <p className="tb-fineprint">{t('bills.prepaidHint', { min: formatFen(inquiry.prepaid.minimum) })}</p>
                <PayBill
                  biller={inquiry.biller}
                  accountNumber={inquiry.accountNumber}
                  savedAccountId={savedAccountId}
                  amountFen={prepaidFen}
                  label={saved?.label}
                />
              </>
            ) : inquiry.bills.length === 0 ? (
              <p className="tb-bills-empty" data-testid="bill-nothing-due">
                {t('bills.noBill')}
              </p>
            ) : (
              inquiry.bills.map((bill) => (
                <div key={bill.billRef}>
                  {bill.overdue ? <OverdueNotice bill={bill} /> : null}
                  <BillCard bill={bill}>
                    <PayBill
                      biller={inquiry.biller}
                      accountNumber={inquiry.accountNumber}
                      savedAccountId={savedAccountId}
                      billRef={bill.billRef}
                      amountFen={BigInt(bill.total)}
                      label={saved?.label}
                      onStale={() => void inquire()}
                    />
                  </BillCard>
                </div>
              ))
            )}
            {savedAccountId ? (
              <Button
                block
                fill="none"
                color="primary"
                className="tb-space-top"
                onClick={() => navigate(`/bills/accounts/${encodeURIComponent(savedAccountId)}`)}
              >
                {t('bills.autopay.setUp')}
              </Button>
            ) : null}
          </section>
        ) : null}
      </div>
    </div>
  );
}
