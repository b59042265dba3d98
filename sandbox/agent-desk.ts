import type { FakeConnect, FakeContact } from '../test/support/fake-connect.js';
import type { Pipeline } from './pipeline.js';
import { INSTANCE_ID } from './world.js';

/** The relay's notice marker (README, "Failures the agent sees"). */
const NOTICE_MARKER = '⚠ [WhatsApp relay notice';
const EVENT = 'application/vnd.amazonaws.connect.event.';
export const INTERACTIVE = 'application/vnd.amazonaws.connect.message.interactive';

/** One line of the agent's chat transcript. */
export type DeskItem =
  | { readonly kind: 'customer' | 'notice'; readonly id: string; readonly text: string }
  | { readonly kind: 'agent'; readonly id: string; readonly text: string; readonly contentType: string }
  | { readonly kind: 'file'; readonly id: string; readonly name: string; readonly contentType: string };

/**
 * The agent's side of the Connect chat, for the sandbox desk: reads what the relay put into the
 * chat (the fake keeps it), and turns what the agent does into the items Connect streams to the
 * streaming topic (messages, typing, read receipts, chat ended), with Connect's SNS attributes.
 */
export class AgentDesk {
  private readonly items = new Map<string, DeskItem[]>();
  private readonly seen = new Set<string>();
  private sequence = 0;

  constructor(
    private readonly connect: FakeConnect,
    private readonly pipeline: Pipeline,
  ) {}

  /** The newest chat of a customer (by the attributes the relay starts it with). */
  chatOf(customerKeyValue: string): FakeContact | undefined {
    const digits = customerKeyValue.replace(/\D/g, '');
    return [...this.connect.contacts.values()].reverse().find((contact) => {
      const attributes = contact.input.Attributes ?? {};
      return (
        attributes.customerWhatsAppUserId === customerKeyValue ||
        attributes.customerId === customerKeyValue ||
        (digits !== '' && (attributes.customerPhoneNumber ?? '').replace(/\D/g, '') === digits)
      );
    });
  }

  /**
   * The chat's transcript in the order the desk first saw each item. New customer messages are
   * marked read, as the Connect chat panel does when the agent has the chat open.
   */
  transcript(contact: FakeContact): DeskItem[] {
    const list = this.items.get(contact.contactId) ?? [];
    this.items.set(contact.contactId, list);
    let lastCustomerMessage: string | undefined;
    for (const message of contact.transcript) {
      if (this.seen.has(message.id)) continue;
      this.seen.add(message.id);
      const notice = message.content.startsWith(NOTICE_MARKER);
      list.push({ kind: notice ? 'notice' : 'customer', id: message.id, text: message.content });
      if (!notice) lastCustomerMessage = message.id;
    }
    for (const file of contact.attachments) {
      if (this.seen.has(file.attachmentId)) continue;
      this.seen.add(file.attachmentId);
      list.push({ kind: 'file', id: file.attachmentId, name: file.name, contentType: file.contentType });
    }
    if (lastCustomerMessage && contact.state === 'active') {
      this.publish(contact, `${EVENT}message.read`, JSON.stringify({ messageId: lastCustomerMessage }));
    }
    return list;
  }

  /** Delivered and read receipts on the agent's messages, from the relay's SendEvent calls. */
  receipts(contact: FakeContact): Record<string, 'delivered' | 'read'> {
    const receipts: Record<string, 'delivered' | 'read'> = {};
    for (const event of contact.events) {
      const status = event.contentType.endsWith('message.read')
        ? 'read'
        : event.contentType.endsWith('message.delivered')
          ? 'delivered'
          : undefined;
      if (!status || !event.content) continue;
      const messageId = (JSON.parse(event.content) as { messageId?: string }).messageId;
      if (messageId && receipts[messageId] !== 'read') receipts[messageId] = status;
    }
    return receipts;
  }

  /** The agent sends a message: plain text, Markdown, or an interactive quick reply / list picker. */
  send(contact: FakeContact, contentType: string, content: string): void {
    const id = this.publish(contact, contentType, content, 'MESSAGE');
    this.items.get(contact.contactId)?.push({ kind: 'agent', id, text: content, contentType });
  }

  typing(contact: FakeContact): void {
    this.publish(contact, `${EVENT}typing`);
  }

  /** The agent ends the chat: Connect ends the contact and streams chat.ended. */
  end(contact: FakeContact): void {
    this.connect.endChat(contact.contactId);
    this.publish(contact, `${EVENT}chat.ended`, undefined, 'EVENT', 'SYSTEM');
  }

  /** One item as Connect streams it to SNS (admin guide, sns-payload), with its message attributes. */
  private publish(
    contact: FakeContact,
    contentType: string,
    content?: string,
    type: 'MESSAGE' | 'EVENT' = 'EVENT',
    role: 'AGENT' | 'SYSTEM' = 'AGENT',
  ): string {
    this.sequence += 1;
    const id = `agent-item-${this.sequence}-${Date.now().toString(36)}`;
    const item = {
      AbsoluteTime: new Date(Date.now()).toISOString(),
      ...(content === undefined ? {} : { Content: content }),
      ContentType: contentType,
      Id: id,
      Type: type,
      ParticipantId: role === 'AGENT' ? 'participant-agent' : 'participant-system',
      DisplayName: role === 'AGENT' ? 'Sandbox agent' : 'SYSTEM_MESSAGE',
      ParticipantRole: role,
      InitialContactId: contact.contactId,
      ContactId: contact.contactId,
    };
    this.pipeline.publishStreaming(item, {
      InitialContactId: contact.contactId,
      MessageVisibility: 'ALL',
      Type: type,
      AccountId: '111122223333',
      ContentType: contentType,
      InstanceId: INSTANCE_ID,
      ContactId: contact.contactId,
      ParticipantRole: role,
    });
    return id;
  }
}

/** Connect's interactive message JSON for a quick reply or a list picker (Connect admin guide). */
export function interactiveContent(
  kind: 'QuickReply' | 'ListPicker',
  title: string,
  options: readonly string[],
): string {
  return JSON.stringify({
    templateType: kind,
    version: '1.0',
    data: { content: { title, elements: options.map((option) => ({ title: option })) } },
  });
}
