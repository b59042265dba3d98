import type { WhatsAppMediaType } from './whatsapp-payloads.js';

/**
 * What happens to each file type an agent can attach in Connect chat, which accepts
 * .csv .doc .docx .heic .jfif .jpeg .jpg .mov .mp4 .pdf .png .ppt .pptx .rtf .txt .wav .xls .xlsx
 * (Connect admin guide, "Feature specifications"). WhatsApp takes images image/jpeg and image/png,
 * video video/mp4 and video/3gpp, and documents text/plain, PDF, Word, Excel and PowerPoint (EUM
 * Social user guide, "Supported media types"; api-facts A3). Converting audio, HEIC or QuickTime
 * video is not cheap inside this function, and CSV or RTF sent as a document fails later at Meta,
 * so those are refused at once with advice the agent can act on.
 */
export type AgentAttachmentRule =
  | { readonly action: 'send'; readonly as: WhatsAppMediaType; readonly mimeType: string }
  | { readonly action: 'refuse'; readonly advice: string };

const send = (as: WhatsAppMediaType, mimeType: string): AgentAttachmentRule => ({
  action: 'send',
  as,
  mimeType,
});
const refuse = (advice: string): AgentAttachmentRule => ({ action: 'refuse', advice });

const OFFICE = 'application/vnd.openxmlformats-officedocument';

/** By lower-case file extension. */
export const AGENT_ATTACHMENT_RULES: Readonly<Record<string, AgentAttachmentRule>> = {
  jpg: send('image', 'image/jpeg'),
  jpeg: send('image', 'image/jpeg'),
  jfif: send('image', 'image/jpeg'),
  png: send('image', 'image/png'),
  mp4: send('video', 'video/mp4'),
  pdf: send('document', 'application/pdf'),
  txt: send('document', 'text/plain'),
  doc: send('document', 'application/msword'),
  docx: send('document', `${OFFICE}.wordprocessingml.document`),
  xls: send('document', 'application/vnd.ms-excel'),
  xlsx: send('document', `${OFFICE}.spreadsheetml.sheet`),
  ppt: send('document', 'application/vnd.ms-powerpoint'),
  pptx: send('document', `${OFFICE}.presentationml.presentation`),
  heic: refuse('WhatsApp does not take HEIC photos; save it as .jpg or .png and attach that'),
  mov: refuse('WhatsApp does not take QuickTime video; export it as .mp4 and attach that'),
  wav: refuse('WhatsApp does not take WAV audio; convert the recording to .mp4 and attach that'),
  csv: refuse('WhatsApp does not take CSV files; save it as .xlsx or .pdf and attach that'),
  rtf: refuse('WhatsApp does not take RTF files; save it as .docx or .pdf and attach that'),
};

const UNKNOWN_TYPE = refuse(
  'WhatsApp does not take this file type; send .jpg, .png, .mp4, .pdf, .txt or an Office file',
);

/** The rule for an agent's attachment, by its file name's extension. */
export function agentAttachmentRule(fileName: string): AgentAttachmentRule {
  const extension = /\.([a-z0-9]+)$/i.exec(fileName)?.[1]?.toLowerCase() ?? '';
  return AGENT_ATTACHMENT_RULES[extension] ?? UNKNOWN_TYPE;
}
