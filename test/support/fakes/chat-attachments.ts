import type { ChatAttachments } from '../../../shared/ports/media-transfer.js';
import { type Scripted, scripted } from './scripted.js';

/** Connect's attachment upload, accepting every file under a new attachment id by default. */
export function scriptedChatAttachments(): Scripted<ChatAttachments> {
  let uploaded = 0;
  return scripted<ChatAttachments>({ upload: async () => ({ attachmentId: `attachment-${++uploaded}` }) });
}
