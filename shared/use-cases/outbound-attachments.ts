import { agentAttachmentRule } from '../domain/agent-attachment-rules.js';
import { attachmentRefusedNotice, attachmentScanNotice, messagePreview } from '../domain/agent-notices.js';
import type { Conversation } from '../domain/conversation.js';
import { RetryableError } from '../domain/errors.js';
import type { StreamingAttachment, StreamingItem } from '../domain/streaming-item.js';
import { mediaPayload } from '../domain/whatsapp-payloads.js';
import type { AttachmentScanStatus } from '../ports/chat-service.js';
import type { OutboundDelivery, OutgoingPart, RelayOutboundDependencies } from './outbound-delivery.js';

/**
 * Connect's attachment scanner gives up after 60 seconds (admin guide, "Feature specifications").
 * An attachment still unscanned this long after it was sent will not be approved: the agent is
 * told instead of the record being retried again.
 */
const SCAN_GIVE_UP_MS = 5 * 60_000;

/** Connect is still scanning an agent's attachment; the record is retried after the visibility timeout. */
export class AttachmentScanPendingError extends RetryableError {
  constructor(attachmentId: string) {
    super(`Attachment ${attachmentId} is still being scanned by Connect`, 'AttachmentScanPending');
    this.name = 'AttachmentScanPendingError';
  }
}

/**
 * Turns an agent's attachments into WhatsApp media parts.
 *
 * Primary course: a file of a type WhatsApp takes (see AGENT_ATTACHMENT_RULES) that Connect's scan
 * approved is sent from a short-lived Connect link, under a send-once claim keyed by the
 * attachment id. Other types are refused with a notice saying what to send instead. A file still
 * being scanned is re-checked with backoff, then retried through SQS, until the scan approves it
 * (sent) or rejects it (the agent is told). Whether Connect streams the approved item again is not
 * documented: keyed by attachment id, the file is sent once either way.
 */
export class OutboundAttachments {
  constructor(
    private readonly deps: RelayOutboundDependencies,
    private readonly delivery: OutboundDelivery,
  ) {}

  async parts(conversation: Conversation, item: StreamingItem): Promise<OutgoingPart[]> {
    const { telemetry } = this.deps;
    const parts: OutgoingPart[] = [];
    for (const attachment of item.attachments) {
      const name = attachment.attachmentName;
      const rule = agentAttachmentRule(name);
      if (rule.action === 'refuse') {
        telemetry.count('AgentAttachmentsRefused', { Reason: 'UnsupportedType' });
        await this.delivery.notify(
          conversation,
          item,
          attachmentRefusedNotice(name, rule.advice),
          attachment.attachmentId,
        );
        continue;
      }
      const scan = await this.scanStatus(conversation, item, attachment);
      if (scan !== 'APPROVED') {
        const verdict = scan === 'REJECTED' ? 'rejected' : 'unfinished';
        if (verdict === 'unfinished' && this.deps.now() - item.absoluteTime < SCAN_GIVE_UP_MS) {
          throw new AttachmentScanPendingError(attachment.attachmentId);
        }
        telemetry.count('AgentAttachmentsRefused', {
          Reason: verdict === 'rejected' ? 'ScanRejected' : 'ScanUnfinished',
        });
        await this.delivery.notify(
          conversation,
          item,
          attachmentScanNotice(name, verdict),
          attachment.attachmentId,
        );
        continue;
      }
      const link = await this.deps.customerConnection.run(conversation, (connectionToken) =>
        this.deps.chat.getAttachmentUrl({ connectionToken, attachmentId: attachment.attachmentId }),
      );
      parts.push({
        sendId: `attachment#${attachment.attachmentId}`,
        preview: messagePreview(name),
        payload: (recipient, callbackData) =>
          mediaPayload(recipient, { link, mimeType: rule.mimeType, filename: name }, callbackData),
      });
    }
    return parts;
  }

  /** The streamed status when it is final; otherwise Connect is asked, waiting a little. */
  private async scanStatus(
    conversation: Conversation,
    item: StreamingItem,
    attachment: StreamingAttachment,
  ): Promise<AttachmentScanStatus> {
    // Items without a status predate the scanner or come from instances without it.
    if (attachment.status === undefined || attachment.status === 'APPROVED') return 'APPROVED';
    if (attachment.status === 'REJECTED') return 'REJECTED';
    return this.deps.customerConnection.run(conversation, (connectionToken) =>
      this.deps.chat.awaitAttachmentScan({
        connectionToken,
        contactId: item.contactId,
        attachmentId: attachment.attachmentId,
        maxWaitMs: this.deps.settings.attachmentScanWaitMs,
      }),
    );
  }
}
