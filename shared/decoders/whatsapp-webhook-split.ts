import { decodeWebhookLayers, type WebhookItem } from './whatsapp-webhook-decoder.js';

/**
 * One item of an inbound record, with the body that carries it alone: the same EUM Social
 * envelope, whose webhook entry holds one change with one message, status, error or preference.
 * The inbound relay decodes that body with its usual decoder, so the decoders stay the single
 * source of truth for what an item is.
 */
export interface WebhookPiece {
  readonly body: string;
  readonly item: WebhookItem;
}

/** The per-item arrays of a `messages` or `user_preferences` change, each split one element a piece. */
const ITEM_ARRAYS = ['messages', 'statuses', 'errors', 'user_preferences'] as const;

/**
 * Splits an inbound SQS body into one piece per webhook item, in the order Meta listed them.
 * A broken layer above the changes throws MalformedEventError (the whole record is rejected); a
 * bad change or item becomes a piece whose item is `malformed`, so its siblings still go through.
 */
export function splitWhatsAppWebhook(body: string): WebhookPiece[] {
  const layers = decodeWebhookLayers(body);
  return layers.changes.flatMap((change) =>
    splitChange(change).flatMap((single) => {
      const entry = { ...(layers.wabaId === undefined ? {} : { id: layers.wabaId }), changes: [single] };
      const pieceBody = JSON.stringify({ ...layers.envelope, whatsAppWebhookEntry: JSON.stringify(entry) });
      return layers.decodeChange(single).map((item) => ({ body: pieceBody, item }));
    }),
  );
}

/**
 * One change per item: the change's value keeps its metadata and contacts, and holds exactly one
 * element of one item array. A change without item arrays (account events, other fields, or one
 * too broken to read) stays whole; the decoder decides what it is.
 */
function splitChange(change: unknown): unknown[] {
  if (!isObject(change) || !isObject(change.value)) return [change];
  const value = change.value;
  const present = ITEM_ARRAYS.filter((name) => Array.isArray(value[name]));
  if (present.length === 0) return [change];
  const shared = Object.fromEntries(
    Object.entries(value).filter(([name]) => !(ITEM_ARRAYS as readonly string[]).includes(name)),
  );
  return present.flatMap((name) =>
    (value[name] as unknown[]).map((element) => ({ ...change, value: { ...shared, [name]: [element] } })),
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
