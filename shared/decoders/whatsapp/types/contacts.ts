import * as z from 'zod';
import type { MessageTypeParser } from '../message-type.js';

const sharedContactSchema = z.object({
  name: z.object({ formatted_name: z.string().optional(), first_name: z.string().optional() }).optional(),
  phones: z.array(z.object({ phone: z.string().optional(), wa_id: z.string().optional() })).optional(),
  emails: z.array(z.object({ email: z.string().optional() })).optional(),
  org: z.object({ company: z.string().optional() }).optional(),
});

/** `{type:"contacts", contacts:[{name, phones?, emails?, org?, …}]}`: contact cards the customer shared. */
export const contacts: MessageTypeParser = {
  type: 'contacts',
  parse: (message) => {
    const cards = z.array(sharedContactSchema).min(1).parse(message.contacts);
    return {
      kind: 'contacts',
      contacts: cards.map((card) => ({
        name: card.name?.formatted_name ?? card.name?.first_name ?? 'Unnamed contact',
        phones: (card.phones ?? []).flatMap((phone) => (phone.phone ? [phone.phone] : [])),
        emails: (card.emails ?? []).flatMap((email) => (email.email ? [email.email] : [])),
        ...(card.org?.company ? { organisation: card.org.company } : {}),
      })),
    };
  },
};
