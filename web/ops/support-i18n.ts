import { supportOpsEn, supportOpsZh } from '../shared/locales/support';
import { supportStaffEn, supportStaffZh } from '../shared/locales/support-staff';
import { useOpsT } from './i18n';

type Table = Record<string, string | Record<string, string>>;

/**
 * The console translator with the customer-service strings first (kept in
 * web/shared/locales/support.ts beside the wallet's); anything not there falls back to the console's
 * shared table. `a.b` keys reach nested tables; `{{name}}` placeholders are filled from `values`.
 */
export function useSupportOpsT() {
  const base = useOpsT();
  const t = (key: string, values: Record<string, string | number> = {}): string => {
    const table = (
      base.english ? { ...supportOpsEn, ...supportStaffEn } : { ...supportOpsZh, ...supportStaffZh }
    ) as Table;
    const [head, tail] = key.split('.', 2);
    const found = tail === undefined ? table[head] : (table[head] as Record<string, string> | undefined)?.[tail];
    const text = typeof found === 'string' ? found : base.t(key);
    return text.replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(values[name] ?? ''));
  };
  return { ...base, t };
}
