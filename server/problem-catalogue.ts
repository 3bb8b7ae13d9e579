import { APPROVAL_PROBLEMS } from './approvals/problems.js';
import { BILL_PROBLEMS } from './bills/problems.js';
import { CREDIT_PROBLEMS } from './credit/problems.js';
import { FUNDING_PROBLEMS } from './funding/problems.js';
import { IDENTITY_PROBLEMS } from './identity/problems.js';
import { INSIGHTS_PROBLEMS } from './insights/problems.js';
import { KYC_PROBLEMS } from './kyc/problems.js';
import { LEDGER_PROBLEMS } from './ledger/problems.js';
import { MAINTENANCE_PROBLEMS } from './maintenance/problems.js';
import { MERCHANT_API_PROBLEMS } from './merchant-api/problems.js';
import { MERCHANT_WEBHOOK_PROBLEMS } from './merchant-api/webhook-problems.js';
import { OPS_PROBLEMS } from './ops/problems.js';
import { PAYMENT_PROBLEMS } from './payments/problems.js';
import type { ProblemTable } from './platform/http/problem-table.js';
import { CORE_PROBLEMS } from './platform/http/problems.js';
import { RISK_PROBLEMS } from './risk/problems.js';
import { SAVINGS_PROBLEMS } from './savings/problems.js';
import { SUPPORT_PROBLEMS } from './support/problems.js';
import { TRANSFER_PROBLEMS } from './transfers/problems.js';
import { WALLET_PROBLEMS } from './wallet/problems.js';

/**
 * Every domain's problem table, in one list: app.ts registers each when it assembles the app, and
 * the web apps show their messages. Like app.ts this is an assembly module, so it may import every
 * domain (plain data only, since the web bundles it). A new domain adds its table here.
 */
export const DOMAIN_PROBLEM_TABLES: readonly ProblemTable[] = [
  LEDGER_PROBLEMS,
  MAINTENANCE_PROBLEMS,
  IDENTITY_PROBLEMS,
  KYC_PROBLEMS,
  WALLET_PROBLEMS,
  PAYMENT_PROBLEMS,
  RISK_PROBLEMS,
  TRANSFER_PROBLEMS,
  OPS_PROBLEMS,
  APPROVAL_PROBLEMS,
  BILL_PROBLEMS,
  SAVINGS_PROBLEMS,
  INSIGHTS_PROBLEMS,
  MERCHANT_API_PROBLEMS,
  MERCHANT_WEBHOOK_PROBLEMS,
  CREDIT_PROBLEMS,
  SUPPORT_PROBLEMS,
  FUNDING_PROBLEMS,
];

/** Every code the server answers with (the platform's core and every domain's), for the web apps. */
export const PROBLEM_CATALOGUE: ProblemTable = Object.assign({}, CORE_PROBLEMS, ...DOMAIN_PROBLEM_TABLES);
