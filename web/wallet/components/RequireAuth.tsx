import { Navigate, Outlet, useLocation } from 'react-router';
import { ApiError } from '../../shared/api';
import { Loading } from './Loading';
import { useMe } from '../session';
import { ProblemView } from './ProblemView';

/** Pages behind sign-in: a missing or expired session goes to the sign-in page and back. */
export function RequireAuth() {
  const me = useMe();
  const location = useLocation();
  if (me.isPending) return <Loading />;
  if (me.error instanceof ApiError && me.error.status === 401) {
    const next = location.pathname + location.search;
    return <Navigate to={next === '/' ? '/login' : `/login?next=${encodeURIComponent(next)}`} replace />;
  }
  if (me.error) return <ProblemView error={me.error} onRetry={() => void me.refetch()} />;
  return <Outlet />;
}
