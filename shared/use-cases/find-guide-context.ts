import { type ContactFacts, type GuideContext, guideContextFrom } from '../domain/guide-context.js';
import type { ConnectContacts } from '../ports/connect-contacts.js';
import type { Telemetry } from '../ports/telemetry.js';

/**
 * Finds the customer and the agent of a guide run from Connect's contact records.
 *
 * Primary course: DescribeContact on the guide contact, then on its RelatedContactId (the
 * customer's chat the agent is handling); the agent is that contact's AgentInfo.Id and the
 * customer its attributes.
 *
 * Alternate courses: no related contact (the guide was opened from a workspace page), or a lookup
 * fails. The guide still works: the agent types the number and the outcome says the reply will
 * not be routed back. Nothing is thrown; every outcome is counted by `Agent`.
 */
export async function findGuideContext(
  contacts: ConnectContacts,
  guideContactId: string,
  telemetry: Telemetry,
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
  return context;
}
