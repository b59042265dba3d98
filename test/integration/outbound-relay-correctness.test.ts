import { ValidationException } from '@aws-sdk/client-connectparticipant';
import { DeleteItemCommand, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { ValidationException as EumValidationException } from '@aws-sdk/client-socialmessaging';
import { SendMessageCommand as SqsSendMessageCommand } from '@aws-sdk/client-sqs';
import { afterEach, describe, expect, it } from 'vitest';
import { NOTICE_PREFIX } from '../../shared/domain/agent-notices.js';
import { type CapturedOutput, captureOutput } from '../support/captured-output.js';
import { FakeAttachmentScanner } from '../support/fake-attachment-scanner.js';
import type { FaultInjector } from '../support/fake-connect.js';
import { TABLE_NAME } from '../support/inbound-environment.js';
import { type RelayEnvironment, startRelayEnvironment } from '../support/relay-environment.js';
import { agentText, streamingRecord } from '../support/streaming-events.js';
import { eumEnvelope, sqsEvent, sqsRecordFor, textMessage } from '../support/whatsapp-events.js';

const CUSTOMER = '5511987654321';
const CUSTOMER_E164 = `+${CUSTOMER}`;
const INTERACTIVE = 'application/vnd.amazonaws.connect.message.interactive';

describe('outbound relay on the real services', () => {
  let env: RelayEnvironment;
  let output: CapturedOutput;

  async function start(
    options: { env?: Record<string, string>; connectFaults?: FaultInjector } = {},
  ): Promise<void> {
    env = await startRelayEnvironment({
      ...(options.env ? { env: options.env } : {}),
      ...(options.connectFaults ? { connect: { faults: options.connectFaults } } : {}),
    });
    output = captureOutput();
  }

  afterEach(async () => {
    output?.restore();
    await env?.stop();
  });

  /** A customer writes first, which starts the chat; returns the contact. */
  async function customerWrites(body = 'Hello'): Promise<string> {
    const message = textMessage({ from: CUSTOMER, body, timestamp: Math.floor(Date.now() / 1000) });
    await env.handler(sqsEvent(sqsRecordFor(eumEnvelope({ messages: [message] }))));
    const contact = [...env.connect.contacts.values()].at(-1);
    if (!contact) throw new Error('no chat started');
    return contact.contactId;
  }

  function statusRecord(status: Record<string, unknown>) {
    return sqsRecordFor(eumEnvelope({ statuses: [status], contacts: [] }));
  }

  function lastNotice(contactId: string): string {
    return env.connect.transcript(contactId).at(-1) ?? '';
  }

  function utcTime(date: Date): string {
    return date.toISOString().slice(11, 16);
  }

  function deadLettered(): number {
    return env.sqs.commandCalls(SqsSendMessageCommand).length;
  }

  describe('agent replies while the contact lookup is late', () => {
    it('retries a fresh agent reply whose chat is not known yet, and delivers it once the lookup is written', async () => {
      // Prepare
      await start();
      const contactId = await customerWrites();
      const lookupKey = { pk: { S: `contact#${contactId}` } };
      const lookup = await env.emulator.client.send(
        new GetItemCommand({ TableName: TABLE_NAME, Key: lookupKey }),
      );
      await env.emulator.client.send(new DeleteItemCommand({ TableName: TABLE_NAME, Key: lookupKey }));
      const record = agentText(contactId, 'Your parcel left the depot');

      // Act
      const whileLate = await env.outbound(sqsEvent(record));
      await env.emulator.client.send(new PutItemCommand({ TableName: TABLE_NAME, Item: lookup.Item ?? {} }));
      const afterLookup = await env.outbound(sqsEvent(record));

      // Assess
      expect(whileLate.batchItemFailures).toEqual([{ itemIdentifier: record.messageId }]);
      expect(afterLookup.batchItemFailures).toEqual([]);
      expect(env.whatsApp.messagesTo(CUSTOMER_E164)).toEqual([
        expect.objectContaining({ text: { preview_url: true, body: 'Your parcel left the depot' } }),
      ]);
    });

    it.each([
      ['retries', 60, [true]],
      ['acknowledges and counts', 180, [false]],
    ] as const)(
      '%s an unknown contact whose item is %i seconds old, with a 120-second grace period',
      async (_, ageSeconds, [retried]) => {
        // Prepare
        await start({ env: { UNKNOWN_CONTACT_RETRY_SECONDS: '120' } });
        const record = agentText('web-chat-contact', 'hello web', {
          absoluteTime: new Date(Date.now() - ageSeconds * 1000),
        });

        // Act
        const response = await env.outbound(sqsEvent(record));

        // Assess
        expect(response.batchItemFailures).toEqual(retried ? [{ itemIdentifier: record.messageId }] : []);
        expect(output.metric('OutboundUnknownContact')).toBe(retried ? 0 : 1);
        expect(env.whatsApp.sent).toEqual([]);
        expect(deadLettered()).toBe(0);
      },
    );
  });

  describe('network errors before and after the request left', () => {
    it('retries a send whose DNS lookup failed without telling the agent it was refused, and sends it on the next try', async () => {
      // Prepare
      await start();
      const contactId = await customerWrites();
      const record = agentText(contactId, 'Hello after a DNS blip');
      env.whatsApp.failNext('unreachable');

      // Act
      const first = await env.outbound(sqsEvent(record));
      const second = await env.outbound(sqsEvent(record));

      // Assess
      expect(first.batchItemFailures).toEqual([{ itemIdentifier: record.messageId }]);
      expect(second.batchItemFailures).toEqual([]);
      expect(env.whatsApp.messagesTo(CUSTOMER_E164)).toHaveLength(1);
      expect(env.connect.transcript(contactId).some((line) => line.startsWith(NOTICE_PREFIX))).toBe(false);
      expect(deadLettered()).toBe(0);
      expect(output.metric('PossibleDuplicateSends')).toBe(0);
    });

    it('keeps the send-once claim after a connection reset, because the message may have left', async () => {
      // Prepare
      await start();
      const contactId = await customerWrites();
      const record = agentText(contactId, 'Hello after a reset');
      env.whatsApp.failNext('reset');

      // Act
      const first = await env.outbound(sqsEvent(record));
      const whileClaimed = await env.outbound(sqsEvent(record));

      // Assess
      expect(first.batchItemFailures).toEqual([{ itemIdentifier: record.messageId }]);
      expect(whileClaimed.batchItemFailures).toEqual([{ itemIdentifier: record.messageId }]);
      expect(env.whatsApp.messagesTo(CUSTOMER_E164)).toHaveLength(0);
      expect(deadLettered()).toBe(0);
      expect(env.connect.transcript(contactId).some((line) => line.startsWith(NOTICE_PREFIX))).toBe(false);
    });
  });

  describe('Meta rate limits reported through EUM', () => {
    it('waits out a pair rate limit and delivers the message, instead of dead-lettering it as refused', async () => {
      // Prepare
      await start();
      const contactId = await customerWrites();
      const record = agentText(contactId, 'Second message in a row');
      env.whatsApp.failNext('meta-pair-limit');

      // Act
      const response = await env.outbound(sqsEvent(record));

      // Assess
      expect(response.batchItemFailures).toEqual([]);
      expect(env.whatsApp.messagesTo(CUSTOMER_E164)).toHaveLength(1);
      expect(deadLettered()).toBe(0);
      expect(env.connect.transcript(contactId).some((line) => line.startsWith(NOTICE_PREFIX))).toBe(false);
    });
  });

  describe('notices name the message they mean', () => {
    const words = 'Your refund of 40 euros was approved this morning and will arrive soon';

    async function sendAndFail(statusId: (eumId: string) => string, withCallback: boolean, code = 131026) {
      const contactId = await customerWrites();
      const sentAt = new Date(Date.now() - 60_000);
      await env.outbound(sqsEvent(agentText(contactId, words, { absoluteTime: sentAt })));
      const sent = env.whatsApp.sent.find((message) => message.payload.type === 'text');
      await env.handler(
        sqsEvent(
          statusRecord({
            id: statusId(sent?.messageId ?? ''),
            status: 'failed',
            timestamp: '1762827999',
            recipient_id: CUSTOMER,
            ...(withCallback ? { biz_opaque_callback_data: sent?.payload.biz_opaque_callback_data } : {}),
            errors: [{ code, title: 'Failed', error_data: { details: 'details' } }],
          }),
        ),
      );
      return { contactId, sentAt };
    }

    it('quotes the first words and the time of a message WhatsApp failed to deliver', async () => {
      // Prepare
      await start();

      // Act
      const { contactId, sentAt } = await sendAndFail((eumId) => eumId, true);

      // Assess
      const notice = lastNotice(contactId);
      expect(notice).toContain('"Your refund of 40 euros was approved…"');
      expect(notice).toContain(`${utcTime(sentAt)} UTC`);
      expect(notice).toContain('this number cannot receive it');
    });

    it('still gives the time when the status id is not the one EUM returned', async () => {
      // Prepare
      await start();

      // Act
      const { contactId, sentAt } = await sendAndFail(() => 'wamid.unrelated', true);

      // Assess
      expect(lastNotice(contactId)).toContain(`Your message from ${utcTime(sentAt)} UTC was not delivered`);
    });

    it('quotes the message EUM refused outright', async () => {
      // Prepare
      await start();
      const contactId = await customerWrites();
      const sentAt = new Date(Date.now() - 30_000);
      env.whatsApp.failNext('refuse');

      // Act
      await env.outbound(sqsEvent(agentText(contactId, words, { absoluteTime: sentAt })));

      // Assess
      const notice = lastNotice(contactId);
      expect(notice.startsWith(NOTICE_PREFIX)).toBe(true);
      expect(notice).toContain('"Your refund of 40 euros was approved…"');
      expect(notice).toContain(`${utcTime(sentAt)} UTC`);
    });

    it('never writes the quoted words to the logs', async () => {
      // Prepare
      await start();

      // Act
      await sendAndFail((eumId) => eumId, true);

      // Assess
      expect(output.lines.filter((line) => line.includes('40 euros'))).toEqual([]);
    });

    it('explains error 131062: the customer hides their number', async () => {
      // Prepare
      await start();

      // Act
      const { contactId } = await sendAndFail((eumId) => eumId, true, 131062);

      // Assess
      const notice = lastNotice(contactId);
      expect(notice).toContain("the customer's phone number is not visible to the business");
      expect(notice).toContain('ask the customer to share it');
    });

    it('explains error 131062 when EUM refuses the send with it', async () => {
      // Prepare
      await start();
      const contactId = await customerWrites();
      env.whatsApp.failNext(
        new EumValidationException({
          message: '(#131062) BSUID recipient not supported for this message',
          $metadata: { httpStatusCode: 400 },
        }),
      );

      // Act
      await env.outbound(sqsEvent(agentText(contactId, 'Your code is ready')));

      // Assess
      expect(lastNotice(contactId)).toContain("the customer's phone number is not visible to the business");
    });
  });

  describe('chat start', () => {
    it("leaves ChatDurationInMinutes out when it is Connect's default of 25 hours", async () => {
      // Prepare
      await start({ env: { CHAT_DURATION_MINUTES: '1500' } });

      // Act
      const contactId = await customerWrites();

      // Assess
      expect(env.connect.contacts.get(contactId)?.input).not.toHaveProperty('ChatDurationInMinutes');
    });

    it('passes a custom chat duration', async () => {
      // Prepare
      await start({ env: { CHAT_DURATION_MINUTES: '600' } });

      // Act
      const contactId = await customerWrites();

      // Assess
      expect(env.connect.contacts.get(contactId)?.input.ChatDurationInMinutes).toBe(600);
    });
  });

  describe('receipts are cosmetic', () => {
    async function deliveredStatusAfterSend() {
      const contactId = await customerWrites();
      await env.outbound(sqsEvent(agentText(contactId, 'hello', { id: 'connect-item-receipt' })));
      const sent = env.whatsApp.sent.find((message) => message.payload.type === 'text');
      return statusRecord({
        id: 'wamid.receipt',
        status: 'delivered',
        timestamp: '1762827900',
        recipient_id: CUSTOMER,
        biz_opaque_callback_data: sent?.payload.biz_opaque_callback_data,
      });
    }

    it('drops and counts a receipt Connect refuses as invalid, without retrying or dead-lettering it', async () => {
      // Prepare
      await start({
        connectFaults: (operation, phase) =>
          operation === 'SendEvent' && phase === 'before'
            ? new ValidationException({
                Message: 'Invalid',
                message: 'Invalid',
                $metadata: { httpStatusCode: 400 },
              })
            : undefined,
      });
      const record = await deliveredStatusAfterSend();

      // Act
      const response = await env.handler(sqsEvent(record));

      // Assess
      expect(response.batchItemFailures).toEqual([]);
      expect(deadLettered()).toBe(0);
      expect(output.metric('ReceiptsDropped', { Reason: 'ValidationException' })).toBe(1);
    });
  });

  describe('agent attachments WhatsApp cannot take', () => {
    function attachmentRecord(contactId: string, name: string, contentType: string, status = 'APPROVED') {
      return streamingRecord({
        initialContactId: contactId,
        type: 'ATTACHMENT',
        contentType,
        role: 'AGENT',
        attachments: [
          { AttachmentId: `att-${name}`, AttachmentName: name, ContentType: contentType, Status: status },
        ],
      });
    }

    it.each([
      ['recording.wav', 'audio/wav', '.mp4'],
      ['photo.heic', 'image/heic', '.jpg or .png'],
      ['clip.mov', 'video/quicktime', '.mp4'],
      ['report.csv', 'text/csv', '.xlsx or .pdf'],
      ['letter.rtf', 'application/rtf', '.docx or .pdf'],
    ])('refuses %s with a notice naming the file and what to send instead', async (name, type, instead) => {
      // Prepare
      await start();
      const contactId = await customerWrites();

      // Act
      const response = await env.outbound(sqsEvent(attachmentRecord(contactId, name, type)));

      // Assess
      expect(response.batchItemFailures).toEqual([]);
      expect(env.whatsApp.messagesTo(CUSTOMER_E164)).toEqual([]);
      const notice = lastNotice(contactId);
      expect(notice.startsWith(NOTICE_PREFIX)).toBe(true);
      expect(notice).toContain(name);
      expect(notice).toContain(instead);
      expect(output.metric('AgentAttachmentsRefused')).toBe(1);
    });

    it.each([
      ['notes.txt', 'text/plain', 'document'],
      ['photo.jpg', 'image/jpeg', 'image'],
      ['scan.jfif', 'image/jpeg', 'image'],
      ['demo.mp4', 'video/mp4', 'video'],
      ['sheet.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'document'],
    ])('sends %s (%s) as a WhatsApp %s', async (name, type, kind) => {
      // Prepare
      await start();
      const contactId = await customerWrites();

      // Act
      await env.outbound(sqsEvent(attachmentRecord(contactId, name, type)));

      // Assess
      expect(env.whatsApp.messagesTo(CUSTOMER_E164)).toEqual([expect.objectContaining({ type: kind })]);
    });
  });

  describe('agent attachments still being scanned', () => {
    const attachment = {
      itemId: 'item-scan-1',
      attachmentId: 'att-scan-1',
      name: 'invoice.pdf',
      contentType: 'application/pdf',
    };

    function streamed(contactId: string, status: string, itemId = attachment.itemId) {
      return streamingRecord({
        initialContactId: contactId,
        id: itemId,
        type: 'ATTACHMENT',
        contentType: 'application/pdf',
        role: 'AGENT',
        attachments: [
          {
            AttachmentId: attachment.attachmentId,
            AttachmentName: attachment.name,
            ContentType: attachment.contentType,
            Status: status,
          },
        ],
      });
    }

    it('waits for the scan to approve the file and sends it, when Connect streams no approved item', async () => {
      // Prepare
      await start();
      const scanner = new FakeAttachmentScanner(env.connect);
      const contactId = await customerWrites();
      scanner.scan(attachment, 'IN_PROGRESS', 'IN_PROGRESS', 'APPROVED');

      // Act
      const response = await env.outbound(sqsEvent(streamed(contactId, 'IN_PROGRESS')));

      // Assess
      expect(response.batchItemFailures).toEqual([]);
      expect(env.whatsApp.messagesTo(CUSTOMER_E164)).toEqual([
        expect.objectContaining({
          type: 'document',
          document: expect.objectContaining({ filename: 'invoice.pdf' }),
        }),
      ]);
    });

    it('sends the file once when Connect also streams an approved item for it later', async () => {
      // Prepare
      await start();
      const scanner = new FakeAttachmentScanner(env.connect);
      const contactId = await customerWrites();
      scanner.scan(attachment, 'IN_PROGRESS', 'APPROVED');

      // Act
      await env.outbound(sqsEvent(streamed(contactId, 'IN_PROGRESS')));
      const approved = await env.outbound(sqsEvent(streamed(contactId, 'APPROVED', 'item-scan-approved')));

      // Assess
      expect(approved.batchItemFailures).toEqual([]);
      expect(env.whatsApp.messagesTo(CUSTOMER_E164)).toHaveLength(1);
    });

    it('sends the file from the approved item when the in-progress one gave up waiting', async () => {
      // Prepare
      await start({ env: { ATTACHMENT_SCAN_WAIT_SECONDS: '0' } });
      const scanner = new FakeAttachmentScanner(env.connect);
      const contactId = await customerWrites();
      scanner.scan(attachment, 'IN_PROGRESS');
      const inProgress = streamed(contactId, 'IN_PROGRESS');

      // Act
      const first = await env.outbound(sqsEvent(inProgress));
      scanner.finish(attachment.attachmentId, 'APPROVED');
      await env.outbound(sqsEvent(streamed(contactId, 'APPROVED', 'item-scan-approved')));
      const retried = await env.outbound(sqsEvent(inProgress));

      // Assess
      expect(first.batchItemFailures).toEqual([{ itemIdentifier: inProgress.messageId }]);
      expect(retried.batchItemFailures).toEqual([]);
      expect(env.whatsApp.messagesTo(CUSTOMER_E164)).toHaveLength(1);
    });

    it('tells the agent when the scan rejects the file, and sends nothing', async () => {
      // Prepare
      await start();
      const scanner = new FakeAttachmentScanner(env.connect);
      const contactId = await customerWrites();
      scanner.scan(attachment, 'IN_PROGRESS', 'REJECTED');

      // Act
      const response = await env.outbound(sqsEvent(streamed(contactId, 'IN_PROGRESS')));

      // Assess
      expect(response.batchItemFailures).toEqual([]);
      expect(env.whatsApp.messagesTo(CUSTOMER_E164)).toEqual([]);
      expect(lastNotice(contactId)).toContain('invoice.pdf');
      expect(lastNotice(contactId)).toContain("Connect's attachment scan rejected it");
    });
  });

  describe('interactive messages', () => {
    it('sends a quick reply whose options repeat a title with each title once', async () => {
      // Prepare
      await start();
      const contactId = await customerWrites();
      const quickReply = {
        templateType: 'QuickReply',
        data: {
          content: { title: 'Confirm?', elements: [{ title: 'Yes' }, { title: 'Yes ' }, { title: 'No' }] },
        },
      };

      // Act
      await env.outbound(
        sqsEvent(agentText(contactId, JSON.stringify(quickReply), { contentType: INTERACTIVE })),
      );

      // Assess
      const sent = env.whatsApp.messagesTo(CUSTOMER_E164)[0] as {
        interactive: { action: { buttons: { reply: { title: string } }[] } };
      };
      expect(sent.interactive.action.buttons.map((button) => button.reply.title)).toEqual(['Yes', 'No']);
    });

    it('labels the list button as configured', async () => {
      // Prepare
      await start({ env: { LIST_BUTTON_LABEL: 'Ver opciones' } });
      const contactId = await customerWrites();
      const listPicker = {
        templateType: 'ListPicker',
        data: {
          content: {
            title: 'Which order?',
            elements: [{ title: 'A' }, { title: 'B' }, { title: 'C' }, { title: 'D' }],
          },
        },
      };

      // Act
      await env.outbound(
        sqsEvent(agentText(contactId, JSON.stringify(listPicker), { contentType: INTERACTIVE })),
      );

      // Assess
      const sent = env.whatsApp.messagesTo(CUSTOMER_E164)[0] as {
        interactive: { action: { button: string } };
      };
      expect(sent.interactive.action.button).toBe('Ver opciones');
    });
  });
});
