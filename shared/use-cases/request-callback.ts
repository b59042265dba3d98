import { callbackNotice, customerReplyFor, replyTextsFor } from '../domain/callback-messages.js';
import { type CallbackOutcome, callbackClientToken, callbackTriggerIn } from '../domain/callback-request.js';
import {
  type Conversation,
  type ConversationKey,
  conversationKeyString,
  currentContactId,
  toE164,
} from '../domain/conversation.js';
import { ChatEndedError, RetryableError } from '../domain/errors.js';
import { isOpenAt } from '../domain/hours-of-operation.js';
import type { InboundMessage } from '../domain/inbound-message.js';
import { maskPhoneNumber } from '../domain/masking.js';
import { hashForLogs, idempotencyToken } from '../domain/tokens.js';
import { textPayload } from '../domain/whatsapp-payloads.js';
import type { CallbackLog, CallbackResult } from '../ports/callback-log.js';
import type { ParticipantService } from '../ports/chat-service.js';
import type { ConversationStore } from '../ports/conversation-store.js';
import type { CustomerKeys } from '../ports/customer-keys.js';
import {
  type HoursOfOperationSource,
  OutboundCallNotPlacedError,
  OutboundCallRefusedError,
  type OutboundCalls,
  OutboundCallUnconfirmedError,
} from '../ports/outbound-calls.js';
import type { Telemetry } from '../ports/telemetry.js';
import { WhatsAppRefusedError, type WhatsAppSender } from '../ports/whatsapp-sender.js';
import type { CallbackPlan } from './callback-plan.js';
import type { CustomerConnection } from './customer-connection.js';

export interface RequestCallbackDependencies {
  readonly keys: CustomerKeys;
  readonly conversations: Pick<ConversationStore, 'refresh'>;
  readonly callbacks: CallbackLog;
  readonly calls: OutboundCalls;
  readonly hours: HoursOfOperationSource;
  readonly chat: Pick<ParticipantService, 'sendMessage'>;
  readonly connection: Pick<CustomerConnection, 'run'>;
  readonly whatsApp: WhatsAppSender;
  readonly telemetry: Telemetry;
  /** The number's plan; undefined when it does not offer callbacks (nothing is matched). */
  readonly planFor: (businessPhoneNumberId: string) => CallbackPlan | undefined;
  readonly now: () => number;
}

/**
 * A customer's "call me": an outbound voice call through Amazon Connect, after the message itself
 * has been relayed to the agent (RelayInboundMessage calls this for every message, redeliveries too).
 *
 * Primary course:
 * 1. The message is a configured phrase, whole (callback-request.ts); the number offers callbacks.
 * 2. Claim the request on the conversation (a conditional write: CallbackLog).
 * 3. Check the customer's phone number is visible and the hours are open, then
 *    StartOutboundVoiceContact to that number, with a ClientToken of the conversation and message.
 * 4. Tell the agent (a notice in the chat) and the customer (a WhatsApp reply, in the phrase's
 *    language), then record how it ended.
 *
 * Alternate courses: a redelivered message whose request was finished does nothing; one that was
 * cut short dials again with the same ClientToken, so Connect returns the same contact (0 double
 * calls). A new request within the cool-down of a placed call is answered, not dialled. A refusal
 * (no number, switched off, closed, Connect refuses) is explained to both sides. A transient
 * failure is retried with the record; the replies are at-least-once on a crash, the call is not.
 */
export class RequestCallback {
  constructor(private readonly deps: RequestCallbackDependencies) {}

  async execute(
    message: InboundMessage,
    relayed: 'relayed' | 'duplicate' = 'relayed',
  ): Promise<CallbackOutcome> {
    const { telemetry } = this.deps;
    const plan = this.deps.planFor(message.business.phoneNumberId);
    const trigger = plan ? callbackTriggerIn(message, plan.phrases) : undefined;
    if (!plan || !trigger) return { kind: 'not-requested' };

    const key = await this.deps.keys.keyFor(message.business.phoneNumberId, message.customer);
    const logContext = {
      whatsAppMessageId: message.id,
      conversation: hashForLogs(conversationKeyString(key)),
      language: trigger.language,
    };
    const claim = await this.deps.callbacks.claim(key, {
      whatsAppMessageId: message.id,
      now: this.deps.now(),
      cooldownMs: plan.call.enabled ? plan.call.cooldownMs : 0,
    });
    if (claim.kind === 'already-handled') {
      telemetry.count('CallbackDuplicatesSkipped');
      telemetry.info('Callback request already handled; skipping', logContext);
      return { kind: 'already-handled' };
    }
    // A repeat's own redelivery: it was answered when first relayed (its reply is not recorded).
    if (claim.kind === 'cooling-down' && relayed === 'duplicate') {
      telemetry.count('CallbackDuplicatesSkipped');
      return { kind: 'already-handled' };
    }
    telemetry.count('CallbacksRequested', { Language: trigger.language });
    const conversation = await this.deps.conversations.refresh(key);
    let outcome: CallbackOutcome;
    switch (claim.kind) {
      case 'cooling-down':
        outcome = {
          kind: 'cooling-down',
          since: claim.since,
          ...(claim.contactId ? { contactId: claim.contactId } : {}),
        };
        break;
      case 'interrupted':
        // An earlier attempt died between its dialling mark and its result: the phone may have rung.
        outcome = { kind: 'unconfirmed', detail: 'an earlier attempt stopped while dialling' };
        break;
      case 'claimed':
        outcome = await this.place(message, key, conversation, plan);
        break;
    }
    this.record(outcome, logContext);

    await this.tellAgent(message, conversation, outcome);
    const announced = plan.call.enabled ? plan.call.announcedNumber : undefined;
    await this.tellCustomer(
      message,
      customerReplyFor(outcome, replyTextsFor(trigger.language, plan.replies), announced),
    );
    const result = resultOf(outcome);
    if (result) await this.deps.callbacks.finish(key, message.id, result);
    return outcome;
  }

  private async place(
    message: InboundMessage,
    key: ConversationKey,
    conversation: Conversation | undefined,
    plan: CallbackPlan,
  ): Promise<CallbackOutcome> {
    const { call } = plan;
    if (!call.enabled) return { kind: 'refused', reason: 'callbacks-off' };
    // Only the number this message came from: a customer who now hides it is not called on an old one.
    const destination = toE164(message.customer.waId);
    if (!destination) return { kind: 'refused', reason: 'no-phone-number' };
    if (call.hoursOfOperationId && !(await this.isOpen(call.hoursOfOperationId)))
      return { kind: 'refused', reason: 'outside-hours' };

    const chatContactId = conversation ? currentContactId(conversation.chat) : undefined;
    const preferredAgentId = conversation?.lastAgent?.agentId;
    await this.deps.callbacks.markDialling(key, message.id);
    try {
      const { contactId } = await this.deps.calls.startCall({
        destination,
        contactFlowId: call.contactFlowId,
        source: call.source,
        clientToken: callbackClientToken(key, message.id),
        // The same names the chat's attributes use (chat-start-draft.ts), plus what the flow routes on.
        attributes: {
          channel: 'WhatsApp callback',
          customerId: key.customerId,
          businessPhoneNumberId: key.businessPhoneNumberId,
          conversationKey: conversationKeyString(key),
          whatsAppMessageId: message.id,
          ...(chatContactId ? { whatsAppContactId: chatContactId } : {}),
          ...(preferredAgentId ? { preferredAgentId } : {}),
        },
      });
      return { kind: 'started', contactId, destination };
    } catch (error) {
      if (error instanceof OutboundCallUnconfirmedError) return { kind: 'unconfirmed', detail: error.detail };
      if (error instanceof OutboundCallNotPlacedError) {
        // Certainly not placed: the retry of this record may dial.
        await this.deps.callbacks.releaseDialling(key, message.id);
        throw error;
      }
      if (!(error instanceof OutboundCallRefusedError)) throw error;
      return { kind: 'refused', reason: error.reason, detail: error.detail };
    }
  }

  /** Closed hours refuse the call; hours that cannot be read (a wrong id) refuse it too, never dial blind. */
  private async isOpen(hoursOfOperationId: string): Promise<boolean> {
    try {
      return isOpenAt(await this.deps.hours.weeklyHours(hoursOfOperationId), this.deps.now());
    } catch (error) {
      if (error instanceof RetryableError) throw error;
      this.deps.telemetry.error('Hours of operation could not be read; no call placed', {
        hoursOfOperationId,
        error: (error as Error).name,
      });
      return false;
    }
  }

  private record(outcome: CallbackOutcome, logContext: Record<string, unknown>): void {
    const { telemetry } = this.deps;
    switch (outcome.kind) {
      case 'started':
        telemetry.count('CallbacksStarted');
        telemetry.info('Callback started', {
          ...logContext,
          contactId: outcome.contactId,
          destination: maskPhoneNumber(outcome.destination),
        });
        return;
      case 'cooling-down':
        telemetry.count('CallbackRepeatsHeldBack');
        telemetry.info('Callback requested again within the cool-down; not dialled', logContext);
        return;
      case 'unconfirmed':
        telemetry.count('CallbacksUnconfirmed');
        telemetry.error('Callback outcome unknown; not dialled again', {
          ...logContext,
          detail: outcome.detail,
        });
        return;
      case 'refused':
        telemetry.count('CallbacksRefused', { Reason: outcome.reason });
        telemetry.warn('Callback not placed', {
          ...logContext,
          reason: outcome.reason,
          detail: outcome.detail,
        });
        return;
      default:
        return;
    }
  }

  /** A notice in the running chat; if there is none, the log and metric are what remains. */
  private async tellAgent(
    message: InboundMessage,
    conversation: Conversation | undefined,
    outcome: CallbackOutcome,
  ): Promise<void> {
    const notice = callbackNotice(outcome);
    if (!notice || !conversation) return;
    try {
      await this.deps.connection.run(conversation, (connectionToken) =>
        this.deps.chat.sendMessage({
          connectionToken,
          contactId: currentContactId(conversation.chat) ?? '',
          content: notice,
          // One notice per request, however often the message is redelivered.
          clientToken: idempotencyToken('callback-notice', message.id, outcome.kind),
        }),
      );
      this.deps.telemetry.count('AgentNoticesPosted');
    } catch (error) {
      if (!(error instanceof ChatEndedError)) throw error;
      this.deps.telemetry.warn('No running chat to tell the agent about the callback', {
        whatsAppMessageId: message.id,
      });
    }
  }

  /** The WhatsApp reply, to the number or (username-only customers) the BSUID the message came from. */
  private async tellCustomer(message: InboundMessage, reply: string | undefined): Promise<void> {
    if (!reply) return;
    const phoneNumber = toE164(message.customer.waId);
    const recipient = phoneNumber
      ? { phoneNumber }
      : { userId: message.customer.userId ?? message.customer.id };
    try {
      await this.deps.whatsApp.send(message.business.phoneNumberId, textPayload(recipient, reply));
    } catch (error) {
      // Not sent and never will be (the request itself was refused): the agent's notice stands.
      if (!(error instanceof WhatsAppRefusedError)) throw error;
      this.deps.telemetry.count('CallbackRepliesRefused');
      this.deps.telemetry.warn('WhatsApp refused the callback reply', {
        whatsAppMessageId: message.id,
        reason: error.reason,
      });
    }
  }
}

/** What the conversation's callback record keeps of an outcome, for outcomes that end a claim. */
function resultOf(outcome: CallbackOutcome): CallbackResult | undefined {
  switch (outcome.kind) {
    case 'started':
      return { state: 'placed', contactId: outcome.contactId };
    case 'refused':
      return { state: 'not-placed', reason: outcome.reason };
    case 'unconfirmed':
      return { state: 'unconfirmed', reason: outcome.detail };
    default:
      return undefined;
  }
}
