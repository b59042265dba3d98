import { ConnectClient, DescribeContactCommand, ResourceNotFoundException } from '@aws-sdk/client-connect';
import { mockClient } from 'aws-sdk-client-mock';

/** A contact as DescribeContact returns it (botocore connect shape Contact), reduced to what tests set. */
export interface FakeContact {
  readonly id: string;
  readonly relatedContactId?: string;
  readonly agentId?: string;
  readonly attributes?: Record<string, string>;
}

/**
 * Connect's DescribeContact answered at the SDK boundary from a table of contacts; an unknown id
 * gets ResourceNotFoundException, as the API would. `failWith` makes every call fail.
 */
export class FakeGuideContacts {
  readonly mock = mockClient(ConnectClient);
  private readonly contacts = new Map<string, FakeContact>();
  failWith: Error | undefined;

  constructor() {
    this.mock.on(DescribeContactCommand).callsFake((input: { ContactId?: string }) => this.describe(input));
  }

  /** DescribeContact as the SDK mock answers it, for other transports too (the sandbox's HTTP). */
  async describe(input: { ContactId?: string }) {
    if (this.failWith) throw this.failWith;
    const contact = this.contacts.get(input.ContactId ?? '');
    if (!contact) throw new ResourceNotFoundException({ message: 'Contact not found', $metadata: {} });
    return {
      Contact: {
        Id: contact.id,
        ...(contact.relatedContactId ? { RelatedContactId: contact.relatedContactId } : {}),
        ...(contact.agentId ? { AgentInfo: { Id: contact.agentId } } : {}),
        Attributes: contact.attributes ?? {},
      },
    };
  }

  add(contact: FakeContact): void {
    this.contacts.set(contact.id, contact);
  }

  /** How many DescribeContact calls were made. */
  calls(): number {
    return this.mock.commandCalls(DescribeContactCommand).length;
  }

  restore(): void {
    this.mock.restore();
  }
}
