/**
 * One problem code's HTTP status and the message shown to people, in zh-CN and English. `retry` marks an
 * answer that asks the client to do something and send the same request again (a step-up): the
 * idempotency layer does not keep it, so the retry under the same key runs instead of replaying it.
 */
export type ProblemEntry = { status: number; zh: string; en: string; retry?: true };

/** A domain's problem codes: HTTP status and the message shown to people, in zh-CN and English. */
export type ProblemTable = Record<string, ProblemEntry>;
