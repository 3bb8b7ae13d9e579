import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { ApiError, api } from '../shared/api';

/** The console's view of the staff APIs (server/ops, server/kyc, server/risk, server/payments). */

export interface Me {
  staffId: string;
  /** The staff member's own name, for the header. */
  name: string | null;
  roles: string[];
  permissions: string[];
}

export function useMe() {
  return useQuery({
    queryKey: ['ops', 'me'],
    queryFn: async (): Promise<Me | null> => {
      try {
        return await api.get<Me>('/api/v1/ops/permissions');
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) return null;
        throw error;
      }
    },
    staleTime: 60_000,
  });
}

/**
 * Staff names by id (GET /api/v1/ops/staff-names), so pages name who acted or claimed instead of
 * showing `stf_…`. `nameOf` accepts a bare id or an audit actor like `staff:stf_…`.
 */
export function useStaffNames() {
  const names = useQuery({
    queryKey: ['ops', 'staff-names'],
    queryFn: () => api.get<{ items: { id: string; name: string }[] }>('/api/v1/ops/staff-names'),
    staleTime: 5 * 60_000,
  });
  const byId = new Map((names.data?.items ?? []).map((item) => [item.id, item.name]));
  return (id: string | null | undefined): string => (id ? (byId.get(id.replace(/^staff:/, '')) ?? id) : '—');
}

export function can(me: Me | null | undefined, permission: string): boolean {
  return me?.permissions.includes(permission) ?? false;
}

export interface Movement {
  entryId: string;
  seq: string;
  reference: string;
  kind: string;
  amount: number;
  currency: string;
  /** {kind, counterparty, counterpartyIn, counterpartyOut, ref, note}: docs/wallet.md's convention. */
  metadata?: Record<string, unknown>;
  createdAt: string;
}

export interface Restriction {
  id: string;
  reasonCode: string;
  reasonZh: string;
  reasonEn: string;
  liftBy: string;
  source: string;
  createdAt: string;
  liftedAt: string | null;
}

export interface SecurityCase {
  id: string;
  userId: string;
  kind: string;
  status: string;
  createdAt: string;
  details: { voidedHolds?: number; idNumber?: string; movements?: unknown[] } & Record<string, unknown>;
}

export interface CustomerView {
  profile: {
    id: string;
    phone: string;
    name: string;
    idNumber: string;
    tier: string;
    walletAccountId: string;
    frozen: boolean;
    frozenReason: string | null;
    frozenAt: string | null;
    createdAt: string;
  };
  revealed: boolean;
  wallet: {
    accountId: string;
    currency: string;
    balance: number;
    available: number;
    pendingDebits: number;
    frozen: boolean;
    limits: {
      dailyFen?: number;
      yearlyFen?: number;
      balanceCapFen?: number;
      perMovementFen?: number;
      lifetimeFen?: number;
    };
  } | null;
  usage: { dayFen: number; yearFen: number; lifetimeFen: number };
  movements: Movement[];
  devices: { id: string; label: string; firstSeenAt: string; lastSeenAt: string }[];
  restrictions: { active: Restriction | null; history: Restriction[] };
  cases: SecurityCase[];
}

export interface MaintenanceWindow {
  id: string;
  feature: string;
  startsAt: string;
  endsAt: string;
  active: boolean;
  titleZh: string;
  titleEn: string;
  messageZh: string;
  messageEn: string;
  createdBy: string;
  endedEarlyAt: string | null;
}

export interface AuditEntry {
  seq: number;
  id: string;
  actorKind: string;
  actorId: string;
  action: string;
  subjectType?: string;
  subjectId?: string;
  details: unknown;
  ip?: string;
  createdAt: string;
}

export interface KycItem {
  id: string;
  userId: string;
  holderName?: string | null;
  documentType: string;
  status: string;
  reason: string | null;
  autoOutcome: string | null;
  decidedBy: string | null;
  claimedBy: string | null;
  claimedUntil: string | null;
  overrideBy: string | null;
  createdAt: string;
}

export interface Alert {
  id: string;
  userId: string;
  holderName?: string | null;
  kind: string;
  assessmentId: string | null;
  riskHoldId: string | null;
  status: string;
  claimedBy: string | null;
  resolution: string | null;
  resolutionNote: string | null;
  createdAt: string;
}

export interface Merchant {
  id: string;
  merchantNumber: string;
  name: string;
  mcc: string;
  city: string;
  status: string;
  statusReason: string | null;
  payoutBankName: string;
  payoutAccount: string;
  createdAt: string;
}

/**
 * A cursor-paged list: `url(cursor)` builds one page's address, `next` reads the next cursor from
 * a page (null at the end). Items of every loaded page, in order, and `more()` to load the next.
 */
export function usePagedList<T, P extends { items: T[] }>(
  key: unknown[],
  url: (cursor: string | null) => string,
  next: (page: P) => string | null,
) {
  const list = useInfiniteQuery({
    queryKey: key,
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) => api.get<P>(url(pageParam)),
    getNextPageParam: (page) => next(page),
  });
  return {
    items: list.data?.pages.flatMap((page) => page.items) ?? [],
    error: list.error,
    isPending: list.isPending,
    hasMore: list.hasNextPage,
    loadingMore: list.isFetchingNextPage,
    more: () => void list.fetchNextPage(),
    refetch: () => void list.refetch(),
  };
}
