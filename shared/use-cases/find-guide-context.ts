import type { MarketingPreference } from '../domain/customer-choices.js';
import {
  type ContactFacts,
  type CustomerOnContact,
  type GuideContext,
  guideContextFrom,
} from '../domain/guide-context.js';
import { waIdOf } from '../domain/phone-number.js';
import type { ConnectContacts } from '../ports/connect-contacts.js';
import type { CustomerKeyLookup } from '../ports/customer-keys.js';
import type { MarketingPreferences } from '../ports/marketing-preferences.js';
import type { Telemetry } from '../ports/telemetry.js';

/** Where the guide reads the customer's marketing choice: under the number templates go from. */
export interface GuideMarketingLookup {
  readonly businessPhoneNumberId: string;
  readonly keys: CustomerKeyLookup;
  readonly preferences: Pick<MarketingPreferences, 'marketingPreferenceOf'>;
}

/**
 * Finds the customer and the agent of a guide run from Connect's contact records.
 *
 * Primary course: DescribeContact on the guide contact, then on its RelatedContactId (the
 * customer's chat the agent is handling); the agent is that contact's AgentInfo.Id and the
 * customer its attributes.
 *
 * With `marketing`, the customer's marketing choice is read too (under the template sender's
 * number, BSUID first), so the form can show an opt-out before the agent picks a template.
 *
 * Alternate courses: no related contact (the guide was opened from a workspace page), or a lookup
 * fails. The guide still works: the agent types the number and the outcome says the reply will
 * not be routed back; a choice that cannot be read is left out (the send step checks it again).
 * Nothing is thrown; every outcome is counted by `Agent`, and the choice by `Choice`.
 */
export async function findGuideContext(
  contacts: ConnectContacts,
  guideContactId: string,
  telemetry: Telemetry,
  marketing?: GuideMarketingLookup,
): Promise<GuideContext> {
  let guide: ContactFacts | undefined;
  let related: ContactFacts | undefined;
  let problem: string | undefined;
  try {
    guide = guideContactId ? await contacts.describe(guideContactId) : undefined;
    if (guide?.relatedContactId) related = await contacts.describe(guide.relatedContactId);
  } catch (error) {
    problem = 'Connect could not be asked which agent is handling the customer';
    telemetry.error('Guide contact lookup failed', {
      contactId: guideContactId,
      error: error instanceof Error ? error.message : String(error),
    });
  }
  const context = guideContextFrom(guide, related, problem);
  telemetry.count('GuideContextResolved', {
    Agent: context.agent.armed ? 'Found' : 'Missing',
    Customer: context.customer ? 'Found' : 'Missing',
  });
  if (!marketing || !context.customer) return context;
  const choice = await marketingChoiceOf(context.customer, marketing, telemetry);
  return choice ? { ...context, marketing: choice } : context;
}

async function marketingChoiceOf(
  customer: CustomerOnContact,
  lookup: GuideMarketingLookup,
  telemetry: Telemetry,
): Promise<MarketingPreference | undefined> {
  const waId = waIdOf(customer.phoneNumber);
  const userId = customer.whatsAppUserId;
  if (!waId && !userId) return undefined;
  try {
    const key = await lookup.keys.findKey(lookup.businessPhoneNumberId, {
      ...(waId ? { waId } : {}),
      ...(userId ? { userId } : {}),
    });
    const choice = await lookup.preferences.marketingPreferenceOf(key);
    telemetry.count('GuideMarketingLookups', { Choice: choice.state });
    return choice;
  } catch (error) {
    telemetry.count('GuideMarketingLookups', { Choice: 'Failed' });
    telemetry.error('The customer’s marketing choice could not be read for the guide', {
      error: error instanceof Error ? error.message : String(error),
    });
    return undefined;
  }
}
