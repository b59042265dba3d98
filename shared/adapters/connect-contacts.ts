import { type ConnectClient, DescribeContactCommand } from '@aws-sdk/client-connect';
import type { ContactFacts } from '../domain/guide-context.js';
import type { ConnectContacts } from '../ports/connect-contacts.js';
import { errorName } from './aws-errors.js';

/**
 * DescribeContact on one instance. The response's Contact carries `RelatedContactId`,
 * `AgentInfo.Id` and `Attributes` (botocore connect 2017-08-08 model, shape Contact).
 */
export class ConnectDescribeContacts implements ConnectContacts {
  constructor(
    private readonly client: ConnectClient,
    private readonly instanceId: string,
  ) {}

  async describe(contactId: string): Promise<ContactFacts | undefined> {
    try {
      const { Contact: contact } = await this.client.send(
        new DescribeContactCommand({ InstanceId: this.instanceId, ContactId: contactId }),
      );
      if (!contact) return undefined;
      return {
        contactId: contact.Id ?? contactId,
        ...(contact.RelatedContactId ? { relatedContactId: contact.RelatedContactId } : {}),
        ...(contact.AgentInfo?.Id ? { agentId: contact.AgentInfo.Id } : {}),
        attributes: contact.Attributes ?? {},
      };
    } catch (error) {
      if (errorName(error) === 'ResourceNotFoundException') return undefined;
      throw error;
    }
  }
}
