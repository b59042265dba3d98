import type { SendOutcome } from '../domain/template-guide.js';
import type { TemplateSendFailure } from '../ports/template-sender.js';

/** What the agent reads, and the guide's outcome, for each way a template send can fail. */
export function failureAnswer(
  failure: TemplateSendFailure,
  awsName: string,
  detail: string,
): { outcome: SendOutcome; message: string } {
  return FAILURE_MESSAGES[failure](awsName, detail);
}

const FAILURE_MESSAGES: Record<
  TemplateSendFailure,
  (awsName: string, detail: string) => { outcome: SendOutcome; message: string }
> = {
  Throttled: () => ({
    outcome: 'RETRY',
    message:
      'WhatsApp is busy right now (throttled). Nothing was sent. Wait a few seconds and press Send again.',
  }),
  Unavailable: (name) => ({
    outcome: 'RETRY',
    message: `The WhatsApp service did not answer (${name}); the message was most likely not sent. Press Send again in a minute.`,
  }),
  Rejected: (_name, detail) => ({
    outcome: 'FAILED',
    message: `WhatsApp rejected the message: ${detail.slice(0, 200)}. Nothing was sent. Check the values.`,
  }),
  MetaRefused: () => ({
    outcome: 'FAILED',
    message:
      'Meta refused the message (access denied by Meta). Nothing was sent. Tell an administrator to check the WhatsApp Business Account.',
  }),
  Unconfirmed: (name) => ({
    outcome: 'UNCONFIRMED',
    message: `Send not confirmed: WhatsApp did not answer in time (${name}), so the message may or may not have gone out. Check the customer’s WhatsApp chat before sending again.`,
  }),
  NotFound: () => ({
    outcome: 'FAILED',
    message:
      'The sending business number is not set up in AWS End User Messaging Social. Nothing was sent. Tell an administrator.',
  }),
  Unknown: (name) => ({
    outcome: 'FAILED',
    message: `Sending failed (${name}). Try again; if it keeps failing, tell an administrator.`,
  }),
};
