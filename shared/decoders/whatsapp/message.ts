import * as z from 'zod';
import { MalformedEventError } from '../../domain/errors.js';
import type { BusinessNumber, Customer, InboundMessage } from '../../domain/inbound-message.js';
import { parseWith } from '../parsing.js';
import { parseMessageContent } from './registry.js';
import { errorSchema, type WebhookContact } from './schemas.js';

const baseMessageSchema = z.object({
  id: z.string().min(1),
  timestamp: z.coerce.number(),
  type: z.string().min(1),
  from: z.string().optional(),
  from_user_id: z.string().optional(),
  context: z
    .object({
      id: z.string().optional(),
      forwarded: z.boolean().optional(),
      frequently_forwarded: z.boolean().optional(),
    })
    .optional(),
  referral: z.object({ headline: z.string().optional(), source_url: z.string().optional() }).optional(),
  errors: z.array(errorSchema).optional(),
});

type BaseMessage = z.infer<typeof baseMessageSchema>;

/**
 * One `value.messages[]` element. Throws MalformedEventError (MessageInvalid, NoCustomerId) when
 * the fields every message has are missing; content the relay cannot read is `unsupported`.
 */
export function decodeMessage(
  raw: unknown,
  contacts: readonly WebhookContact[],
  business: BusinessNumber,
): InboundMessage {
  const base = parseWith(baseMessageSchema, raw, 'MessageInvalid');
  const content = parseMessageContent(base.type, raw as Readonly<Record<string, unknown>>);
  // A reaction's context points at the message reacted to; that is not a reply.
  const replyTo = base.context?.id && base.type !== 'reaction' ? base.context.id : undefined;
  const forwarded = base.context?.forwarded === true || base.context?.frequently_forwarded === true;
  return {
    id: base.id,
    timestamp: base.timestamp,
    type: base.type,
    business,
    customer: customerOf(base, contacts),
    content,
    ...(replyTo ? { replyToMessageId: replyTo } : {}),
    ...(forwarded ? { forwarded } : {}),
    ...(base.referral
      ? {
          referral: {
            ...(base.referral.headline ? { headline: base.referral.headline } : {}),
            ...(base.referral.source_url ? { sourceUrl: base.referral.source_url } : {}),
          },
        }
      : {}),
  };
}

function customerOf(message: BaseMessage, contacts: readonly WebhookContact[]): Customer {
  const contact =
    contacts.find(
      (candidate) =>
        (message.from !== undefined && candidate.wa_id === message.from) ||
        (message.from_user_id !== undefined && candidate.user_id === message.from_user_id),
    ) ?? (contacts.length === 1 ? contacts[0] : undefined);
  const waId = message.from ?? contact?.wa_id;
  const userId = message.from_user_id ?? contact?.user_id;
  // The business-scoped user id first: Meta sends wa_id only while the number is visible.
  const id = userId ?? waId;
  if (!id) throw new MalformedEventError('Message has neither wa_id nor user_id', 'NoCustomerId');
  const profileName = contact?.profile?.name;
  return {
    id,
    ...(waId ? { waId } : {}),
    ...(userId ? { userId } : {}),
    ...(profileName ? { profileName } : {}),
  };
}
