import {
  GetLinkedWhatsAppBusinessAccountCommand,
  GetLinkedWhatsAppBusinessAccountPhoneNumberCommand,
  type SocialMessagingClient,
} from '@aws-sdk/client-socialmessaging';
import { errorName } from '../../shared/domain/errors.js';
import { planDeploy } from '../../shared/domain/event-destination.js';
import { type CheckGroup, type CheckLine, fail, pass } from '../checklist.js';
import { readOrFail } from '../clients.js';
import type { DoctorTarget } from '../target.js';

/**
 * Meta's quality ratings that mean customers are reporting or blocking the number. EUM Social
 * passes Meta's value through as a plain string (botocore socialmessaging: `qualityRating`, no
 * enum); Meta's phone number API names GREEN, YELLOW, RED and UNKNOWN. Anything else is reported
 * as it is, and passes.
 */
const POOR_QUALITY = new Set(['YELLOW', 'RED']);

/**
 * The WABA is linked, sends its events to this stack's inbound topic, and each configured number
 * is linked to it with its quality rating (GetLinkedWhatsAppBusinessAccount: `registrationStatus`,
 * `eventDestinations[]`; GetLinkedWhatsAppBusinessAccountPhoneNumber: `qualityRating`,
 * `linkedWhatsAppBusinessAccountId`; botocore socialmessaging 2024-01-01).
 */
export async function checkWhatsApp(
  client: SocialMessagingClient,
  target: DoctorTarget,
  inboundTopicArn: string | undefined,
): Promise<CheckGroup> {
  const waba = target.config.whatsAppBusinessAccountId;
  const lines: CheckLine[] = [];
  lines.push(
    ...(await readOrFail(
      'The WhatsApp Business Account is linked',
      'social-messaging:GetLinkedWhatsAppBusinessAccount',
      () => readWaba(client, target, inboundTopicArn),
    )),
  );
  for (const number of target.config.businessNumbers) {
    const title = `Business number ${number.phoneNumberId} is linked`;
    lines.push(
      ...(await readOrFail(title, 'social-messaging:GetLinkedWhatsAppBusinessAccountPhoneNumber', () =>
        readNumber(client, waba, number.phoneNumberId, title),
      )),
    );
  }
  return { heading: `WhatsApp (EUM Social, ${waba})`, lines };
}

async function readWaba(
  client: SocialMessagingClient,
  target: DoctorTarget,
  inboundTopicArn: string | undefined,
): Promise<CheckLine[]> {
  const waba = target.config.whatsAppBusinessAccountId;
  const title = 'The WhatsApp Business Account is linked';
  let account: Awaited<ReturnType<typeof getWaba>>;
  try {
    account = await getWaba(client, waba);
  } catch (error) {
    if (errorName(error) !== 'ResourceNotFoundException') throw error;
    return [
      fail(
        title,
        `${waba} is not linked in EUM Social in ${target.region}`,
        `Link it in the AWS End User Messaging Social console in ${target.region} (Meta's embedded sign-up; README → Deploy, step 1), or correct whatsAppBusinessAccountId in ${target.configFile}.`,
      ),
    ];
  }
  const lines: CheckLine[] = [
    account?.registrationStatus === 'COMPLETE'
      ? pass(title, account.wabaName ?? waba)
      : fail(
          title,
          `its registration is ${account?.registrationStatus ?? 'unknown'}`,
          'Finish the sign-up in the EUM Social console (WhatsApp Business Accounts → the account → complete registration).',
        ),
  ];
  if (inboundTopicArn !== undefined) {
    lines.push(
      eventDestinationLine(target, account?.eventDestinations?.[0]?.eventDestinationArn, inboundTopicArn),
    );
  }
  return lines;
}

/** Uses the deploy's own rules (shared/domain/event-destination.ts) to say what a redeploy would do. */
function eventDestinationLine(target: DoctorTarget, current: string | undefined, ours: string): CheckLine {
  const title = "The WABA's event destination is this stack's inbound topic";
  const waba = target.config.whatsAppBusinessAccountId;
  if (current === ours) return pass(title, ours);
  const plan = planDeploy(
    { wabaId: waba, current: current || undefined, ours },
    target.config.takeOverEventDestination,
  );
  const problem = current
    ? `it is ${current}`
    : 'no event destination is set, so no WhatsApp event reaches the relay';
  const deploy = `npx cdk deploy -c relayConfigFile=${target.configFile}`;
  switch (plan.kind) {
    case 'set':
      return fail(title, problem, `Deploy again (${deploy}): the stack sets it to ${ours}.`);
    case 'take-over':
      return fail(
        title,
        problem,
        `Deploy again (${deploy}): takeOverEventDestination is true, so the deploy replaces ${plan.replacing} with ${ours}.`,
      );
    case 'refuse':
      return fail(title, problem, plan.reason);
  }
}

async function readNumber(
  client: SocialMessagingClient,
  waba: string,
  phoneNumberId: string,
  title: string,
): Promise<CheckLine> {
  let output: Awaited<ReturnType<typeof getNumber>>;
  try {
    output = await getNumber(client, phoneNumberId);
  } catch (error) {
    if (errorName(error) !== 'ResourceNotFoundException') throw error;
    return fail(
      title,
      'EUM Social does not know this number',
      `Add the number to ${waba} in the EUM Social console, or remove it from businessNumbers in the configuration and deploy again.`,
    );
  }
  const linkedTo = output.linkedWhatsAppBusinessAccountId;
  if (linkedTo && !sameWaba(linkedTo, waba)) {
    return fail(
      title,
      `it belongs to ${linkedTo}, not ${waba}`,
      `Use a number of ${waba} in businessNumbers, or set whatsAppBusinessAccountId to ${linkedTo}; then deploy again.`,
    );
  }
  const detail = output.phoneNumber;
  const rating = detail?.qualityRating ?? 'UNKNOWN';
  const display = detail?.displayPhoneNumber ?? phoneNumberId;
  if (POOR_QUALITY.has(rating.toUpperCase())) {
    return fail(
      title,
      `${display}: quality rating ${rating}`,
      "Customers are blocking or reporting this number's messages. Review recent templates and agent replies in WhatsApp Manager → Insights; Meta lowers the number's messaging limit if the rating stays low.",
    );
  }
  return pass(title, `${display}, quality rating ${rating}`);
}

/** `waba-<id>` and the WABA's ARN name the same account. */
function sameWaba(a: string, b: string): boolean {
  const id = (value: string) => value.replace(/^.*waba\//, '').replace(/^waba-/, '');
  return id(a) === id(b);
}

async function getWaba(client: SocialMessagingClient, id: string) {
  return (await client.send(new GetLinkedWhatsAppBusinessAccountCommand({ id }))).account;
}

async function getNumber(client: SocialMessagingClient, id: string) {
  return client.send(new GetLinkedWhatsAppBusinessAccountPhoneNumberCommand({ id }));
}
