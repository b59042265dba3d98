import { EumWhatsAppSender } from '../../shared/adapters/eum-whatsapp-sender.js';
import { maskPhoneNumber } from '../../shared/domain/masking.js';
import { checkWhatsAppNumber } from '../../shared/domain/phone-number.js';
import { buildTemplateMessage } from '../../shared/domain/whatsapp-template.js';
import { type CheckGroup, type CheckLine, fail, pass } from '../checklist.js';
import { type DoctorClients, describeError } from '../clients.js';
import type { DoctorTarget } from '../target.js';
import { deliveredAt, sendAgentSideMessage, TEST_MESSAGE } from './agent-message.js';
import type { Builder, Clock, LiveTestOptions } from './ports.js';
import { waitFor } from './ports.js';
import { chatsOf } from './test-chat.js';

/** What the live test needs: the SDK clients, the person running it, and time. */
export interface LiveTestDependencies {
  readonly clients: DoctorClients;
  readonly builder: Builder;
  readonly clock: Clock;
}

/** Seconds with one decimal, for latencies a person reads. */
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/**
 * The end-to-end smoke test, run only with the builder's consent. Primary course:
 * 1. no chat of the test phone is open (the reply would go into it, and nothing could be timed);
 * 2. the approved template goes to the test phone through EUM Social (hop 1: accepted);
 * 3. the builder replies "ok", and the relay starts a chat: found with SearchContacts (hop 2);
 * 4. a test participant says something in the chat, and its WhatsApp delivery receipt comes back (hop 3).
 * Each hop is a line with its latency; the first hop that fails ends the test with its fix.
 */
export async function runLiveTest(
  deps: LiveTestDependencies,
  target: DoctorTarget,
  options: LiveTestOptions,
): Promise<CheckGroup> {
  const heading = 'Live test';
  const lines: CheckLine[] = [];
  const done = (line: CheckLine): CheckGroup => ({ heading, lines: [...lines, line] });
  const number = checkWhatsAppNumber(options.testNumber);
  if (!number.ok) {
    return done(
      fail('The test phone number is valid', number.message, 'Pass --live-test +<country code><number>.'),
    );
  }
  const e164 = number.e164;
  const masked = maskPhoneNumber(e164);
  const sender =
    target.config.templateSenderPhoneNumberId ?? target.config.businessNumbers[0]?.phoneNumberId ?? '';
  const { name, language } = options.template;
  const { clients, builder, clock } = deps;

  const consented =
    options.yes ||
    (await builder.confirm(
      `Send the WhatsApp template ${name} (${language}) from ${sender} to ${masked}, and start a real chat in Connect?`,
    ));
  if (!consented) {
    return done(
      fail(
        'The live test ran',
        'you did not consent, so nothing was sent',
        'Run it again and answer y, or add --yes.',
      ),
    );
  }

  const lookback = target.config.chatDurationMinutes * 60_000;
  const open = (
    await chatsOf(clients.connect, target, e164, clock.now() - lookback, clock.now(), 'open')
  ).find((chat) => chat.open);
  if (open) {
    return done(
      fail(
        `No chat of ${masked} is open`,
        `contact ${open.contactId} is still open, so the reply would join it and nothing could be timed`,
        `End it in the agent workspace, or: aws connect stop-contact --instance-id ${target.instanceId} --contact-id ${open.contactId}; then run the live test again.`,
      ),
    );
  }

  const sentAt = clock.now();
  try {
    const whatsApp = new EumWhatsAppSender(clients.socialMessaging, target.config.metaApiVersion);
    const message = buildTemplateMessage({ name, language, body: '', buttons: [], bodyExamples: {} }, e164, {
      parameters: [],
    });
    const { messageId } = await whatsApp.send(sender, message);
    lines.push(
      pass(
        `Hop 1: EUM Social accepted the template ${name}`,
        `${seconds(clock.now() - sentAt)} (message ${messageId})`,
      ),
    );
  } catch (error) {
    return done(
      fail(
        `Hop 1: EUM Social accepted the template ${name}`,
        describeError(error),
        `Use an approved template without parameters: --template <name>:<language> (see the WABA's templates in the EUM Social console); check that ${sender} may send.`,
      ),
    );
  }

  builder.tell(
    `On the test phone (${masked}), reply "ok" to the template. Waiting up to ${seconds(options.chatWaitMs)} for the chat in Connect…`,
  );
  const askedAt = clock.now();
  const chat = await waitFor(
    clock,
    options.chatWaitMs,
    options.pollMs,
    async () => (await chatsOf(clients.connect, target, e164, sentAt, clock.now() + 60_000))[0],
  );
  if (!chat) {
    return done(
      fail(
        'Hop 2: the reply reached Connect as a chat',
        `no chat of ${masked} appeared within ${seconds(options.chatWaitMs)}`,
        "Check the WABA's event destination and the inbound DLQs above, then the inbound relay's logs (README → Operations); if you did not reply in time, run the live test again.",
      ),
    );
  }
  lines.push(
    pass(
      'Hop 2: the reply reached Connect as a chat',
      `${seconds(Math.max(0, chat.initiatedAt - askedAt))} after you were asked to reply, your reply time included (contact ${chat.contactId})`,
    ),
  );

  let sent: Awaited<ReturnType<typeof sendAgentSideMessage>>;
  try {
    sent = await sendAgentSideMessage(clients, target, chat.contactId, clock);
  } catch (error) {
    return done(
      fail(
        'Hop 3: an agent-side message reached WhatsApp',
        `the test participant could not post (${describeError(error)})`,
        "Allow connect:CreateParticipant on the instance's contacts for your credentials; or send a reply as an agent by hand and watch the phone.",
      ),
    );
  }
  const delivered = await deliveredAt(
    clients.connectParticipant,
    sent,
    clock,
    options.deliveryWaitMs,
    options.pollMs,
  );
  const stop = `The test chat stays open: end it in the agent workspace or with aws connect stop-contact --instance-id ${target.instanceId} --contact-id ${chat.contactId}.`;
  if (delivered !== undefined) {
    lines.push(
      pass(
        'Hop 3: an agent-side message reached WhatsApp',
        `delivered ${seconds(Math.max(0, delivered - sent.sentAt))} after it was sent`,
      ),
    );
    builder.tell(stop);
    return { heading, lines };
  }
  const seen = !options.yes && (await builder.confirm(`Did "${TEST_MESSAGE}" arrive on ${masked}?`));
  builder.tell(stop);
  return done(
    seen
      ? pass(
          'Hop 3: an agent-side message reached WhatsApp',
          `you saw it; no delivery receipt reached Connect within ${seconds(options.deliveryWaitMs)}`,
        )
      : fail(
          'Hop 3: an agent-side message reached WhatsApp',
          `no delivery receipt within ${seconds(options.deliveryWaitMs)}`,
          "Check the outbound DLQs above and the outbound relay's logs (README → Operations); a closed 24-hour window or a Meta error is posted in the chat as a relay notice.",
        ),
  );
}
