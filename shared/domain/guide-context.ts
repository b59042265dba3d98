import type { MarketingPreference } from './customer-choices.js';

/**
 * Who a template-guide run is for and who is running it. A guide runs as its own chat contact,
 * "different from the customer-based contact that the agent is handling" (Connect ShowView action
 * reference), so neither the agent nor the customer's attributes are on the guide contact itself.
 * Connect documents one link between them: DescribeContact's `RelatedContactId`, and on the related
 * (customer) contact, `AgentInfo.Id` ("the agent who accepted the contact") and `Attributes`.
 */

/** What DescribeContact says about one contact, reduced to what the guide reads. */
export interface ContactFacts {
  readonly contactId: string;
  readonly relatedContactId?: string;
  /** AgentInfo.Id: the Connect user id of the agent who accepted the contact. */
  readonly agentId?: string;
  readonly attributes: Readonly<Record<string, string>>;
}

/** Whether a customer's reply can be routed back to the agent, and why not when it cannot. */
export type GuideAgent =
  | { readonly armed: true; readonly agentId: string; readonly from: 'customer contact' | 'guide contact' }
  | { readonly armed: false; readonly reason: string };

/** The customer the guide was opened on, as the relay put them on the chat's attributes. */
export interface CustomerOnContact {
  readonly customerId: string;
  readonly phoneNumber: string;
  /** Meta's business-scoped user id (BSUID), when the relay knew it. */
  readonly whatsAppUserId: string;
}

export interface GuideContext {
  readonly agent: GuideAgent;
  /** Absent when the guide was opened with no customer contact behind it (a workspace page). */
  readonly customer?: CustomerOnContact;
  readonly marketing?: MarketingPreference;
}

/** Attribute names the relay sets on a WhatsApp chat (shared/domain/chat-start-draft.ts). */
export const CUSTOMER_ATTRIBUTES = {
  customerId: 'customerId',
  phoneNumber: 'customerPhoneNumber',
  whatsAppUserId: 'customerWhatsAppUserId',
} as const;

const AGENT_ID = /^[0-9a-fA-F-]{36}$/;

/**
 * The agent and customer of a guide run from the guide contact and its related contact. The
 * agent comes from the customer's contact first (documented); a guide contact that itself names
 * an accepting agent is used next (UNCONFIRMED: Connect does not document AgentInfo on guide
 * contacts, so this only ever adds a route-back, never a wrong one).
 */
export function guideContextFrom(
  guide: ContactFacts | undefined,
  related: ContactFacts | undefined,
  lookupProblem?: string,
): GuideContext {
  const customer = related ? customerFrom(related.attributes) : undefined;
  const fromCustomer = validAgent(related?.agentId);
  const fromGuide = validAgent(guide?.agentId);
  const agent: GuideAgent = fromCustomer
    ? { armed: true, agentId: fromCustomer, from: 'customer contact' }
    : fromGuide
      ? { armed: true, agentId: fromGuide, from: 'guide contact' }
      : { armed: false, reason: lookupProblem ?? reasonWithoutAgent(guide, related) };
  return customer ? { agent, customer } : { agent };
}

function reasonWithoutAgent(guide: ContactFacts | undefined, related: ContactFacts | undefined): string {
  if (!guide) return 'the guide could not look up its own contact';
  if (!guide.relatedContactId) return 'the guide was not opened from a customer contact';
  if (!related) return 'the customer contact could not be read';
  return 'no agent has accepted the customer contact';
}

function validAgent(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed && AGENT_ID.test(trimmed) ? trimmed : undefined;
}

function customerFrom(attributes: Readonly<Record<string, string>>): CustomerOnContact | undefined {
  const read = (name: string) => (attributes[name] ?? '').trim();
  const customer = {
    customerId: read(CUSTOMER_ATTRIBUTES.customerId),
    phoneNumber: read(CUSTOMER_ATTRIBUTES.phoneNumber),
    whatsAppUserId: read(CUSTOMER_ATTRIBUTES.whatsAppUserId),
  };
  return customer.customerId || customer.phoneNumber || customer.whatsAppUserId ? customer : undefined;
}
