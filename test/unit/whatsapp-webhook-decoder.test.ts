import { describe, expect, it } from 'vitest';
import {
  decodeWhatsAppWebhook,
  phoneNumberIdFromArn,
  type WebhookItem,
} from '../../shared/decoders/whatsapp-webhook-decoder.js';
import { MalformedEventError } from '../../shared/domain/errors.js';
import type { InboundMessage } from '../../shared/domain/inbound-message.js';
import { BUSINESS, eumEnvelope, SECOND_BUSINESS, sqsRecordFor } from '../support/whatsapp-events.js';

const CUSTOMER = '447700900123';
const TS = '1762827867';

/** One message of `type` with `payload` under the type's key, as Meta sends it. */
function raw(type: string, payload: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) {
  return { from: CUSTOMER, id: `wamid.${type}`, timestamp: TS, type, ...payload, ...extra };
}

/** Decodes an SQS body carrying the messages, and returns the single message. */
function decodeOne(message: unknown, contacts?: unknown[]): InboundMessage {
  const items = decode({ messages: [message], ...(contacts ? { contacts } : {}) });
  expect(items).toHaveLength(1);
  const [item] = items;
  if (item?.kind !== 'message') throw new Error(`expected a message, got ${item?.kind}`);
  return item.message;
}

function decode(options: Parameters<typeof eumEnvelope>[0]): readonly WebhookItem[] {
  return decodeWhatsAppWebhook(sqsRecordFor(eumEnvelope(options)).body).items;
}

/** The reason of the MalformedEventError `body` raises. */
function rejection(body: string): string {
  try {
    decodeWhatsAppWebhook(body);
  } catch (error) {
    expect(error).toBeInstanceOf(MalformedEventError);
    return (error as MalformedEventError).reason;
  }
  throw new Error('expected a MalformedEventError');
}

/** An SNS notification whose Message is the given text. */
function snsBody(message: string): string {
  return JSON.stringify({ Type: 'Notification', MessageId: 'sns-1', Message: message });
}

/** An envelope whose webhook entry is the given object. */
function envelopeWithEntry(entry: unknown): string {
  const envelope = eumEnvelope({});
  return snsBody(JSON.stringify({ ...envelope, whatsAppWebhookEntry: JSON.stringify(entry) }));
}

describe('decodeWhatsAppWebhook: message types (Meta webhook reference, api-facts B1)', () => {
  it('text', () => {
    const message = decodeOne(raw('text', { text: { body: 'Olá' } }));
    expect(message).toMatchObject({
      id: 'wamid.text',
      timestamp: 1762827867,
      type: 'text',
      content: { kind: 'text', body: 'Olá' },
      customer: { id: CUSTOMER, waId: CUSTOMER, profileName: 'Ana Souza' },
      business: {
        phoneNumberId: BUSINESS.phoneNumberId,
        phoneNumberArn: BUSINESS.phoneNumberArn,
        metaPhoneNumberId: BUSINESS.metaPhoneNumberId,
        displayPhoneNumber: BUSINESS.displayPhoneNumber,
      },
    });
  });

  it('image with caption', () => {
    const message = decodeOne(
      raw('image', {
        image: { caption: 'box', mime_type: 'image/jpeg', sha256: 'x', id: '111', url: 'https://x' },
      }),
    );
    expect(message.content).toEqual({
      kind: 'media',
      mediaKind: 'image',
      mediaId: '111',
      mimeType: 'image/jpeg',
      caption: 'box',
    });
  });

  it('audio voice note', () => {
    const message = decodeOne(
      raw('audio', { audio: { voice: true, mime_type: 'audio/ogg; codecs=opus', sha256: 'x', id: '222' } }),
    );
    expect(message.content).toEqual({
      kind: 'media',
      mediaKind: 'audio',
      mediaId: '222',
      mimeType: 'audio/ogg; codecs=opus',
      voice: true,
    });
  });

  it('video', () => {
    const message = decodeOne(raw('video', { video: { mime_type: 'video/mp4', sha256: 'x', id: '333' } }));
    expect(message.content).toEqual({
      kind: 'media',
      mediaKind: 'video',
      mediaId: '333',
      mimeType: 'video/mp4',
    });
  });

  it('document keeps its file name', () => {
    const message = decodeOne(
      raw('document', {
        document: {
          filename: 'invoice.pdf',
          caption: 'the invoice',
          mime_type: 'application/pdf',
          id: '444',
        },
      }),
    );
    expect(message.content).toEqual({
      kind: 'media',
      mediaKind: 'document',
      mediaId: '444',
      mimeType: 'application/pdf',
      filename: 'invoice.pdf',
      caption: 'the invoice',
    });
  });

  it('sticker', () => {
    const message = decodeOne(
      raw('sticker', { sticker: { animated: false, mime_type: 'image/webp', sha256: 'x', id: '555' } }),
    );
    expect(message.content).toEqual({
      kind: 'media',
      mediaKind: 'sticker',
      mediaId: '555',
      mimeType: 'image/webp',
      animated: false,
    });
  });

  it('location (numbers may arrive as strings)', () => {
    const message = decodeOne(
      raw('location', {
        location: { latitude: '51.5072', longitude: -0.1276, name: 'Home', address: '10 Example St' },
      }),
    );
    expect(message.content).toEqual({
      kind: 'location',
      latitude: 51.5072,
      longitude: -0.1276,
      name: 'Home',
      address: '10 Example St',
    });
  });

  it('contacts', () => {
    const message = decodeOne(
      raw('contacts', {
        contacts: [
          {
            name: { formatted_name: 'Jo Bloggs', first_name: 'Jo' },
            phones: [{ phone: '+44 7700 900999', wa_id: '447700900999', type: 'CELL' }],
            emails: [{ email: 'jo@example.com' }],
            org: { company: 'Acme' },
          },
          { name: { first_name: 'Sam' } },
          {},
        ],
      }),
    );
    expect(message.content).toEqual({
      kind: 'contacts',
      contacts: [
        { name: 'Jo Bloggs', phones: ['+44 7700 900999'], emails: ['jo@example.com'], organisation: 'Acme' },
        { name: 'Sam', phones: [], emails: [] },
        { name: 'Unnamed contact', phones: [], emails: [] },
      ],
    });
  });

  it('interactive button_reply', () => {
    const message = decodeOne(
      raw('interactive', {
        interactive: { type: 'button_reply', button_reply: { id: 'yes', title: 'Yes' } },
      }),
    );
    expect(message.content).toEqual({ kind: 'choice', id: 'yes', title: 'Yes' });
  });

  it('interactive reply with an empty title is incomplete: a bot could match nothing', () => {
    const message = decodeOne(
      raw('interactive', { interactive: { type: 'button_reply', button_reply: { id: 'yes', title: '' } } }),
    );
    expect(message.content).toEqual({
      kind: 'unsupported',
      declaredType: 'interactive',
      reason: 'the message content was incomplete',
    });
  });

  it('interactive list_reply', () => {
    const message = decodeOne(
      raw('interactive', {
        interactive: {
          type: 'list_reply',
          list_reply: { id: 'r2', title: 'Refund', description: 'Money back' },
        },
      }),
    );
    expect(message.content).toEqual({ kind: 'choice', id: 'r2', title: 'Refund', description: 'Money back' });
  });

  it('interactive nfm_reply (flow), without the business’s flow_token', () => {
    const message = decodeOne(
      raw('interactive', {
        interactive: {
          type: 'nfm_reply',
          nfm_reply: {
            name: 'flow',
            body: 'Sent',
            response_json: '{"flow_token":"t-1","rating":"5","slots":["am",2]}',
          },
        },
      }),
    );
    expect(message.content).toEqual({
      kind: 'flow-reply',
      name: 'flow',
      body: 'Sent',
      answers: { rating: '5', slots: ['am', 2] },
    });
  });

  it('interactive nfm_reply whose response is not a JSON object keeps it as one answer', () => {
    const message = decodeOne(
      raw('interactive', {
        interactive: { type: 'nfm_reply', nfm_reply: { name: 'flow', response_json: 'not json' } },
      }),
    );
    expect(message.content).toEqual({ kind: 'flow-reply', name: 'flow', answers: { response: 'not json' } });
  });

  it('an interactive reply of a kind the relay does not know becomes unsupported', () => {
    const message = decodeOne(
      raw('interactive', { interactive: { type: 'call_permission_reply', call_permission_reply: {} } }),
    );
    expect(message.content).toEqual({
      kind: 'unsupported',
      declaredType: 'interactive/call_permission_reply',
      reason: 'this kind of interactive reply is not relayed',
    });
  });

  it('button (template quick reply)', () => {
    const message = decodeOne(raw('button', { button: { text: 'Track order', payload: 'TRACK' } }));
    expect(message.content).toEqual({ kind: 'button', text: 'Track order', payload: 'TRACK' });
  });

  it('reaction with an emoji, which is not mistaken for a reply', () => {
    const message = decodeOne(
      raw(
        'reaction',
        { reaction: { message_id: 'wamid.target', emoji: '👍' } },
        { context: { id: 'wamid.target' } },
      ),
    );
    expect(message.content).toEqual({ kind: 'reaction', targetMessageId: 'wamid.target', emoji: '👍' });
    expect(message.replyToMessageId).toBeUndefined();
  });

  it('reaction without an emoji (removed)', () => {
    const message = decodeOne(raw('reaction', { reaction: { message_id: 'wamid.target' } }));
    expect(message.content).toEqual({ kind: 'reaction', targetMessageId: 'wamid.target' });
  });

  it('order', () => {
    const message = decodeOne(
      raw('order', {
        order: {
          catalog_id: 'cat-1',
          text: 'asap',
          product_items: [
            { product_retailer_id: 'sku-1', quantity: '2', item_price: '9.99', currency: 'EUR' },
            { product_retailer_id: 'sku-2', quantity: 1 },
          ],
        },
      }),
    );
    expect(message.content).toEqual({
      kind: 'order',
      catalogId: 'cat-1',
      text: 'asap',
      items: [
        { productId: 'sku-1', quantity: 2, price: 9.99, currency: 'EUR' },
        { productId: 'sku-2', quantity: 1 },
      ],
    });
  });

  it('system', () => {
    const message = decodeOne(
      raw('system', {
        system: { body: 'User changed from A to B', type: 'customer_changed_number', wa_id: '447700900999' },
      }),
    );
    expect(message.content).toEqual({
      kind: 'system',
      body: 'User changed from A to B',
      systemType: 'customer_changed_number',
    });
  });

  it('request_welcome', () => {
    expect(decodeOne(raw('request_welcome')).content).toEqual({ kind: 'request-welcome' });
  });

  it('unsupported, with Meta’s explanation', () => {
    const message = decodeOne(
      raw(
        'unsupported',
        {},
        {
          unsupported: { type: 'edit' },
          errors: [
            {
              code: 131051,
              title: 'Message type unknown',
              details: 'Message type unknown',
              error_data: { details: 'Message type is currently not supported.' },
            },
          ],
        },
      ),
    );
    expect(message.content).toEqual({
      kind: 'unsupported',
      declaredType: 'unsupported',
      reason: 'Message type is currently not supported.',
    });
  });

  it('an unknown future type becomes unsupported, never an error', () => {
    const message = decodeOne(raw('hologram', { hologram: { id: 'h' } }));
    expect(message.content).toEqual({
      kind: 'unsupported',
      declaredType: 'hologram',
      reason: 'this WhatsApp message type is new to the relay',
    });
    expect(message.type).toBe('hologram');
  });

  it.each(['constructor', '__proto__', 'toString', 'valueOf', 'hasOwnProperty'])(
    'a type named like a JavaScript built-in (%s) is new to the relay, not an inherited parser',
    (type) => {
      const message = decodeOne(raw(type, { [type]: { body: 'x' } }));
      expect(message.content).toEqual({
        kind: 'unsupported',
        declaredType: type,
        reason: 'this WhatsApp message type is new to the relay',
      });
    },
  );

  it('a known type with incomplete content becomes unsupported instead of failing the record', () => {
    const message = decodeOne(raw('image', { image: { caption: 'no id or type' } }));
    expect(message.content).toEqual({
      kind: 'unsupported',
      declaredType: 'image',
      reason: 'the message content was incomplete',
    });
  });

  it('carries reply, forward and ad-referral context', () => {
    const message = decodeOne(
      raw(
        'text',
        { text: { body: 'this one' } },
        {
          context: { id: 'wamid.quoted', forwarded: true },
          referral: { headline: 'Winter sale', source_url: 'https://fb.me/ad' },
        },
      ),
    );
    expect(message).toMatchObject({
      replyToMessageId: 'wamid.quoted',
      forwarded: true,
      referral: { headline: 'Winter sale', sourceUrl: 'https://fb.me/ad' },
    });
    const frequently = decodeOne(
      raw('text', { text: { body: 'x' } }, { context: { frequently_forwarded: true } }),
    );
    expect(frequently.forwarded).toBe(true);
    expect(frequently.replyToMessageId).toBeUndefined();
  });
});

describe('decodeWhatsAppWebhook: customers', () => {
  it('falls back to the business-scoped user id (BSUID) when wa_id is withheld', () => {
    const message = decodeOne(
      {
        id: 'wamid.u',
        timestamp: TS,
        type: 'text',
        from_user_id: 'US.13491208655302741918',
        text: { body: 'hi' },
      },
      [{ profile: { name: 'Kim' }, user_id: 'US.13491208655302741918' }],
    );
    expect(message.customer).toEqual({
      id: 'US.13491208655302741918',
      userId: 'US.13491208655302741918',
      profileName: 'Kim',
    });
  });

  it('takes the user id from the only contact when the message names neither', () => {
    const message = decodeOne({ id: 'wamid.u', timestamp: TS, type: 'text', text: { body: 'hi' } }, [
      { profile: { name: 'Kim' }, user_id: 'US.1' },
    ]);
    expect(message.customer).toEqual({ id: 'US.1', userId: 'US.1', profileName: 'Kim' });
  });

  it('keeps both ids when WhatsApp sends both, keyed by the business-scoped user id', () => {
    const message = decodeOne(
      {
        from: CUSTOMER,
        from_user_id: 'US.2',
        id: 'wamid.b',
        timestamp: TS,
        type: 'text',
        text: { body: 'hi' },
      },
      [{ wa_id: CUSTOMER, user_id: 'US.2', profile: { name: 'Ana' } }],
    );
    expect(message.customer).toEqual({ id: 'US.2', waId: CUSTOMER, userId: 'US.2', profileName: 'Ana' });
  });

  it('makes a message with neither wa_id nor user_id a malformed item (NoCustomerId)', () => {
    const items = decode({
      messages: [{ id: 'wamid.n', timestamp: TS, type: 'text', text: { body: 'x' } }],
      contacts: [],
    });
    expect(items).toEqual([
      { kind: 'malformed', part: 'message', reason: 'NoCustomerId', detail: expect.any(String) },
    ]);
  });
});

describe('decodeWhatsAppWebhook: several items in one event', () => {
  it('decodes several messages, each matched to its own contact', () => {
    const items = decode({
      messages: [
        { from: '447700900001', id: 'wamid.1', timestamp: TS, type: 'text', text: { body: 'one' } },
        { from: '447700900002', id: 'wamid.2', timestamp: TS, type: 'text', text: { body: 'two' } },
      ],
      contacts: [
        { wa_id: '447700900002', profile: { name: 'Two' } },
        { wa_id: '447700900001', profile: { name: 'One' } },
      ],
    });
    expect(
      items.map((item) => item.kind === 'message' && [item.message.id, item.message.customer.profileName]),
    ).toEqual([
      ['wamid.1', 'One'],
      ['wamid.2', 'Two'],
    ]);
  });

  it('decodes every change of an entry, for each business number, and skips non-message fields', () => {
    const entry = {
      id: BUSINESS.wabaId,
      changes: [
        {
          field: 'messages',
          value: {
            metadata: { phone_number_id: BUSINESS.metaPhoneNumberId },
            contacts: [{ wa_id: CUSTOMER }],
            messages: [raw('text', { text: { body: 'first' } })],
          },
        },
        { field: 'account_update', value: { whatever: true } },
        {
          field: 'messages',
          value: {
            metadata: { phone_number_id: SECOND_BUSINESS.metaPhoneNumberId },
            contacts: [{ wa_id: CUSTOMER }],
            messages: [raw('text', { text: { body: 'second' } }, { id: 'wamid.second' })],
          },
        },
      ],
    };
    const envelope = {
      context: {
        MetaPhoneNumberIds: [
          { metaPhoneNumberId: BUSINESS.metaPhoneNumberId, arn: BUSINESS.phoneNumberArn },
          { metaPhoneNumberId: SECOND_BUSINESS.metaPhoneNumberId, arn: SECOND_BUSINESS.phoneNumberArn },
        ],
      },
      whatsAppWebhookEntry: JSON.stringify(entry),
    };
    const { items } = decodeWhatsAppWebhook(snsBody(JSON.stringify(envelope)));
    expect(
      items.map((item) => (item.kind === 'message' ? item.message.business.phoneNumberId : item.kind)),
    ).toEqual([BUSINESS.phoneNumberId, 'account-event', SECOND_BUSINESS.phoneNumberId]);
  });

  it('reports a number missing from the envelope context instead of guessing its ARN', () => {
    const items = decode({ messages: [raw('text', { text: { body: 'x' } })], omitContext: true });
    expect(items).toEqual([
      { kind: 'unknown-business-number', metaPhoneNumberId: BUSINESS.metaPhoneNumberId },
    ]);
  });
});

describe('decodeWhatsAppWebhook: statuses and errors', () => {
  it('decodes statuses, with their errors', () => {
    const items = decode({
      statuses: [
        {
          id: 'wamid.out1',
          status: 'delivered',
          timestamp: TS,
          recipient_id: CUSTOMER,
          biz_opaque_callback_data: 'cb',
        },
        {
          id: 'wamid.out2',
          status: 'failed',
          timestamp: TS,
          recipient_user_id: 'US.9',
          errors: [
            {
              code: 131047,
              title: 'Re-engagement message',
              message: 'Re-engagement message',
              error_data: { details: 'More than 24 hours have passed since the recipient last replied.' },
            },
          ],
        },
      ],
    });
    expect(items).toEqual([
      {
        kind: 'status',
        status: expect.objectContaining({
          messageId: 'wamid.out1',
          status: 'delivered',
          timestamp: 1762827867,
          recipientId: CUSTOMER,
          callbackData: 'cb',
          errors: [],
        }),
      },
      {
        kind: 'status',
        status: expect.objectContaining({
          messageId: 'wamid.out2',
          status: 'failed',
          recipientId: 'US.9',
          errors: [
            {
              code: 131047,
              title: 'Re-engagement message',
              details: 'More than 24 hours have passed since the recipient last replied.',
            },
          ],
        }),
      },
    ]);
  });

  it('turns value-level errors into webhook-error items', () => {
    const items = decode({
      errors: [{ code: '130429', title: 'Rate limit hit', message: 'Throughput reached' }],
    });
    expect(items).toEqual([
      {
        kind: 'webhook-error',
        business: expect.objectContaining({ phoneNumberId: BUSINESS.phoneNumberId }),
        error: { code: 130429, title: 'Rate limit hit', details: 'Throughput reached' },
      },
    ]);
  });
});

describe('decodeWhatsAppWebhook: envelopes', () => {
  it('uses the envelope messageId as event id when EUM sends one', () => {
    const body = sqsRecordFor(eumEnvelope({ messageId: '6d69f07a-c317-4278-9d5c-6a84078419ec' })).body;
    expect(decodeWhatsAppWebhook(body).eventId).toBe('6d69f07a-c317-4278-9d5c-6a84078419ec');
  });

  it('falls back to the SNS MessageId when the envelope has none (as in real captures)', () => {
    const record = sqsRecordFor(eumEnvelope({}), { messageId: 'abc' });
    expect(decodeWhatsAppWebhook(record.body).eventId).toBe('sns-abc');
  });

  it('accepts a raw (non-SNS) body, as with raw message delivery on', () => {
    const envelope = eumEnvelope({ messages: [raw('text', { text: { body: 'raw' } })] });
    const decoded = decodeWhatsAppWebhook(JSON.stringify(envelope));
    expect(decoded.eventId).toBe('unknown');
    expect(decoded.items[0]).toMatchObject({ kind: 'message', message: { content: { body: 'raw' } } });
  });
});

describe('decodeWhatsAppWebhook: malformed layers name their reason', () => {
  it('BodyNotJson', () => {
    expect(rejection('{"Type":"Notification",')).toBe('BodyNotJson');
  });

  it('SnsMessageNotJson', () => {
    expect(rejection(snsBody('not json'))).toBe('SnsMessageNotJson');
  });

  it('EnvelopeInvalid', () => {
    expect(rejection(snsBody(JSON.stringify({ context: {}, whatsAppWebhookEntry: 42 })))).toBe(
      'EnvelopeInvalid',
    );
    expect(rejection(JSON.stringify({ hello: 'world' }))).toBe('EnvelopeInvalid');
  });

  it('WebhookEntryNotJson', () => {
    const envelope = { ...eumEnvelope({}), whatsAppWebhookEntry: '{broken' };
    expect(rejection(snsBody(JSON.stringify(envelope)))).toBe('WebhookEntryNotJson');
  });

  it('EntryInvalid', () => {
    expect(rejection(envelopeWithEntry({ id: 'x', changes: 'none' }))).toBe('EntryInvalid');
  });
});

describe('decodeWhatsAppWebhook: a malformed part becomes its own item, its siblings go through', () => {
  /** The kinds, and reasons of malformed items, in order. */
  const outline = (items: readonly WebhookItem[]) =>
    items.map((item) => (item.kind === 'malformed' ? `${item.part}:${item.reason}` : item.kind));

  it('ChangeInvalid, for a messages change without its phone number', () => {
    const items = decodeWhatsAppWebhook(
      envelopeWithEntry({
        changes: [
          { field: 'messages', value: { metadata: {} } },
          {
            field: 'messages',
            value: {
              metadata: { phone_number_id: BUSINESS.metaPhoneNumberId },
              messages: [raw('request_welcome')],
            },
          },
          'not a change',
        ],
      }),
    ).items;
    expect(outline(items)).toEqual(['change:ChangeInvalid', 'message', 'change:ChangeInvalid']);
  });

  it('MessageInvalid, beside a good message', () => {
    const items = decode({
      messages: [
        { from: CUSTOMER, type: 'text', text: { body: 'no id' } },
        raw('text', { text: { body: 'ok' } }),
      ],
    });
    expect(outline(items)).toEqual(['message:MessageInvalid', 'message']);
  });

  it('StatusInvalid, beside a good status', () => {
    const items = decode({
      statuses: [
        { id: 'wamid.s', timestamp: TS },
        { id: 'wamid.t', status: 'read', timestamp: TS },
      ],
    });
    expect(outline(items)).toEqual(['status:StatusInvalid', 'status']);
  });

  it('says where the problem is, for the dead-letter detail', () => {
    const [item] = decodeWhatsAppWebhook(
      envelopeWithEntry({ changes: [{ field: 'messages', value: { metadata: {} } }] }),
    ).items;
    expect(item).toMatchObject({
      kind: 'malformed',
      detail: expect.stringMatching(/^ChangeInvalid: metadata\.phone_number_id: /),
    });
  });
});

describe('phoneNumberIdFromArn', () => {
  it('turns the EUM phone number ARN into the id SendWhatsAppMessage takes', () => {
    expect(phoneNumberIdFromArn(BUSINESS.phoneNumberArn)).toBe(BUSINESS.phoneNumberId);
  });
});

describe('decodeWhatsAppWebhook: webhook fields other than messages', () => {
  /** An envelope whose entry has the given changes; with no phone numbers in its context if asked. */
  function decodeChanges(changes: unknown[], options: { omitPhoneNumberIds?: boolean } = {}) {
    return decodeWhatsAppWebhook(sqsRecordFor(eumEnvelope({ changes, ...options })).body).items;
  }

  it('accepts an envelope with no phone number ids, as for WABA-level events', () => {
    const items = decodeChanges(
      [
        {
          field: 'message_template_status_update',
          value: {
            event: 'REJECTED',
            message_template_id: 1,
            message_template_name: 'x',
            reason: 'INVALID_FORMAT',
          },
        },
      ],
      { omitPhoneNumberIds: true },
    );
    expect(items).toEqual([{ kind: 'other-field', field: 'message_template_status_update' }]);
  });

  it('never mistakes what the business sent from the Business app (smb_message_echoes) for the customer', () => {
    const items = decodeChanges([
      {
        field: 'smb_message_echoes',
        value: {
          messaging_product: 'whatsapp',
          metadata: { phone_number_id: BUSINESS.metaPhoneNumberId },
          message_echoes: [
            {
              from: BUSINESS.displayPhoneNumber,
              to: CUSTOMER,
              id: 'wamid.e',
              timestamp: TS,
              type: 'text',
              text: { body: 'hi' },
            },
          ],
          messages: [raw('text', { text: { body: 'not really a customer message' } })],
        },
      },
    ]);
    expect(items).toEqual([{ kind: 'other-field', field: 'smb_message_echoes' }]);
  });

  it('decodes a marketing opt-out with the customer’s ids (Meta user_preferences reference)', () => {
    const items = decodeChanges([
      {
        field: 'user_preferences',
        value: {
          messaging_product: 'whatsapp',
          metadata: {
            display_phone_number: BUSINESS.displayPhoneNumber,
            phone_number_id: BUSINESS.metaPhoneNumberId,
          },
          contacts: [{ profile: { name: 'Ana' }, wa_id: CUSTOMER, user_id: 'GB.1234567890' }],
          user_preferences: [
            {
              wa_id: CUSTOMER,
              user_id: 'GB.1234567890',
              parent_user_id: 'GB.P.42',
              detail: 'User requested to stop marketing messages',
              category: 'marketing_messages',
              value: 'stop',
              timestamp: 1762827867,
            },
            { user_id: 'GB.99', category: 'marketing_messages', value: 'resume', timestamp: TS },
          ],
        },
      },
    ]);
    expect(items).toEqual([
      {
        kind: 'user-preference',
        preference: {
          business: expect.objectContaining({ phoneNumberId: BUSINESS.phoneNumberId }),
          customer: { waId: CUSTOMER, userId: 'GB.1234567890', parentUserId: 'GB.P.42' },
          category: 'marketing_messages',
          value: 'stop',
          detail: 'User requested to stop marketing messages',
          timestamp: 1762827867,
        },
      },
      {
        kind: 'user-preference',
        preference: expect.objectContaining({
          customer: { userId: 'GB.99' },
          value: 'resume',
          timestamp: 1762827867,
        }),
      },
    ]);
  });

  it('makes a preference without any customer id a malformed item (UserPreferenceInvalid)', () => {
    const items = decodeChanges([
      {
        field: 'user_preferences',
        value: {
          metadata: { phone_number_id: BUSINESS.metaPhoneNumberId },
          user_preferences: [{ category: 'marketing_messages', value: 'stop', timestamp: TS }],
        },
      },
    ]);
    expect(items).toEqual([
      {
        kind: 'malformed',
        part: 'user-preference',
        reason: 'UserPreferenceInvalid',
        detail: expect.any(String),
      },
    ]);
  });

  it('decodes phone number quality and account updates for on-call, even when unreadable', () => {
    const items = decodeChanges([
      {
        field: 'phone_number_quality_update',
        value: {
          display_phone_number: BUSINESS.displayPhoneNumber,
          event: 'DOWNGRADE',
          old_limit: 'TIER_10K',
          current_limit: 'TIER_1K',
        },
      },
      { field: 'account_update', value: { event: 'ACCOUNT_RESTRICTION', restriction_info: [] } },
      { field: 'account_update', value: 'garbled' },
    ]);
    expect(items).toEqual([
      {
        kind: 'account-event',
        event: {
          field: 'phone_number_quality_update',
          event: 'DOWNGRADE',
          displayPhoneNumber: BUSINESS.displayPhoneNumber,
          oldLimit: 'TIER_10K',
          currentLimit: 'TIER_1K',
        },
      },
      {
        kind: 'account-event',
        event: { field: 'account_update', event: 'ACCOUNT_RESTRICTION', wabaId: BUSINESS.wabaId },
      },
      {
        kind: 'account-event',
        event: { field: 'account_update', event: 'UNKNOWN', wabaId: BUSINESS.wabaId },
      },
    ]);
  });
});
