/**
 * Web cookie names. Each web app has its own session and CSRF cookie, so signing in or out of one
 * never touches another. Served over HTTPS they carry the `__Host-` prefix: the browser then
 * accepts them only with Secure, Path=/ and no Domain, so a sibling subdomain cannot plant or
 * shadow them. Plain HTTP (development on 127.0.0.1) cannot set `__Host-` cookies, so there they
 * keep their bare names.
 */
export const WEB_COOKIES = {
  wallet: { session: 'tb_session', csrf: 'tb_csrf' },
  staff: { session: 'tb_staff_session', csrf: 'tb_staff_csrf' },
  merchant: { session: 'tb_merchant_session', csrf: 'tb_merchant_csrf' },
} as const;

export type WebApp = keyof typeof WEB_COOKIES;

export function cookieName(name: string, secure: boolean): string {
  return secure ? `__Host-${name}` : name;
}

/** The session and CSRF cookie names of a web app, and the attributes both are set and cleared with. */
export function webCookies(app: WebApp, secure: boolean) {
  return {
    session: cookieName(WEB_COOKIES[app].session, secure),
    csrf: cookieName(WEB_COOKIES[app].csrf, secure),
    attributes: { path: '/', sameSite: 'lax' as const, secure },
  };
}
