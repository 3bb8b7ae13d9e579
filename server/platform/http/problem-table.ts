/** One problem code's HTTP status and the message shown to people, in zh-CN and English. */
export type ProblemEntry = { status: number; zh: string; en: string };

/** A domain's problem codes: HTTP status and the message shown to people, in zh-CN and English. */
export type ProblemTable = Record<string, ProblemEntry>;
