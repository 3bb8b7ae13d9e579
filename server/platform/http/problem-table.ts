/** A domain's problem codes: HTTP status and the message shown to people, in zh-CN and English. */
export type ProblemTable = Record<string, { status: number; zh: string; en: string }>;
