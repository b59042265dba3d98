/**
 * Small valid events decoded once at init, so zod compiles its parsers before the first customer
 * message rather than during it. They are never relayed.
 */
export const PRIMING_WEBHOOK_BODY = JSON.stringify({
  Type: 'Notification',
  MessageId: 'priming',
  Message: JSON.stringify({
    context: {
      MetaPhoneNumberIds: [{ metaPhoneNumberId: '0', arn: 'arn:aws:social-messaging:::phone-number-id/0' }],
    },
    whatsAppWebhookEntry: JSON.stringify({
      id: '0',
      changes: [
        {
          field: 'messages',
          value: {
            metadata: { phone_number_id: '0' },
            contacts: [{ wa_id: '0', profile: { name: 'priming' } }],
            messages: [{ from: '0', id: 'priming', timestamp: '0', type: 'text', text: { body: 'priming' } }],
            statuses: [{ id: 'priming', status: 'delivered', timestamp: '0' }],
          },
        },
      ],
    }),
  }),
});

export const PRIMING_STREAMING_BODY = JSON.stringify({
  Type: 'Notification',
  MessageId: 'priming',
  Message: JSON.stringify({
    Id: 'priming',
    Type: 'MESSAGE',
    ContentType: 'text/plain',
    Content: 'priming',
    ParticipantRole: 'AGENT',
    InitialContactId: 'priming',
    ContactId: 'priming',
    AbsoluteTime: '2026-01-01T00:00:00.000Z',
  }),
  MessageAttributes: { MessageVisibility: { Type: 'String', Value: 'ALL' } },
});
