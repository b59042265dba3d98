import { AGENT_INITIATION_WINDOW_MS } from '../domain/agent-initiation.js';
import { RetryableError } from '../domain/errors.js';
import { maskPhoneNumber } from '../domain/masking.js';
import type { SendStepAnswer } from '../domain/template-guide.js';
import { sendOutcomeData } from '../domain/template-guide-answers.js';
import { lookupTemplate } from '../domain/template-lookup.js';
import { describeProblems, validateTemplateSend } from '../domain/template-validation.js';
import { buildTemplateMessage, type TemplateDefinition, templateKey } from '../domain/whatsapp-template.js';
import type { AgentInitiations } from '../ports/agent-initiations.js';
import type { CustomerKeys } from '../ports/customer-keys.js';
import type { MarketingPreferences } from '../ports/marketing-preferences.js';
import type { Telemetry } from '../ports/telemetry.js';
import type { TemplateCatalogue } from '../ports/template-catalogue.js';
import {
  TemplateSendError,
  type TemplateSender,
  type TemplateSendFailure,
} from '../ports/template-sender.js';
import { marketingRefusalFor, recipientConversations } from './template-recipient.js';
import { failureAnswer } from './template-send-failures.js';
import { reshownEmptyForm, reshownForm, type TemplateSendRequest } from './template-send-request.js';

export interface SendAgentTemplateDependencies {
  readonly catalogue: TemplateCatalogue;
  readonly sender: TemplateSender;
  readonly conversations: AgentInitiations;
  /** Finds the conversation a number belongs to, also when it is keyed by the customer's BSUID. */
  readonly keys: CustomerKeys;
  /** The customer's marketing choice: marketing templates are refused to a customer who opted out. */
  readonly marketing: Pick<MarketingPreferences, 'marketingPreferenceOf'>;
  readonly telemetry: Telemetry;
  /** The EUM phone number id templates are sent from; it keys the conversation. */
  readonly businessPhoneNumberId: string;
  readonly now: () => number;
  /** The longest a send can take (request timeout plus throttle retries), in ms; none starts with less left. */
  readonly sendBudgetMs: number;
}

/**
 * Validates and sends an agent-initiated WhatsApp template, and records who started the
 * conversation so the customer's reply comes back to that agent.
 *
 * Primary course:
 * 1. Find the chosen template in the catalogue (approved, allowed, in that language).
 * 2. Validate the number, the value count and every value, and the header media; refuse a
 *    MARKETING template to a customer who opted out of marketing messages.
 * 3. Send the Meta template message with SendWhatsAppMessage from the configured number.
 * 4. Record the initiation (agent, template, time) on the conversation.
 * 5. Answer SENT with the message id and a confirmation.
 *
 * Alternate courses: any problem in 1–2 answers INVALID with the agent's input kept and a message
 * naming the field; throttling answers RETRY; other send failures answer FAILED. Nothing is thrown.
 */
export class SendAgentTemplate {
  constructor(private readonly deps: SendAgentTemplateDependencies) {}

  async execute(request: TemplateSendRequest): Promise<SendStepAnswer> {
    const { telemetry } = this.deps;
    let template: TemplateDefinition;
    try {
      const [sendable, summaries] = await Promise.all([
        this.deps.catalogue.sendable(),
        this.deps.catalogue.summaries(),
      ]);
      const found = lookupTemplate(request.templateKey, sendable, summaries);
      if (!found.found) return this.reject(request, undefined, found.reason, found.message);
      template = found.template;
      if (request.formProblem) {
        return this.reject(request, template, request.formProblem.reason, request.formProblem.message);
      }
    } catch (error) {
      telemetry.error('Template catalogue could not be loaded for a send', {
        contactId: request.guideContactId,
        error: String(error),
      });
      const message =
        error instanceof RetryableError
          ? 'WhatsApp is busy and the template could not be checked. Nothing was sent. Press Send again in a few seconds.'
          : 'The template could not be checked. Nothing was sent. Try again; if it keeps failing, tell an administrator.';
      return sendOutcomeData(reshownEmptyForm(request, message), { outcome: 'RETRY' });
    }

    const validated = validateTemplateSend(template, {
      whatsAppNumber: request.whatsAppNumber,
      parameters: request.parameters,
      headerMediaUrl: request.headerMediaUrl,
    });
    if (!validated.ok) {
      const [first] = validated.problems;
      return this.reject(
        request,
        template,
        first?.reason ?? 'Invalid',
        describeProblems(validated.problems),
        {
          fields: validated.problems.map((problem) => problem.field),
        },
      );
    }
    const masked = maskPhoneNumber(validated.to);
    let optedOut: string | undefined;
    try {
      optedOut = await marketingRefusalFor(this.deps.marketing, template.category, () =>
        this.recipients(request, validated.to),
      );
    } catch (error) {
      telemetry.count('TemplateSendFailures', { Reason: 'MarketingChoiceUnreadable' });
      telemetry.error('The customer’s marketing choice could not be read', { error: String(error) });
      const message =
        'The customer’s marketing choice could not be checked. Nothing was sent. Press Send again in a few seconds.';
      return sendOutcomeData(reshownForm(request, template, message), { outcome: 'RETRY' });
    }
    if (optedOut) return this.reject(request, template, 'MarketingOptedOut', optedOut);
    if (request.mode === 'preview') {
      return sendOutcomeData(
        reshownForm(
          request,
          template,
          `Everything checks out. Nothing has been sent yet: press Send to send it to ${masked}.`,
        ),
        { outcome: 'PREVIEW' },
      );
    }

    if (this.deps.now() + this.deps.sendBudgetMs > request.deadline) {
      telemetry.count('TemplateSendFailures', { Reason: 'OutOfTime' });
      telemetry.warn('Not enough time left to send within the flow’s wait', {
        contactId: request.guideContactId,
        template: templateKey(template),
      });
      return sendOutcomeData(
        reshownForm(
          request,
          template,
          'The guide ran out of time before sending. Nothing was sent. Press Send again.',
        ),
        { outcome: 'RETRY' },
      );
    }

    let messageId: string;
    try {
      ({ messageId } = await this.deps.sender.send(
        buildTemplateMessage(template, validated.to, validated.values),
      ));
    } catch (error) {
      return this.sendFailed(request, template, error);
    }

    const at = this.deps.now();
    const agentId = request.agent.armed ? request.agent.agentId : undefined;
    const recorded = await this.recordInitiation(request, validated.to, template, at, agentId);
    telemetry.count('TemplatesSent', { Template: template.name });
    telemetry.info('Agent-initiated template sent', {
      contactId: request.guideContactId,
      whatsAppMessageId: messageId,
      template: templateKey(template),
      to: masked,
      agentId: agentId ?? 'unknown',
    });
    const days = Math.round(AGENT_INITIATION_WINDOW_MS / 86_400_000);
    return sendOutcomeData(reshownForm(request, template, ''), {
      outcome: 'SENT',
      messageId,
      heading: 'WhatsApp template sent',
      sections: [`Message id: ${messageId}`],
      description: `“${template.name}” (${template.language}) was sent to ${masked} at ${new Date(at).toISOString().slice(11, 16)} UTC. Message id ${messageId}. ${
        request.agent.armed && recorded
          ? `If the customer replies within ${days} days, the chat is offered to you first.`
          : `A reply will NOT come back to you; it goes to the normal queue (${
              request.agent.armed ? 'the send could not be recorded' : request.agent.reason
            }).`
      }`,
    });
  }

  /** Records the initiation on every conversation a reply may land in (recipientConversations). */
  private async recordInitiation(
    request: TemplateSendRequest,
    to: string,
    template: TemplateDefinition,
    at: number,
    agentId?: string,
  ): Promise<boolean> {
    const initiation = { templateName: template.name, at, ...(agentId ? { agentId } : {}) };
    try {
      const distinct = await this.recipients(request, to);
      for (const key of distinct) await this.deps.conversations.recordAgentInitiation(key, initiation);
      this.deps.telemetry.count('AgentInitiationsRecorded');
      return true;
    } catch (error) {
      // The message is out; losing the routing hint is worse than nothing but must not undo it.
      this.deps.telemetry.error('Template sent but the initiation could not be recorded', {
        contactId: request.guideContactId,
        error: error instanceof Error ? error.message : String(error),
      });
      return false;
    }
  }

  private recipients(request: TemplateSendRequest, to: string) {
    return recipientConversations(
      this.deps.keys,
      this.deps.businessPhoneNumberId,
      to,
      request.customerOnContact,
    );
  }

  private reject(
    request: TemplateSendRequest,
    template: TemplateDefinition | undefined,
    reason: string,
    message: string,
    extra: Record<string, unknown> = {},
  ): SendStepAnswer {
    this.deps.telemetry.count('TemplateFormRejected', { Reason: reason });
    this.deps.telemetry.warn('Template form rejected before sending', {
      contactId: request.guideContactId,
      reason,
      templateKey: request.templateKey,
      whatsAppNumber: maskPhoneNumber(request.whatsAppNumber),
      ...extra,
    });
    const form = template ? reshownForm(request, template, message) : reshownEmptyForm(request, message);
    return sendOutcomeData(form, { outcome: 'INVALID' });
  }

  private sendFailed(
    request: TemplateSendRequest,
    template: TemplateDefinition,
    error: unknown,
  ): SendStepAnswer {
    const failure: TemplateSendFailure = error instanceof TemplateSendError ? error.failure : 'Unknown';
    const awsName = error instanceof TemplateSendError ? error.awsErrorName : String((error as Error)?.name);
    const detail = error instanceof Error ? error.message : String(error);
    const { outcome, message } = failureAnswer(failure, awsName, detail);
    this.deps.telemetry.count('TemplateSendFailures', { Reason: failure });
    if (failure === 'Throttled') this.deps.telemetry.count('TemplateSendThrottled');
    if (failure === 'Unconfirmed') this.deps.telemetry.count('TemplateSendUnconfirmed');
    this.deps.telemetry.error('Template send failed', {
      contactId: request.guideContactId,
      reason: failure,
      failure,
      awsError: awsName,
      template: templateKey(template),
    });
    return sendOutcomeData(reshownForm(request, template, message), { outcome });
  }
}
