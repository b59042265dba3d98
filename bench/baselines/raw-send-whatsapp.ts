import { SendWhatsAppMessageCommand, SocialMessagingClient } from '@aws-sdk/client-socialmessaging';

// Baseline: the least any outbound relay must do per message, one SendWhatsAppMessage through the SDK.
const client = new SocialMessagingClient({ maxAttempts: 3, retryMode: 'standard' });
const encoder = new TextEncoder();

export const handler = async () => {
  await client.send(
    new SendWhatsAppMessageCommand({
      originationPhoneNumberId: 'phone-number-id-0123456789abcdef0123456789abcdef',
      metaApiVersion: 'v23.0',
      message: encoder.encode(
        JSON.stringify({
          messaging_product: 'whatsapp',
          to: '+447700900001',
          type: 'text',
          text: { body: 'baseline' },
        }),
      ),
    }),
  );
  return { batchItemFailures: [] };
};
