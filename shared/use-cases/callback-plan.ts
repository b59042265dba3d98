import type { CallbackReplyTexts } from '../domain/callback-messages.js';
import { type CallbackPhrases, callbackPhrases } from '../domain/callback-request.js';
import type { OutboundCallRequest } from '../ports/outbound-calls.js';

/** A business number's callback setup, resolved from its configuration once per container. */
export interface CallbackPlan {
  readonly phrases: CallbackPhrases;
  readonly replies: Readonly<Record<string, Partial<CallbackReplyTexts>>>;
  readonly call:
    | { readonly enabled: false }
    | {
        readonly enabled: true;
        readonly contactFlowId: string;
        readonly source: OutboundCallRequest['source'];
        /** The number the customer is told the call comes from. */
        readonly announcedNumber: string;
        readonly cooldownMs: number;
        readonly hoursOfOperationId?: string;
      };
}

/** A number's `callback` settings as configured (shared/config/callback-settings.ts), read structurally. */
export type CallbackSettingsInput =
  | {
      readonly enabled: true;
      readonly outboundFlowId: string;
      readonly sourcePhoneNumber?: string | undefined;
      readonly queueId?: string | undefined;
      readonly announcedPhoneNumber?: string | undefined;
      readonly cooldownMinutes: number;
      readonly hoursOfOperationId?: string | undefined;
      readonly phrases?: Readonly<Record<string, readonly string[]>> | undefined;
      readonly courtesyWords?: readonly string[] | undefined;
      readonly replies?: Readonly<Record<string, Partial<CallbackReplyTexts>>> | undefined;
    }
  | {
      readonly enabled: false;
      readonly phrases?: Readonly<Record<string, readonly string[]>> | undefined;
      readonly courtesyWords?: readonly string[] | undefined;
      readonly replies?: Readonly<Record<string, Partial<CallbackReplyTexts>>> | undefined;
    };

/** Resolves a number's settings once per container: phrase sets built, defaults applied. */
export function callbackPlanOf(settings: CallbackSettingsInput | undefined): CallbackPlan | undefined {
  if (!settings) return undefined;
  const phrases = callbackPhrases(settings.phrases, settings.courtesyWords);
  const replies = settings.replies ?? {};
  if (!settings.enabled) return { phrases, replies, call: { enabled: false } };
  // The schema guarantees a source number or a queue, and a number to announce.
  const announcedNumber = settings.announcedPhoneNumber ?? settings.sourcePhoneNumber ?? '';
  return {
    phrases,
    replies,
    call: {
      enabled: true,
      contactFlowId: settings.outboundFlowId,
      source: settings.sourcePhoneNumber
        ? { phoneNumber: settings.sourcePhoneNumber }
        : { queueId: settings.queueId ?? '' },
      announcedNumber,
      cooldownMs: settings.cooldownMinutes * 60_000,
      ...(settings.hoursOfOperationId ? { hoursOfOperationId: settings.hoursOfOperationId } : {}),
    },
  };
}
