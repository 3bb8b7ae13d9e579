import { commandHash } from './hash.js';
import { applyHold, applyPostHold, applyVoidHold } from './rules-holds.js';
import { type BatchState, type Outcome, applyReverse, applyTransfer } from './rules.js';
import type { LedgerCommand } from './types.js';

/** Applies one command to the batch's in-memory state: checked first, applied whole or not at all. */
export function applyCommand(state: BatchState, command: LedgerCommand): Outcome {
  const hash = commandHash(command);
  switch (command.type) {
    case 'transfer':
      return applyTransfer(state, command, hash);
    case 'hold':
      return applyHold(state, command, hash);
    case 'post_hold':
      return applyPostHold(state, command, hash);
    case 'void_hold':
      return applyVoidHold(state, command, hash);
    case 'reverse':
      return applyReverse(state, command, hash);
  }
}
