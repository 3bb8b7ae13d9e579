/** The wallet's date formatters live in web/shared/dates.ts, shared with the merchant pages. */
export * from '../shared/dates';
