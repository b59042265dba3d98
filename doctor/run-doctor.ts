import type { CheckGroup, CheckLine } from './checklist.js';
import { checkAlarms } from './checks/alarms.js';
import { checkFlows, checkViews } from './checks/connect-content.js';
import { checkAttachments, checkInstance, checkIntegrations } from './checks/connect-instance.js';
import { checkDeadLetters } from './checks/dead-letters.js';
import { checkGuideWorkspace } from './checks/guide-workspace.js';
import { checkPolicies } from './checks/policies.js';
import { checkWhatsApp } from './checks/whatsapp.js';
import type { DoctorClients } from './clients.js';
import { outputOf, readDeployment } from './deployment.js';
import type { DoctorTarget } from './target.js';

/**
 * The read-only checklist, in the order a builder fixes things: the stack, WhatsApp, Connect,
 * the guide, the policies, the dead-letter queues and the alarms. Checks that need the stack's
 * outputs or resources are left out while the stack cannot be read; the stack's line says why.
 *
 * Primary course: read the stack → check each concern with the SDK calls it needs → return the
 * groups for `formatChecklist`. Nothing is written.
 */
export async function runDoctor(clients: DoctorClients, target: DoctorTarget): Promise<CheckGroup[]> {
  const { group: stack, deployment } = await readDeployment(clients.cloudFormation, target);
  const groups: CheckGroup[] = [stack];
  groups.push(
    await checkWhatsApp(
      clients.socialMessaging,
      target,
      deployment ? outputOf(deployment, 'inboundTopicArn') : undefined,
    ),
  );
  const connect: CheckLine[] = [
    ...(await checkInstance(clients.connect, target)),
    ...(await checkAttachments(clients.connect, target)),
    ...(await checkFlows(clients.connect, target, deployment)),
  ];
  if (deployment) {
    connect.push(...(await checkIntegrations(clients.connect, target, deployment)));
    connect.push(...(await checkViews(clients.connect, target, deployment)));
  }
  groups.push({ heading: `Amazon Connect (instance ${target.instanceId})`, lines: connect });
  if (!deployment) return groups;
  groups.push({
    heading: 'Agent-initiated template guide',
    lines: await checkGuideWorkspace(clients.connect, target, deployment),
  });
  groups.push({ heading: 'Policies', lines: await checkPolicies(clients, target, deployment) });
  groups.push({ heading: 'Dead-letter queues', lines: await checkDeadLetters(clients.sqs, deployment) });
  groups.push({ heading: 'Alarms', lines: await checkAlarms(clients, target, deployment) });
  return groups;
}
