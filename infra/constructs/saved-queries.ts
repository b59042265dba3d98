import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/** The text to replace in "relay/conversation" with a WhatsApp message id, contact id or conversation hash. */
export const QUERY_ID_PLACEHOLDER = 'PASTE-ID-HERE';

/**
 * The saved Logs Insights queries (docs/operations.md names them), in Logs Insights QL, over every
 * relay and template function's log group. The fields are the correlation keys the use cases log:
 * whatsAppMessageId / whatsAppMessageIds, contactId, initialContactId, connectItemId, the hashed
 * `conversation`, and `reason`, `latencyMs`.
 */
export const SAVED_QUERIES = {
  'relay/conversation': [
    'fields @timestamp, service, level, message, whatsAppMessageId, whatsAppMessageIds, contactId, initialContactId, connectItemId, conversation, reason, latencyMs',
    // Any field holding the id: a message id finds its chat's contactId and conversation hash; run again with those.
    `filter @message like "${QUERY_ID_PLACEHOLDER}"`,
    'sort @timestamp asc',
    'limit 1000',
  ],
  'relay/failures-by-reason': [
    'filter level in ["WARN", "ERROR"]',
    'stats count(*) as occurrences, latest(contactId) as lastContact, latest(whatsAppMessageId) as lastMessage by service, message, coalesce(reason, failure, code, event) as why',
    'sort occurrences desc',
  ],
  'relay/dlq-explained': [
    'filter message in ["Record sent to the dead-letter queue", "Item failed; its record will be retried", "Item not forwarded; its conversation waits for its record to be retried"]',
    'stats count(*) as records, latest(detail) as lastDetail, latest(error) as lastError, latest(sqsMessageId) as lastRecord, latest(messageGroupId) as lastGroup by service, message, reason',
    'sort records desc',
  ],
  'relay/slowest-messages': [
    'filter ispresent(latencyMs)',
    'fields @timestamp, service, latencyMs, whatsAppMessageId, whatsAppMessageIds, contactId, connectItemId, conversation',
    'sort latencyMs desc',
    'limit 50',
  ],
} as const;

export type SavedQueryName = keyof typeof SAVED_QUERIES;

/** Creates the saved queries over the given functions' log groups. */
export class SavedQueries extends Construct {
  constructor(scope: Construct, id: string, logGroups: readonly logs.ILogGroup[]) {
    super(scope, id);
    const logGroupNames = logGroups.map((group) => group.logGroupName);
    for (const [name, lines] of Object.entries(SAVED_QUERIES)) {
      new logs.CfnQueryDefinition(this, name.replace(/[^A-Za-z0-9]/g, ''), {
        name,
        queryString: lines.join('\n| '),
        logGroupNames,
      });
    }
  }
}
