import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { isPrivateAddress } from './webhook-targets.js';

/**
 * One HTTP POST of a webhook. When private targets are refused, the address the socket connects to is
 * checked at connection time (the name is resolved again here, so a name that changed what it points
 * to since the endpoint was saved, DNS rebinding, is caught): a private, loopback or link-local address
 * ends the attempt before anything is sent. The answer's first 1,000 characters are kept for the log.
 */

export type SendOutcome =
  { ok: true; status: number; body: string; latencyMs: number } | { ok: false; error: string; latencyMs: number };

export type WebhookSender = (
  url: URL,
  request: { headers: Record<string, string>; body: string },
  options: { refusePrivate: boolean; timeoutMs: number },
) => Promise<SendOutcome>;

const KEEP_BODY_CHARS = 1000;

class PrivateAddressError extends Error {
  readonly code = 'PRIVATE_ADDRESS';
}

/** A lookup that fails when any address the name resolves to is not public. */
export const guardedLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...(options as LookupOptions), all: true }, (error, addresses: LookupAddress[]) => {
    if (error) return callback(error, '', 0);
    if (addresses.length === 0 || addresses.some((entry) => isPrivateAddress(entry.address)))
      return callback(new PrivateAddressError(`${hostname} resolves to a non-public address`), '', 0);
    if ((options as LookupOptions).all)
      return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
    callback(null, addresses[0].address, addresses[0].family);
  });
};

export const sendWebhookHttp: WebhookSender = (url, request, options) =>
  new Promise((resolve) => {
    const started = performance.now();
    const latency = () => Math.round(performance.now() - started);
    const client = url.protocol === 'https:' ? https : http;
    const req = client.request(
      url,
      {
        method: 'POST',
        headers: { ...request.headers, 'content-length': String(Buffer.byteLength(request.body)) },
        lookup: options.refusePrivate ? guardedLookup : undefined,
        timeout: options.timeoutMs,
        agent: false,
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          if (text.length < KEEP_BODY_CHARS) text += chunk;
        });
        res.on('end', () =>
          resolve({
            ok: true,
            status: res.statusCode ?? 0,
            body: text.slice(0, KEEP_BODY_CHARS),
            latencyMs: latency(),
          }),
        );
        res.on('error', (error) => resolve({ ok: false, error: error.message, latencyMs: latency() }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (error) =>
      resolve({
        ok: false,
        error: error instanceof PrivateAddressError ? 'private_address' : error.message || 'connection_failed',
        latencyMs: latency(),
      }),
    );
    req.end(request.body);
  });
