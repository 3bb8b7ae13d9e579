import { canonicalJson } from '../platform/canonical-json.js';
import { sha256Hex } from '../platform/crypto.js';
import type { LedgerCommand, Metadata, PostingView } from './types.js';

export const GENESIS_HASH = '0'.repeat(64);

/** What a command asks for, without its free-form metadata: a retried reference must match it. */
export function commandHash(command: LedgerCommand): string {
  const { metadata: _metadata, ...rest } = command as LedgerCommand & { metadata?: Metadata };
  return sha256Hex(canonicalJson(rest));
}

export interface HashedEntryContent {
  seq: bigint;
  id: string;
  reference: string;
  kind: string;
  currency: string;
  postings: PostingView[];
  metadata: Metadata;
  holdId: string | null;
  reversesEntryId: string | null;
  createdAt: Date;
  prevHash: string;
}

/** The hash that links an entry into the chain: its whole content plus the previous entry's hash. */
export function entryHash(entry: HashedEntryContent): string {
  return sha256Hex(
    canonicalJson({
      v: 1,
      seq: entry.seq,
      id: entry.id,
      reference: entry.reference,
      kind: entry.kind,
      currency: entry.currency,
      postings: entry.postings.map((posting) => [posting.accountId, posting.amountFen]),
      metadata: entry.metadata,
      holdId: entry.holdId,
      reversesEntryId: entry.reversesEntryId,
      createdAt: entry.createdAt,
      prevHash: entry.prevHash,
    }),
  );
}
