import { MalformedEventError } from '../../domain/errors.js';
import type { MalformedItem, WebhookItem } from './webhook-item.js';

/** The outcome of decoding one part of an entry: its value, or the malformed item it becomes. */
export type Attempt<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly item: MalformedItem };

/**
 * Decodes one part of an entry (a change, a message, a status…); a MalformedEventError becomes a
 * `malformed` item instead of failing the whole record, so the part's good siblings still go
 * through. Any other error is a bug and propagates.
 */
export function attempt<T>(part: MalformedItem['part'], decode: () => T): Attempt<T> {
  try {
    return { ok: true, value: decode() };
  } catch (error) {
    if (!(error instanceof MalformedEventError)) throw error;
    return { ok: false, item: { kind: 'malformed', part, reason: error.reason, detail: error.message } };
  }
}

/** `attempt` for a part that is one webhook item. */
export function decodeItem(part: MalformedItem['part'], decode: () => WebhookItem): WebhookItem {
  const result = attempt(part, decode);
  return result.ok ? result.value : result.item;
}
