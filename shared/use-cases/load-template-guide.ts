import type { CustomerRecord } from '../domain/customer.js';
import type { MarketingPreference } from '../domain/customer-choices.js';
import { RetryableError } from '../domain/errors.js';
import { maskPhoneNumber } from '../domain/masking.js';
import { checkWhatsAppNumber } from '../domain/phone-number.js';
import {
  type ChooseStepAnswer,
  type FormStepAnswer,
  MAX_TEMPLATE_OPTIONS,
} from '../domain/template-guide.js';
import { chooseStepData, emptyFormData, formStepData } from '../domain/template-guide-answers.js';
import { lookupTemplate } from '../domain/template-lookup.js';
import type { TemplateDefinition, TemplateSummary } from '../domain/whatsapp-template.js';
import type { CustomerDirectory } from '../ports/customer-directory.js';
import type { Telemetry } from '../ports/telemetry.js';
import type { TemplateCatalogue } from '../ports/template-catalogue.js';

export interface LoadTemplateGuideDependencies {
  readonly customers: CustomerDirectory;
  readonly catalogue: TemplateCatalogue;
  readonly telemetry: Telemetry;
}

/** Who the guide was opened for: whatever the contact knows (a CRM id, a wa_id, a number). */
export interface CustomerReference {
  readonly customerId: string;
  readonly phoneNumber: string;
  /** Why the guide has no customer to look up, for the agent; set only when it has none. */
  readonly missingReason?: string;
}

/**
 * Fills the guide's two steps with the customer's data and the approved templates.
 *
 * Primary course (choose step):
 * 1. Look the customer up by id, then by phone number.
 * 2. Load the sendable templates (approved, allowed, supported; cached).
 * 3. Return the customer and one card per template (Connect's Cards view).
 *
 * Primary course (form step): look the customer up again, find the chosen template, and return its
 * fields labelled from the template text and pre-filled from the customer record, with a preview
 * and the customer's marketing choice (Connect's Form view).
 *
 * Alternate courses: no customer matches (the form says so and the agent types the number); the
 * catalogue cannot be loaded (the form says so; nothing is thrown into the flow).
 */
export class LoadTemplateGuide {
  constructor(private readonly deps: LoadTemplateGuideDependencies) {}

  async choose(reference: CustomerReference): Promise<ChooseStepAnswer> {
    const customer = await this.findCustomer(reference);
    const catalogue = await this.loadCatalogue();
    const shown = catalogue.sendable.slice(0, MAX_TEMPLATE_OPTIONS);
    const notices = [catalogue.problem ?? ''];
    if (catalogue.sendable.length > shown.length) {
      this.deps.telemetry.warn('More sendable templates than picker slots; the rest are not offered', {
        sendable: catalogue.sendable.length,
        slots: MAX_TEMPLATE_OPTIONS,
      });
      notices.push(
        `Showing ${shown.length} of ${catalogue.sendable.length} templates; an administrator can narrow templateAllowList.`,
      );
    }
    const phone = checkWhatsAppNumber(reference.phoneNumber);
    return chooseStepData({
      customer,
      lookedUpBy: describeReference(reference),
      ...(reference.missingReason ? { missingReason: reference.missingReason } : {}),
      ...(phone.ok ? { phoneNumberHint: phone.e164 } : {}),
      templates: shown,
      notice: notices.filter(Boolean).join(' '),
    });
  }

  async form(
    reference: CustomerReference,
    chosenTemplateKey: string,
    marketing?: MarketingPreference,
  ): Promise<FormStepAnswer> {
    const customer = await this.findCustomer(reference);
    const phone = checkWhatsAppNumber(customer?.phoneNumber ?? reference.phoneNumber);
    const whatsAppNumber = phone.ok ? phone.e164 : '';
    const catalogue = await this.loadCatalogue();
    const found = lookupTemplate(chosenTemplateKey, catalogue.sendable, catalogue.summaries);
    if (!found.found) {
      this.deps.telemetry.warn('Chosen template cannot be shown', {
        templateKey: chosenTemplateKey,
        reason: found.reason,
      });
      return emptyFormData({
        customerId: customer?.customerId ?? reference.customerId,
        customerName: customer?.name ?? '',
        whatsAppNumber,
        templateKey: chosenTemplateKey,
        message: catalogue.problem ?? `${found.message} Press “Choose another template”.`,
        ...(marketing ? { marketing } : {}),
      });
    }
    const message = customer
      ? ''
      : `No customer record matches ${describeReference(reference) || 'this contact'}: check the number and fill in every value.`;
    return formStepData({
      customer,
      customerId: reference.customerId,
      template: found.template,
      whatsAppNumber,
      message,
      ...(marketing ? { marketing } : {}),
    });
  }

  private async findCustomer(reference: CustomerReference): Promise<CustomerRecord | undefined> {
    const { customers, telemetry } = this.deps;
    const phone = checkWhatsAppNumber(reference.phoneNumber);
    if (!reference.customerId && !phone.ok) {
      telemetry.count('CustomerLookups', { Result: 'NoReference' });
      return undefined;
    }
    const customer =
      (reference.customerId ? await customers.findById(reference.customerId) : undefined) ??
      (phone.ok ? await customers.findByPhoneNumber(phone.e164) : undefined);
    telemetry.count('CustomerLookups', { Result: customer ? 'Found' : 'NotFound' });
    if (!customer) {
      telemetry.info('No customer record for the guide', {
        customerId: reference.customerId,
        phoneNumber: maskPhoneNumber(reference.phoneNumber),
      });
    }
    return customer;
  }

  private async loadCatalogue(): Promise<{
    sendable: readonly TemplateDefinition[];
    summaries: readonly TemplateSummary[];
    problem?: string;
  }> {
    try {
      const [sendable, summaries] = await Promise.all([
        this.deps.catalogue.sendable(),
        this.deps.catalogue.summaries(),
      ]);
      return { sendable, summaries };
    } catch (error) {
      const busy = error instanceof RetryableError;
      this.deps.telemetry.error('Template catalogue could not be loaded', {
        error: error instanceof Error ? error.message : String(error),
      });
      return {
        sendable: [],
        summaries: [],
        problem: busy
          ? 'WhatsApp is busy and the template list could not be loaded. Press “Start over” in a few seconds.'
          : 'The template list could not be loaded. Press “Start over”; if it keeps failing, tell an administrator.',
      };
    }
  }
}

function describeReference(reference: CustomerReference): string {
  const parts = [
    reference.customerId ? `customer id ${reference.customerId}` : '',
    reference.phoneNumber ? maskPhoneNumber(reference.phoneNumber) : '',
  ].filter(Boolean);
  return parts.join(' or ');
}
