import type { ConversationKey } from '../domain/conversation.js';

/**
 * The conversation's last callback, kept on the conversation item so that a redelivered "call me"
 * is recognised and a repeat within the cool-down does not dial again. Every move is a
 * conditional write.
 */
export interface CallbackLog {
  /**
   * Claims the right to handle this message's request. It is granted when there is no callback on
   * record, when the last one was this message and is still unfinished (a retry: the ClientToken
   * keeps the call single), when the last one was not placed, or when it is older than the cool-down.
   */
  claim(key: ConversationKey, request: CallbackClaimRequest): Promise<CallbackClaim>;
  /** Marks the request as being dialled, just before the call: a retry that finds the mark does not dial again. */
  markDialling(key: ConversationKey, whatsAppMessageId: string): Promise<void>;
  /** Takes the mark back when the call certainly was not placed (throttled), so a retry dials. */
  releaseDialling(key: ConversationKey, whatsAppMessageId: string): Promise<void>;
  /** Records how this message's request ended; placed or unconfirmed, it blocks repeats for the cool-down. */
  finish(key: ConversationKey, whatsAppMessageId: string, result: CallbackResult): Promise<void>;
}

export interface CallbackClaimRequest {
  readonly whatsAppMessageId: string;
  /** Epoch ms. */
  readonly now: number;
  readonly cooldownMs: number;
}

export type CallbackClaim =
  | { readonly kind: 'claimed' }
  | { readonly kind: 'already-handled' }
  /** An earlier attempt at this message was cut short while dialling: the call may have been placed. */
  | { readonly kind: 'interrupted'; readonly since: number }
  | { readonly kind: 'cooling-down'; readonly since: number; readonly contactId?: string };

export type CallbackResult =
  | { readonly state: 'placed'; readonly contactId: string }
  | { readonly state: 'not-placed'; readonly reason: string }
  | { readonly state: 'unconfirmed'; readonly reason: string };
