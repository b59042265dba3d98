import type { ConversationRef, ReliabilityRun } from './reliability-harness.js';

/**
 * The conversation traffic the reliability suites share, in three waves:
 * 1. customers open conversations with several messages at once (chat starts race);
 * 2. agents answer and type while those customers keep writing and new customers arrive;
 * 3. agents answer the newcomers, and everyone exchanges a last message.
 * Meta's statuses for every send arrive on their own, as soon as WhatsApp has the message.
 */
export interface WorkloadShape {
  readonly earlyConversations: number;
  readonly lateConversations: number;
  /** How many times each event is delivered. */
  readonly copies: number;
}

export interface WorkloadCounts {
  readonly customerMessages: number;
  readonly agentMessages: number;
  readonly conversations: number;
}

export async function runConversationWorkload(
  run: ReliabilityRun,
  shape: WorkloadShape,
): Promise<WorkloadCounts> {
  const customers = (count: number, offset: number) =>
    Array.from({ length: count }, (_, index) =>
      run.conversation(
        `55119${String(run.options.seed % 1000).padStart(3, '0')}${String(offset + index).padStart(3, '0')}`,
      ),
    );
  const early = customers(shape.earlyConversations, 0);
  const late = customers(shape.lateConversations, shape.earlyConversations);
  let customerMessages = 0;
  let agentMessages = 0;
  const customerSays = (conversation: ConversationRef, count: number, label: string) =>
    Array.from({ length: count }, (_, index) => {
      customerMessages++;
      return {
        queue: 'inbound' as const,
        body: run.customerMessage(conversation, `${conversation.customer} ${label} ${index + 1}`),
      };
    });
  const agentSays = (conversation: ConversationRef, count: number, label: string) =>
    Array.from({ length: count }, (_, index) => {
      agentMessages++;
      return {
        queue: 'outbound' as const,
        body: run.agentMessage(conversation, `agent to ${conversation.customer} ${label} ${index + 1}`),
      };
    });

  run.deliver(
    early.flatMap((conversation) => customerSays(conversation, 3, 'opening')),
    shape.copies,
  );
  await run.settle();
  run.deliver(
    [
      ...early.flatMap((conversation) => [
        ...agentSays(conversation, 3, 'reply'),
        { queue: 'outbound' as const, body: run.agentTyping(conversation) },
        ...customerSays(conversation, 2, 'follow-up'),
      ]),
      ...late.flatMap((conversation) => customerSays(conversation, 3, 'opening')),
    ],
    shape.copies,
  );
  await run.settle();
  run.deliver(
    [
      ...late.flatMap((conversation) => agentSays(conversation, 3, 'reply')),
      ...early.flatMap((conversation) => [
        ...agentSays(conversation, 1, 'closing'),
        ...customerSays(conversation, 1, 'thanks'),
      ]),
    ],
    shape.copies,
  );
  await run.settle();
  return { customerMessages, agentMessages, conversations: early.length + late.length };
}
