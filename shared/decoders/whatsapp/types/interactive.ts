import * as z from 'zod';
import type { FormAnswers, InboundContent } from '../../../domain/inbound-message.js';
import { type MessageTypeParser, unsupportedContent } from '../message-type.js';

const interactiveSchema = z.object({
  type: z.string(),
  // The title is what the customer tapped and what a bot matches, so it must not be empty.
  button_reply: z.object({ id: z.string(), title: z.string().min(1) }).optional(),
  list_reply: z
    .object({ id: z.string(), title: z.string().min(1), description: z.string().optional() })
    .optional(),
  nfm_reply: z
    .object({ name: z.string().optional(), body: z.string().optional(), response_json: z.string() })
    .optional(),
});

/**
 * `{type:"interactive", interactive:{type:"button_reply"|"list_reply"|"nfm_reply"|…}}`: the
 * customer tapped a reply button or list row, or submitted a WhatsApp Flow form (Meta webhook
 * reference, messages/interactive; flows/guides/receiveflowresponse for `response_json`).
 */
export const interactive: MessageTypeParser = {
  type: 'interactive',
  parse: (message) => {
    const reply = interactiveSchema.parse(message.interactive);
    const choice = reply.button_reply ?? reply.list_reply;
    if (choice) return { kind: 'choice', ...choice };
    if (reply.nfm_reply) {
      return {
        kind: 'flow-reply',
        name: reply.nfm_reply.name ?? 'flow',
        answers: formAnswers(reply.nfm_reply.response_json),
        ...(reply.nfm_reply.body ? { body: reply.nfm_reply.body } : {}),
      } satisfies InboundContent;
    }
    return unsupportedContent(`interactive/${reply.type}`, 'this kind of interactive reply is not relayed');
  },
};

/**
 * The form's answers. `flow_token` is the business's own correlation value, never the customer's
 * answer, so it is dropped. A response that is not a JSON object is kept whole as one answer.
 */
function formAnswers(responseJson: string): FormAnswers {
  let parsed: unknown;
  try {
    parsed = JSON.parse(responseJson);
  } catch {
    return { response: responseJson };
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return { response: responseJson };
  }
  const { flow_token: _token, ...answers } = parsed as Record<string, FormAnswers[string]>;
  return answers;
}
