import { useQueryClient } from '@tanstack/react-query';
import { Button, Dialog, Popup, Selector, Toast } from 'antd-mobile';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../shared/api';
import { errorMessage } from '../../../shared/problems';
import { ErrorBanner } from '../../components/ErrorBanner';
import { PinSheet } from '../../components/PinSheet';
import {
  type CardControls,
  type CreditCard,
  type RevealedCard,
  creditPath,
  useCardControls,
  useDay,
} from '../../credit-api';

/** A number shown after the PIN, and when it is masked again. */
export interface Shown extends RevealedCard {
  until: number;
}

/** Groups of four, as printed on a card. */
export const spaced = (pan: string) => pan.replace(/(\d{4})(?=\d)/g, '$1 ');

/** The seconds left before a shown number is masked again (re-rendered each second; null once masked). */
export function useShown(): [Shown | null, (value: RevealedCard | null) => void, number] {
  const [shown, setShown] = useState<Shown | null>(null);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!shown) return;
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    // Leaving the page (another app, the lock screen) masks it at once.
    const hide = () => document.visibilityState === 'hidden' && setShown(null);
    document.addEventListener('visibilitychange', hide);
    return () => {
      window.clearInterval(timer);
      document.removeEventListener('visibilitychange', hide);
    };
  }, [shown]);
  const left = shown ? Math.ceil((shown.until - now) / 1000) : 0;
  useEffect(() => {
    if (shown && left <= 0) setShown(null);
  }, [shown, left]);
  const set = (value: RevealedCard | null) => {
    setNow(Date.now());
    setShown(value ? { ...value, until: Date.now() + value.maskAfterSeconds * 1000 } : null);
  };
  return [shown && left > 0 ? shown : null, set, left];
}

/** Under the card face: show the number with the PIN, freeze or unfreeze, change the statement day. */
export function CardControlsBar(props: { card: CreditCard; shown: boolean; onShow: (v: RevealedCard | null) => void }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const controls = useCardControls(props.card.id);
  const [pinOpen, setPinOpen] = useState(false);
  const [dayOpen, setDayOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const frozen = (controls.data?.status ?? props.card.status) === 'frozen';
  const refresh = () => client.invalidateQueries({ queryKey: ['credit'] });

  const setFrozen = async (freeze: boolean) => {
    if (freeze && !(await Dialog.confirm({ content: t('credit.card.controls.freezeConfirm') }))) return;
    setBusy(true);
    try {
      await api.post<CardControls>(creditPath('cards', props.card.id, freeze ? 'freeze' : 'unfreeze'));
      Toast.show({ content: t(freeze ? 'credit.card.controls.frozenDone' : 'credit.card.controls.unfrozenDone') });
      await refresh();
    } catch (failure) {
      Toast.show({ content: errorMessage(failure) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      {frozen ? (
        <div className="tb-callout tb-cc-frozen-note" role="status" data-testid="card-frozen-note">
          <strong>{t('credit.card.controls.frozenTitle')}</strong>
          <span>{t('credit.card.controls.frozenBody')}</span>
        </div>
      ) : null}
      <div className="tb-cc-controls">
        <Button
          size="small"
          fill="outline"
          onClick={() => (props.shown ? props.onShow(null) : setPinOpen(true))}
          data-testid="card-reveal"
        >
          {t(props.shown ? 'credit.card.controls.hide' : 'credit.card.controls.reveal')}
        </Button>
        <Button
          size="small"
          fill="outline"
          color={frozen ? 'primary' : 'default'}
          loading={busy}
          onClick={() => void setFrozen(!frozen)}
          data-testid="card-freeze"
        >
          {t(frozen ? 'credit.card.controls.unfreeze' : 'credit.card.controls.freeze')}
        </Button>
        <Button size="small" fill="outline" onClick={() => setDayOpen(true)} data-testid="card-statement-day">
          {t('credit.card.controls.statementDay')}
        </Button>
      </div>
      <PinSheet
        visible={pinOpen}
        title={t('credit.card.controls.revealTitle')}
        detail={t('credit.card.controls.revealDetail')}
        onClose={() => setPinOpen(false)}
        onSubmit={async (pin) => {
          const shown = await api.post<RevealedCard>(creditPath('cards', props.card.id, 'reveal'), { pin });
          setPinOpen(false);
          props.onShow(shown);
        }}
      />
      {controls.data ? (
        <StatementDaySheet
          visible={dayOpen}
          controls={controls.data}
          onClose={() => setDayOpen(false)}
          onDone={async () => {
            setDayOpen(false);
            Toast.show({ content: t('credit.card.controls.statementDayDone') });
            await refresh();
          }}
        />
      ) : null}
    </>
  );
}

const nextMonthDay = (from: string, day: number) => {
  const [year, month] = from.split('-').map(Number);
  const next = new Date(Date.UTC(year, month, day));
  return next.toISOString().slice(0, 10);
};
const dueDayOf = (statementDay: number) => ((statementDay + 20 - 1) % 28) + 1;

/** Choosing a new statement day (1–28), with what changes and when, explained before confirming. */
function StatementDaySheet(props: {
  visible: boolean;
  controls: CardControls;
  onClose: () => void;
  onDone: () => Promise<void>;
}) {
  const { t } = useTranslation();
  const day = useDay();
  const c = props.controls;
  const [choice, setChoice] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const locked = c.changeAllowedFrom !== null;
  const save = async () => {
    if (choice === null) return;
    setBusy(true);
    setError(null);
    try {
      await api.put<CardControls>(creditPath('cards', c.id, 'statement-day'), { statementDay: choice });
      setChoice(null);
      await props.onDone();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Popup visible={props.visible} onMaskClick={props.onClose} bodyClassName="tb-sheet" destroyOnClose>
      <div className="tb-sheet-body" data-testid="statement-day-sheet">
        <h2 className="tb-sheet-title">{t('credit.card.controls.statementDayTitle')}</h2>
        <p className="tb-muted tb-small">
          {t('credit.card.controls.statementDayNow', { day: c.statementDay, dueDay: c.dueDay })}
        </p>
        {c.pendingStatementDay !== null && c.pendingFrom ? (
          <p className="tb-callout" data-testid="statement-day-pending">
            {t('credit.card.controls.statementDayPending', {
              day: c.pendingStatementDay,
              from: day(c.pendingFrom),
              dueDay: c.pendingDueDay,
            })}
          </p>
        ) : null}
        {locked ? (
          <p className="tb-error-text tb-small" data-testid="statement-day-locked">
            {t('credit.card.controls.statementDayLocked', { date: day(c.changeAllowedFrom ?? '') })}
          </p>
        ) : (
          <Selector
            columns={7}
            value={choice === null ? [] : [choice]}
            onChange={(value) => setChoice(value[0] ?? null)}
            options={Array.from({ length: 28 }, (_, i) => ({
              value: i + 1,
              label: String(i + 1),
              disabled: i + 1 === c.statementDay,
            }))}
            data-testid="statement-day-choice"
          />
        )}
        {choice !== null ? (
          <p className="tb-small" data-testid="statement-day-preview">
            {t('credit.card.controls.statementDayPreview', {
              day: choice,
              from: day(nextMonthDay(c.nextStatementOn, choice)),
              dueDay: dueDayOf(choice),
            })}
          </p>
        ) : null}
        <p className="tb-fineprint">{t('credit.card.controls.statementDayRule', { next: day(c.nextStatementOn) })}</p>
        <ErrorBanner message={error ? errorMessage(error) : null} />
        <Button
          block
          color="primary"
          disabled={locked || choice === null}
          loading={busy}
          onClick={() => void save()}
          data-testid="statement-day-save"
        >
          {t('credit.card.controls.statementDaySave')}
        </Button>
      </div>
    </Popup>
  );
}
