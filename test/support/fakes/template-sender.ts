import type { TemplateSender } from '../../../shared/ports/template-sender.js';
import { type Scripted, scripted } from './scripted.js';

/** SendWhatsAppMessage for templates, accepting every message under a new id by default. */
export function scriptedTemplateSender(): Scripted<TemplateSender> {
  let sent = 0;
  return scripted<TemplateSender>({ send: async () => ({ messageId: `eum-message-${++sent}` }) });
}
