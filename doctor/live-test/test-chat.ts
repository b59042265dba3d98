import {
  type ConnectClient,
  type ContactSearchSummary,
  GetContactAttributesCommand,
  SearchContactsCommand,
} from '@aws-sdk/client-connect';
import type { DoctorTarget } from '../target.js';

/** A chat on the instance whose customer is the test phone. */
export interface TestChat {
  readonly contactId: string;
  readonly initiatedAt: number;
  readonly open: boolean;
}

/**
 * The test phone's chats started since `since`: SearchContacts (Channels CHAT, TimeRange
 * INITIATION_TIMESTAMP), each matched by the `customerPhoneNumber` contact attribute the relay
 * sets at chat start (shared/domain/chat-start-draft.ts), read with GetContactAttributes. Custom
 * attributes are searchable only once an admin makes them so, hence the read per contact; `open`
 * skips ended chats before reading anything.
 */
export async function chatsOf(
  connect: ConnectClient,
  target: DoctorTarget,
  e164: string,
  since: number,
  until: number,
  which: 'all' | 'open' = 'all',
): Promise<TestChat[]> {
  const contacts: ContactSearchSummary[] = [];
  let nextToken: string | undefined;
  do {
    const page = await connect.send(
      new SearchContactsCommand({
        InstanceId: target.instanceId,
        TimeRange: { Type: 'INITIATION_TIMESTAMP', StartTime: new Date(since), EndTime: new Date(until) },
        SearchCriteria: { Channels: ['CHAT'] },
        ...(nextToken ? { NextToken: nextToken } : {}),
      }),
    );
    contacts.push(...(page.Contacts ?? []));
    nextToken = page.NextToken;
  } while (nextToken);
  const chats: TestChat[] = [];
  for (const contact of contacts) {
    if (!contact.Id || (which === 'open' && contact.DisconnectTimestamp !== undefined)) continue;
    const { Attributes } = await connect.send(
      new GetContactAttributesCommand({ InstanceId: target.instanceId, InitialContactId: contact.Id }),
    );
    if (Attributes?.customerPhoneNumber !== e164) continue;
    chats.push({
      contactId: contact.Id,
      initiatedAt: contact.InitiationTimestamp?.getTime() ?? since,
      open: contact.DisconnectTimestamp === undefined,
    });
  }
  return chats;
}
