import { UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { SendMessageCommand as SqsSendMessageCommand } from '@aws-sdk/client-sqs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NOTICE_PREFIX } from '../../shared/domain/agent-notices.js';
import { type CapturedOutput, captureOutput } from '../support/captured-output.js';
import { TABLE_NAME } from '../support/inbound-environment.js';
import { type RelayEnvironment, startRelayEnvironment } from '../support/relay-environment.js';
import { agentText, streamingRecord } from '../support/streaming-events.js';
import { eumEnvelope, sqsEvent, sqsRecordFor, textMessage } from '../support/whatsapp-events.js';

const CUSTOMER = '5511987654321';
const CUSTOMER_E164 = `+${CUSTOMER}`;
const TYPING = 'application/vnd.amazonaws.connect.event.typing';
const INTERACTIVE = 'application/vnd.amazonaws.connect.message.interactive';

describe('outbound relay: Connect chat to WhatsApp', () => {
  let env: RelayEnvironment;
  let output: CapturedOutput;

  beforeEach(async () => {
    env = await startRelayEnvironment();
    output = captureOutput();
  });

  afterEach(async () => {
    output.restore();
    await env.stop();
  });

  /** A customer writes first, which starts the chat; returns the contact and the WhatsApp id. */
  async function customerWrites(body = 'Hello', secondsAgo = 0) {
    const message = textMessage({
      from: CUSTOMER,
      body,
      timestamp: Math.floor(Date.now() / 1000) - secondsAgo,
    });
    await env.handler(sqsEvent(sqsRecordFor(eumEnvelope({ messages: [message] }))));
    const contact = [...env.connect.contacts.values()].at(-1);
    if (!contact) throw new Error('no chat started');
    return { contactId: contact.contactId, wamid: message.id };
  }

  function statusRecord(status: Record<string, unknown>) {
    return sqsRecordFor(eumEnvelope({ statuses: [status], contacts: [] }));
  }

  describe('who and what is forwarded', () => {
    it.each([
      ['an agent', 'AGENT'],
      ['a flow (system)', 'SYSTEM'],
      ['a bot', 'CUSTOM_BOT'],
    ] as const)('sends what %s says to the customer', async (_, role) => {
      const { contactId } = await customerWrites();

      const response = await env.outbound(sqsEvent(agentText(contactId, `Hi from ${role}`, { role })));

      expect(response.batchItemFailures).toEqual([]);
      expect(env.whatsApp.messagesTo(CUSTOMER_E164)).toEqual([
        expect.objectContaining({
          messaging_product: 'whatsapp',
          type: 'text',
          text: { preview_url: true, body: `Hi from ${role}` },
        }),
      ]);
      expect(env.whatsApp.sent.at(-1)?.originationPhoneNumberId).toBe(
        'phone-number-id-0123456789abcdef0123456789abcdef',
      );
      expect(env.whatsApp.sent.at(-1)?.metaApiVersion).toBe('v23.0');
    });

    it("never echoes the customer's own messages back, nor what only agents may see", async () => {
      const { contactId } = await customerWrites();

      await env.outbound(
        sqsEvent(
          agentText(contactId, 'Hello', { role: 'CUSTOMER' }),
          agentText(contactId, 'Supervisor whisper', { role: 'SUPERVISOR', visibility: 'AGENT' }),
          agentText(contactId, 'Internal note', { role: 'AGENT', visibility: 'AGENT' }),
        ),
      );

      expect(env.whatsApp.messagesTo(CUSTOMER_E164)).toEqual([]);
      expect(output.metric('OutboundFiltered')).toBe(3);
    });

    it('reaches the customer after a transfer (ContactId differs from InitialContactId)', async () => {
      const { contactId } = await customerWrites();

      await env.outbound(
        sqsEvent(agentText(contactId, 'I am the second agent', { contactId: 'transferred-contact-2' })),
      );

      expect(env.whatsApp.messagesTo(CUSTOMER_E164)).toHaveLength(1);
    });

    it('acknowledges items for chats this relay did not start, once past the contact lookup grace period', async () => {
      const tenMinutesAgo = new Date(Date.now() - 10 * 60_000);
      const response = await env.outbound(
        sqsEvent(agentText('web-chat-contact', 'hello web', { absoluteTime: tenMinutesAgo })),
      );

      expect(response.batchItemFailures).toEqual([]);
      expect(env.whatsApp.sent).toEqual([]);
      expect(output.metric('OutboundUnknownContact')).toBe(1);
    });

    it('changes nothing for the customer on participant.left and transfer events, and greets only when configured', async () => {
      const { contactId } = await customerWrites();

      await env.outbound(
        sqsEvent(
          streamingRecord({
            initialContactId: contactId,
            contentType: 'application/vnd.amazonaws.connect.event.participant.joined',
            role: 'AGENT',
          }),
          streamingRecord({
            initialContactId: contactId,
            contentType: 'application/vnd.amazonaws.connect.event.participant.left',
            role: 'AGENT',
          }),
          streamingRecord({
            initialContactId: contactId,
            contentType: 'application/vnd.amazonaws.connect.event.transfer.succeeded',
            role: 'SYSTEM',
          }),
        ),
      );

      expect(env.whatsApp.sent).toEqual([]);
    });
  });

  describe('content conversion', () => {
    it('turns Markdown into WhatsApp formatting', async () => {
      const { contactId } = await customerWrites();
      const markdown =
        '**Order 4471** is *on its way*.\n\n* Track: [here](https://t.example/4471)\n* ~~old ETA~~ new ETA `Friday`';

      await env.outbound(sqsEvent(agentText(contactId, markdown, { contentType: 'text/markdown' })));

      expect(env.whatsApp.messagesTo(CUSTOMER_E164)[0]).toMatchObject({
        text: {
          body: '*Order 4471* is _on its way_.\n\n- Track: here (https://t.example/4471)\n- ~old ETA~ new ETA `Friday`',
        },
      });
    });

    it('splits a text longer than 4,096 characters into ordered parts', async () => {
      const { contactId } = await customerWrites();
      const long = Array.from({ length: 1500 }, (_, index) => `word${index}`).join(' ');

      await env.outbound(sqsEvent(agentText(contactId, long)));

      const bodies = env.whatsApp
        .messagesTo(CUSTOMER_E164)
        .map((payload) => (payload.text as { body: string }).body);
      expect(bodies.length).toBeGreaterThan(2);
      for (const body of bodies) expect(body.length).toBeLessThanOrEqual(4096);
      expect(bodies.join(' ')).toBe(long);
    });

    it('turns a quick reply with up to 3 short options into WhatsApp reply buttons', async () => {
      const { contactId } = await customerWrites();
      const quickReply = {
        templateType: 'QuickReply',
        version: '1.0',
        data: {
          content: {
            title: 'Was this helpful?',
            elements: [{ title: 'Yes' }, { title: 'No' }, { title: 'Agent please' }],
          },
        },
      };

      await env.outbound(
        sqsEvent(
          agentText(contactId, JSON.stringify(quickReply), { contentType: INTERACTIVE, role: 'CUSTOM_BOT' }),
        ),
      );

      expect(env.whatsApp.messagesTo(CUSTOMER_E164)[0]).toMatchObject({
        type: 'interactive',
        interactive: {
          type: 'button',
          body: { text: 'Was this helpful?' },
          action: {
            buttons: [
              { type: 'reply', reply: { id: 'option-1', title: 'Yes' } },
              { type: 'reply', reply: { id: 'option-2', title: 'No' } },
              { type: 'reply', reply: { id: 'option-3', title: 'Agent please' } },
            ],
          },
        },
      });
    });

    it('turns a list picker into a WhatsApp list', async () => {
      const { contactId } = await customerWrites();
      const listPicker = {
        templateType: 'ListPicker',
        version: '1.0',
        data: {
          content: {
            title: 'Which order?',
            elements: Array.from({ length: 5 }, (_, index) => ({
              title: `Order ${index + 1}`,
              subtitle: `Placed day ${index}`,
            })),
          },
        },
      };

      await env.outbound(
        sqsEvent(
          agentText(contactId, JSON.stringify(listPicker), { contentType: INTERACTIVE, role: 'SYSTEM' }),
        ),
      );

      const sent = env.whatsApp.messagesTo(CUSTOMER_E164)[0] as {
        interactive: { type: string; action: { sections: { rows: unknown[] }[] } };
      };
      expect(sent.interactive.type).toBe('list');
      expect(sent.interactive.action.sections[0]?.rows).toHaveLength(5);
      expect(sent.interactive.action.sections[0]?.rows[0]).toEqual({
        id: 'option-1',
        title: 'Order 1',
        description: 'Placed day 0',
      });
    });

    it('falls back to a numbered text when the options do not fit WhatsApp', async () => {
      const { contactId } = await customerWrites();
      const tooMany = {
        templateType: 'ListPicker',
        data: {
          content: {
            title: 'Pick a store',
            elements: Array.from({ length: 12 }, (_, index) => ({ title: `Store ${index + 1}` })),
          },
        },
      };

      await env.outbound(
        sqsEvent(agentText(contactId, JSON.stringify(tooMany), { contentType: INTERACTIVE, role: 'SYSTEM' })),
      );

      const body = (env.whatsApp.messagesTo(CUSTOMER_E164)[0]?.text as { body: string } | undefined)?.body;
      expect(body).toContain('Pick a store');
      expect(body).toContain('1. Store 1');
      expect(body).toContain('12. Store 12');
    });

    it('sends an agent attachment as WhatsApp media from a short-lived Connect link', async () => {
      const { contactId } = await customerWrites();

      await env.outbound(
        sqsEvent(
          streamingRecord({
            initialContactId: contactId,
            type: 'ATTACHMENT',
            contentType: 'application/pdf',
            role: 'AGENT',
            attachments: [
              {
                AttachmentId: 'att-1',
                AttachmentName: 'invoice.pdf',
                ContentType: 'application/pdf',
                Status: 'APPROVED',
              },
            ],
          }),
        ),
      );

      expect(env.whatsApp.messagesTo(CUSTOMER_E164)[0]).toMatchObject({
        type: 'document',
        document: {
          link: expect.stringContaining('https://attachments.example.com/att-1'),
          filename: 'invoice.pdf',
        },
      });
    });
  });

  describe('events', () => {
    it('shows typing on the customer’s last message at most once per 20 seconds', async () => {
      const { contactId, wamid } = await customerWrites();
      const typing = () =>
        streamingRecord({ initialContactId: contactId, contentType: TYPING, role: 'AGENT' });

      await env.outbound(sqsEvent(typing()));
      await env.outbound(sqsEvent(typing()));
      await env.outbound(sqsEvent(typing()));

      expect(env.whatsApp.statusUpdates()).toEqual([
        {
          messaging_product: 'whatsapp',
          status: 'read',
          message_id: wamid,
          typing_indicator: { type: 'text' },
        },
      ]);
      expect(output.metric('TypingThrottled')).toBe(2);
    });

    it('ends the conversation on chat.ended (even without a role), so the next message starts a persistent chat', async () => {
      const { contactId } = await customerWrites('first chat');
      env.connect.endChat(contactId);

      const response = await env.outbound(
        sqsEvent(
          streamingRecord({
            initialContactId: contactId,
            contentType: 'application/vnd.amazonaws.connect.event.chat.ended',
          }),
        ),
      );
      await customerWrites('I am back');

      expect(response.batchItemFailures).toEqual([]);
      const contacts = [...env.connect.contacts.values()];
      expect(contacts).toHaveLength(2);
      expect(contacts[1]?.input.PersistentChat).toEqual({
        RehydrationType: 'ENTIRE_PAST_SESSION',
        SourceContactId: contactId,
      });
      expect(env.connect.transcript(contacts[1]?.contactId ?? '')).toEqual(['I am back']);
    });
    it('ends the conversation on chat.ended whatever MessageVisibility says, as the streaming filter passes it', async () => {
      // Prepare
      const { contactId } = await customerWrites('first chat');
      env.connect.endChat(contactId);
      const chatEnded = streamingRecord({
        initialContactId: contactId,
        contentType: 'application/vnd.amazonaws.connect.event.chat.ended',
        role: 'SYSTEM',
        visibility: 'AGENT',
      });

      // Act
      const response = await env.outbound(sqsEvent(chatEnded));

      // Assess
      expect(response.batchItemFailures).toEqual([]);
      expect(output.metric('ChatEndedByConnect')).toBe(1);
      expect(output.metric('OutboundFiltered') ?? 0).toBe(0);
    });
  });

  describe('exactly once', () => {
    it('sends an item delivered three times once', async () => {
      const { contactId } = await customerWrites();
      const record = agentText(contactId, 'only once');

      await Promise.all([env.outbound(sqsEvent(record)), env.outbound(sqsEvent(record))]);
      await env.outbound(sqsEvent(record));

      expect(env.whatsApp.messagesTo(CUSTOMER_E164)).toHaveLength(1);
    });

    it("sends items of one chat in the order its FIFO group delivered them, even when Connect's clock disagrees", async () => {
      // The ordering stage sorted by AbsoluteTime once (test/unit/ordering-stage.test.ts); a
      // second sort here could contradict the order the FIFO queue guarantees across batches.
      const { contactId } = await customerWrites();
      const base = Date.now();
      const records = [1, 2, 3].map((n) =>
        agentText(contactId, `part ${n}`, { absoluteTime: new Date(base - n * 1000) }),
      );

      await env.outbound(sqsEvent(...records));

      expect(env.whatsApp.messagesTo(CUSTOMER_E164).map((p) => (p.text as { body: string }).body)).toEqual([
        'part 1',
        'part 2',
        'part 3',
      ]);
    });

    it('waits out a throttled send inside the invocation and delivers it once', async () => {
      const { contactId } = await customerWrites();
      const record = agentText(contactId, 'after a throttle');
      env.whatsApp.failNext('throttle', 'throttle');

      const response = await env.outbound(sqsEvent(record));

      expect(response.batchItemFailures).toEqual([]);
      expect(env.whatsApp.messagesTo(CUSTOMER_E164)).toHaveLength(1);
      expect(output.metric('PossibleDuplicateSends')).toBe(0);
    });

    it('retries a send that failed with a server error through SQS, and counts it as a possible duplicate', async () => {
      const { contactId } = await customerWrites();
      const record = agentText(contactId, 'after a 5xx', { id: 'item-5xx' });
      // A 5xx may have taken effect, so it is not retried in place; the claim stays until its lease ends.
      env.whatsApp.failNext('server');

      const first = await env.outbound(sqsEvent(record));
      const whileClaimed = await env.outbound(sqsEvent(record));
      // The invocation that held the claim is long gone: its lease runs out.
      await env.emulator.client.send(
        new UpdateItemCommand({
          TableName: TABLE_NAME,
          Key: { pk: { S: 'send#item-5xx#0' } },
          UpdateExpression: 'SET leaseUntil = :past',
          ExpressionAttributeValues: { ':past': { N: '0' } },
        }),
      );
      const afterLease = await env.outbound(sqsEvent(record));

      expect(first.batchItemFailures).toEqual([{ itemIdentifier: record.messageId }]);
      expect(whileClaimed.batchItemFailures).toEqual([{ itemIdentifier: record.messageId }]);
      expect(afterLease.batchItemFailures).toEqual([]);
      expect(env.whatsApp.messagesTo(CUSTOMER_E164)).toHaveLength(1);
      expect(output.metric('PossibleDuplicateSends')).toBe(1);
    });

    it('tells the agent, then dead-letters, when WhatsApp refuses a message outright', async () => {
      const { contactId } = await customerWrites();
      env.whatsApp.failNext('refuse');
      const record = agentText(contactId, 'refused');

      const response = await env.outbound(sqsEvent(record));

      expect(response.batchItemFailures).toEqual([]);
      expect(env.connect.transcript(contactId).at(-1)).toMatch(
        new RegExp(
          `^${escapeRegExp(NOTICE_PREFIX)} Your message "refused" from .* was not delivered to WhatsApp`,
        ),
      );
      expect(env.sqs).toHaveReceivedCommandWith(SqsSendMessageCommand, {
        MessageBody: record.body,
        MessageAttributes: expect.objectContaining({
          RejectReason: { DataType: 'String', StringValue: 'SendWhatsAppMessage:ValidationException' },
        }),
      });
    });
  });

  describe('the 24-hour window', () => {
    it('does not send outside the window, and tells the agent to use a template', async () => {
      const { contactId } = await customerWrites('old message', 25 * 3600);

      const response = await env.outbound(sqsEvent(agentText(contactId, 'Sorry for the wait')));

      expect(response.batchItemFailures).toEqual([]);
      expect(env.whatsApp.messagesTo(CUSTOMER_E164)).toEqual([]);
      expect(env.connect.transcript(contactId).at(-1)).toBe(
        `${NOTICE_PREFIX} Not delivered to WhatsApp: the customer's 24-hour window has closed; send an approved template from the WhatsApp guide.`,
      );
      expect(output.metric('WindowClosedBlocked')).toBe(1);
    });

    it('sends inside the window', async () => {
      const { contactId } = await customerWrites('recent', 23 * 3600);

      await env.outbound(sqsEvent(agentText(contactId, 'Just in time')));

      expect(env.whatsApp.messagesTo(CUSTOMER_E164)).toHaveLength(1);
    });
  });

  describe('receipts both ways', () => {
    it('shows the agent delivered and then read for a message the customer received', async () => {
      const { contactId } = await customerWrites();
      const record = agentText(contactId, 'Your refund is approved', { id: 'connect-item-42' });
      await env.outbound(sqsEvent(record));
      const sent = env.whatsApp.sent.find((message) => message.payload.type === 'text');
      expect(sent?.payload.biz_opaque_callback_data).toMatch(
        new RegExp(`^wcr1\\|connect-item-42\\|${contactId}\\|[0-9a-z]+$`),
      );

      // Meta's statuses carry the wamid and echo the callback data.
      const wamid = 'wamid.OUTBOUND0001';
      await env.handler(
        sqsEvent(
          statusRecord({
            id: wamid,
            status: 'delivered',
            timestamp: '1762827900',
            recipient_id: CUSTOMER,
            biz_opaque_callback_data: sent?.payload.biz_opaque_callback_data,
          }),
        ),
      );
      await env.handler(
        sqsEvent(
          statusRecord({
            id: wamid,
            status: 'read',
            timestamp: '1762827960',
            recipient_id: CUSTOMER,
            biz_opaque_callback_data: sent?.payload.biz_opaque_callback_data,
          }),
        ),
      );

      expect(env.connect.contacts.get(contactId)?.events).toEqual([
        {
          contentType: 'application/vnd.amazonaws.connect.event.message.delivered',
          content: '{"messageId":"connect-item-42"}',
        },
        {
          contentType: 'application/vnd.amazonaws.connect.event.message.read',
          content: '{"messageId":"connect-item-42"}',
        },
      ]);
    });

    it('matches a status without callback data through the recorded EUM message id', async () => {
      const { contactId } = await customerWrites();
      await env.outbound(sqsEvent(agentText(contactId, 'hello', { id: 'connect-item-7' })));
      const eumId = env.whatsApp.sent.find((message) => message.payload.type === 'text')?.messageId;

      await env.handler(
        sqsEvent(
          statusRecord({ id: eumId, status: 'delivered', timestamp: '1762827900', recipient_id: CUSTOMER }),
        ),
      );

      expect(env.connect.contacts.get(contactId)?.events).toEqual([
        {
          contentType: 'application/vnd.amazonaws.connect.event.message.delivered',
          content: '{"messageId":"connect-item-7"}',
        },
      ]);
    });

    it('gives the customer blue ticks when the agent has read their message in Connect', async () => {
      const { contactId, wamid } = await customerWrites('Did you get my photo?');
      await env.handler(
        sqsEvent(sqsRecordFor(eumEnvelope({ messages: [textMessage({ from: CUSTOMER, body: 'second' })] }))),
      );
      // The agent's Workspace sends message.read for the first customer message's Connect id.
      const connectMessageId = env.connect.contacts.get(contactId)?.transcript[1]?.id;
      const ledgerTarget = await env.store.findInboundByConnectMessageId(connectMessageId ?? '');

      await env.outbound(
        sqsEvent(
          streamingRecord({
            initialContactId: contactId,
            contentType: 'application/vnd.amazonaws.connect.event.message.read',
            content: JSON.stringify({ messageId: connectMessageId }),
            role: 'AGENT',
          }),
        ),
      );

      expect(ledgerTarget?.whatsAppMessageId).toBeDefined();
      expect(env.whatsApp.statusUpdates()).toEqual([
        { messaging_product: 'whatsapp', status: 'read', message_id: ledgerTarget?.whatsAppMessageId },
      ]);
      expect(wamid).not.toBe(ledgerTarget?.whatsAppMessageId);
    });

    it('falls back to marking the latest customer message read when the agent replies', async () => {
      const { contactId, wamid } = await customerWrites('Anyone there?');

      await env.outbound(sqsEvent(agentText(contactId, 'Yes, here!')));
      await env.outbound(sqsEvent(agentText(contactId, 'How can I help?')));

      expect(env.whatsApp.statusUpdates()).toEqual([
        { messaging_product: 'whatsapp', status: 'read', message_id: wamid },
      ]);
    });
  });

  describe('failed statuses reach the agent', () => {
    it.each([
      [131047, "the customer's 24-hour window has closed; send an approved template from the WhatsApp guide"],
      [131026, 'this number cannot receive it'],
      [130429, "WhatsApp's sending rate limit was reached"],
      [131056, 'too many messages to this customer in a short time'],
      [131053, 'the attachment could not be processed'],
      [999999, 'WhatsApp error 999999 (Something new)'],
    ])('posts a marked notice for error %i and counts it', async (code, wording) => {
      const { contactId } = await customerWrites();
      await env.outbound(sqsEvent(agentText(contactId, 'will fail', { id: `item-${code}` })));
      const callback = env.whatsApp.sent.find((message) => message.payload.type === 'text')?.payload
        .biz_opaque_callback_data;

      await env.handler(
        sqsEvent(
          statusRecord({
            id: `wamid.failed.${code}`,
            status: 'failed',
            timestamp: '1762827999',
            recipient_id: CUSTOMER,
            biz_opaque_callback_data: callback,
            errors: [{ code, title: 'Something new', error_data: { details: 'details' } }],
          }),
        ),
      );

      const notice = env.connect.transcript(contactId).at(-1) ?? '';
      expect(notice.startsWith(NOTICE_PREFIX)).toBe(true);
      expect(notice).toContain(wording);
      expect(output.metric('WhatsAppDeliveryFailures', { Code: String(code) })).toBe(1);
    });
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
