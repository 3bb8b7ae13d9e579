import i18n from './i18n';

/**
 * The typed API client. Web sessions live in an httpOnly cookie; the server also sets a readable
 * CSRF cookie (`tb_csrf`, or `tb_staff_csrf` for the console) whose value must be echoed in
 * `X-CSRF-Token` on every write. Errors come back
 * as `application/problem+json` with a stable `code` and become `ApiError`s.
 */

export interface Problem {
  type?: string;
  title?: string;
  status: number;
  code: string;
  requestId?: string;
  errors?: { field: string; message: string }[];
  [extra: string]: unknown;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly problem: Problem;
  constructor(problem: Problem) {
    super(problem.title ?? problem.code);
    this.name = 'ApiError';
    this.status = problem.status;
    this.code = problem.code;
    this.problem = problem;
  }
}

const DEVICE_KEY = 'tb_device_id';

/** A stable random id for this browser, so the server can tell a known device from a new one. */
export function deviceId(): string {
  let id = localStorage.getItem(DEVICE_KEY);
  if (!id) {
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    id = `dev_${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
    localStorage.setItem(DEVICE_KEY, id);
  }
  return id;
}

/**
 * The CSRF token for a request: staff routes (the console) echo the staff cookie, everything else
 * the wallet's. Over HTTPS the cookies carry the `__Host-` prefix.
 */
export function csrfToken(path = ''): string | undefined {
  const staff = path.startsWith('/api/v1/ops/') || path.startsWith('/api/v1/staff/');
  const pattern = staff ? /(?:^|;\s*)(?:__Host-)?tb_staff_csrf=([^;]*)/ : /(?:^|;\s*)(?:__Host-)?tb_csrf=([^;]*)/;
  const match = pattern.exec(document.cookie);
  return match ? decodeURIComponent(match[1]) : undefined;
}

/** A fresh key for one money-moving attempt; retries of that attempt reuse it. */
export function idempotencyKey(): string {
  return crypto.randomUUID();
}

export interface RequestOptions {
  idempotencyKey?: string;
  signal?: AbortSignal;
  headers?: Record<string, string>;
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export async function request<T>(
  method: Method,
  path: string,
  body?: unknown,
  options: RequestOptions = {},
): Promise<T> {
  const headers: Record<string, string> = {
    accept: 'application/json',
    'accept-language': i18n.language === 'en' ? 'en' : 'zh-CN',
    'x-device-id': deviceId(),
    ...options.headers,
  };
  if (method !== 'GET') {
    const csrf = csrfToken(path);
    if (csrf) headers['x-csrf-token'] = csrf;
  }
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      signal: options.signal,
    });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError({ status: 0, code: 'NETWORK_ERROR' });
  }
  if (response.status === 204) return undefined as T;
  const type = response.headers.get('content-type') ?? '';
  const parsed: unknown = type.includes('json') ? await response.json().catch(() => null) : null;
  // A problem is a problem whatever its status: RISK_CONFIRMATION_REQUIRED answers 202.
  if (!response.ok || type.includes('application/problem+json')) {
    const problem =
      parsed && typeof parsed === 'object' && 'code' in parsed
        ? (parsed as Problem)
        : { status: response.status, code: response.status >= 500 ? 'INTERNAL_ERROR' : 'MALFORMED_REQUEST' };
    throw new ApiError({ ...problem, status: response.status });
  }
  return parsed as T;
}

/** Multipart upload (documents, photos): same CSRF and language headers, no JSON body. */
export async function upload<T>(path: string, form: FormData): Promise<T> {
  const headers: Record<string, string> = {
    accept: 'application/json',
    'accept-language': i18n.language === 'en' ? 'en' : 'zh-CN',
    'x-device-id': deviceId(),
  };
  const csrf = csrfToken(path);
  if (csrf) headers['x-csrf-token'] = csrf;
  let response: Response;
  try {
    response = await fetch(path, { method: 'POST', headers, body: form, credentials: 'same-origin' });
  } catch {
    throw new ApiError({ status: 0, code: 'NETWORK_ERROR' });
  }
  const parsed: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const problem =
      parsed && typeof parsed === 'object' && 'code' in parsed
        ? (parsed as Problem)
        : { status: response.status, code: 'INTERNAL_ERROR' };
    throw new ApiError({ ...problem, status: response.status });
  }
  return parsed as T;
}

export const api = {
  get: <T>(path: string, options?: RequestOptions) => request<T>('GET', path, undefined, options),
  post: <T>(path: string, body?: unknown, options?: RequestOptions) => request<T>('POST', path, body, options),
  put: <T>(path: string, body?: unknown, options?: RequestOptions) => request<T>('PUT', path, body, options),
  patch: <T>(path: string, body?: unknown, options?: RequestOptions) => request<T>('PATCH', path, body, options),
  delete: <T>(path: string, options?: RequestOptions) => request<T>('DELETE', path, undefined, options),
};

/** Builds a query string from defined values only. */
export function query(params: Record<string, string | number | boolean | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params))
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}
