import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { deviceLabel } from '../identity/login.js';
import { Problem, problemFrom } from '../platform/http/problem-error.js';
import type { SeedApproval } from './payment-code-seeds.js';
import type { PaymentsService } from './service.js';

/** The holder's payment-code devices: approve and mint a seed, list them, remove one. */

const tags = ['payments'];
const user = { auth: ['user'] as const, feature: 'payments' };
// Seeing and removing devices is a security action: it stays open while payments are in maintenance.
const security = { auth: ['user'] as const };
const me = (request: FastifyRequest) => request.principal?.id as string;
const headerDeviceId = (request: FastifyRequest) => {
  const device = request.headers['x-device-id'];
  return typeof device === 'string' && device.length > 0 && device.length <= 128 ? device : undefined;
};

const DeviceId = Type.String({ minLength: 8, maxLength: 128 });
const DeviceName = Type.String({ minLength: 1, maxLength: 40, pattern: '\\S' });
const SeedBody = Type.Object(
  {
    deviceId: DeviceId,
    deviceName: Type.Optional(DeviceName),
    pin: Type.Optional(Type.String({ pattern: '^\\d{6}$' })),
    confirmationId: Type.Optional(Type.String({ maxLength: 64 })),
  },
  { additionalProperties: false },
);
const SeedSchema = Type.Object({
  id: Type.String(),
  seedNumber: Type.String(),
  secret: Type.String(),
  prefix: Type.String(),
  stepSeconds: Type.Integer(),
  digits: Type.Integer(),
  algorithm: Type.String(),
});
const ConfirmationSchema = Type.Object({
  id: Type.String(),
  challenge: Type.String(),
  expiresAt: Type.String({ format: 'date-time' }),
});
const DeviceSchema = Type.Object({
  id: Type.String(),
  deviceName: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  lastUsedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  current: Type.Boolean(),
});

export function paymentCodeRoutes(app: FastifyInstance, service: PaymentsService): void {
  const seeds = service.paymentCodeSeeds;

  app.post<{ Body: { deviceId: string } }>(
    '/api/v1/payment-code/seed/confirmation',
    {
      config: user,
      schema: {
        operationId: 'preparePaymentCodeDevice',
        tags,
        summary: 'A confirmation to approve a seed for this device with a passkey (or the PIN) before minting it',
        body: Type.Object({ deviceId: DeviceId }, { additionalProperties: false }),
        response: { 201: ConfirmationSchema },
      },
    },
    async (request, reply) => {
      const confirmation = await seeds.prepare(me(request), request.body.deviceId);
      const { id, challenge, expiresAt } = confirmation;
      return reply.code(201).send({ id, challenge, expiresAt: expiresAt.toISOString() });
    },
  );

  app.post<{ Body: { deviceId: string; deviceName?: string; pin?: string; confirmationId?: string } }>(
    '/api/v1/payment-code/seed',
    {
      config: user,
      schema: {
        operationId: 'enrolPaymentCodeDevice',
        tags,
        summary:
          "A device-bound secret for this device's payment code (see docs/payments.md), approved with `pin` or a " +
          "confirmed `confirmationId`. The device's previous seed stops working, and past 3 devices the oldest one",
        body: SeedBody,
        problems: [
          'PAYMENT_CODE_AUTH_REQUIRED',
          'CONFIRMATION_NOT_FOUND',
          'CONFIRMATION_INVALID',
          'CONFIRMATION_EXPIRED',
          'PIN_INVALID',
          'PIN_LOCKED',
          'PIN_NOT_SET',
        ],
        response: { 201: SeedSchema },
      },
    },
    async (request, reply) => {
      const { deviceId, deviceName, pin, confirmationId } = request.body;
      if (pin !== undefined && confirmationId !== undefined) {
        const both = { field: 'pin', message: 'give at most one of pin and confirmationId' };
        throw new Problem('VALIDATION_FAILED', {}, [both]);
      }
      const approval: SeedApproval | null =
        pin !== undefined ? { pin } : confirmationId !== undefined ? { confirmationId } : null;
      const name = deviceName?.trim() || deviceLabel(String(request.headers['user-agent'] ?? ''));
      const minted = await seeds.mint(me(request), { deviceId, deviceName: name }, approval);
      if (!minted.ok) throw problemFrom(minted.error);
      return reply.code(201).send(minted.value);
    },
  );

  app.get(
    '/api/v1/payment-code/devices',
    {
      config: security,
      schema: {
        operationId: 'listPaymentCodeDevices',
        tags,
        summary: 'My payment-code devices (at most 3), newest first; `current` is the device asking (X-Device-Id)',
        response: { 200: Type.Object({ items: Type.Array(DeviceSchema) }) },
      },
    },
    async (request) => {
      const devices = await seeds.list(me(request), headerDeviceId(request));
      return {
        items: devices.map((d) => ({
          ...d,
          createdAt: d.createdAt.toISOString(),
          lastUsedAt: d.lastUsedAt?.toISOString() ?? null,
        })),
      };
    },
  );

  app.delete<{ Params: { id: string } }>(
    '/api/v1/payment-code/devices/:id',
    {
      config: security,
      schema: {
        operationId: 'removePaymentCodeDevice',
        tags,
        summary: 'Remove one of my payment-code devices: codes from it are refused from now on',
        params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
        problems: ['PAYMENT_CODE_DEVICE_NOT_FOUND'],
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      const removed = await seeds.remove(me(request), request.params.id, { ip: request.ip, requestId: request.id });
      if (!removed.ok) throw problemFrom(removed.error);
      return reply.code(204).send();
    },
  );
}
