import { join } from 'node:path';

export const TEMPLATE_DIR = join(process.cwd(), '.tmp', 'test-templates');

/** The maintenance database on the same server, for CREATE and DROP DATABASE. */
export function adminUrl(url: string): string {
  const parsed = new URL(url);
  parsed.pathname = '/postgres';
  return parsed.toString();
}

export function databaseUrl(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
