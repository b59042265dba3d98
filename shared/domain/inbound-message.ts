/**
 * The WhatsApp side of a conversation, normalised from Meta's webhook shapes so that
 * the rest of the code never touches raw webhook JSON.
 */

/** A business phone number as the relay knows it (EUM Social id + Meta id). */
export interface BusinessNumber {
  /** EUM Social id, `phone-number-id-<suffix>`; what SendWhatsAppMessage takes. */
  readonly phoneNumberId: string;
  readonly phoneNumberArn: string;
  readonly metaPhoneNumberId: string;
  readonly displayPhoneNumber?: string;
}

/** The customer, keyed by `wa_id` and falling back to the business-scoped `user_id`. */
export interface Customer {
  /** Stable key for the conversation: `wa_id` when present, else `user_id`. */
  readonly id: string;
  readonly waId?: string;
  readonly userId?: string;
  readonly profileName?: string;
}

export type MediaKind = 'image' | 'audio' | 'video' | 'document' | 'sticker';

export interface SharedContact {
  readonly name: string;
  readonly phones: readonly string[];
  readonly emails: readonly string[];
  readonly organisation?: string;
}

export interface OrderItem {
  readonly productId: string;
  readonly quantity: number;
  readonly price?: number;
  readonly currency?: string;
}

/** A value a customer gave in a WhatsApp Flow form: JSON, since the flow decides its shape. */
export type FormValue =
  | string
  | number
  | boolean
  | null
  | readonly FormValue[]
  | { readonly [field: string]: FormValue };

export type FormAnswers = { readonly [field: string]: FormValue };

/** What the customer sent, one variant per WhatsApp message type. */
export type InboundContent =
  | { readonly kind: 'text'; readonly body: string }
  | {
      readonly kind: 'media';
      readonly mediaKind: MediaKind;
      readonly mediaId: string;
      readonly mimeType: string;
      readonly caption?: string;
      readonly filename?: string;
      readonly voice?: boolean;
      readonly animated?: boolean;
    }
  | {
      readonly kind: 'location';
      readonly latitude: number;
      readonly longitude: number;
      readonly name?: string;
      readonly address?: string;
      readonly url?: string;
    }
  | { readonly kind: 'contacts'; readonly contacts: readonly SharedContact[] }
  | { readonly kind: 'choice'; readonly id: string; readonly title: string; readonly description?: string }
  | { readonly kind: 'button'; readonly text: string; readonly payload?: string }
  | {
      readonly kind: 'flow-reply';
      /** `flow`, or `address_message` for WhatsApp's address form. */
      readonly name: string;
      readonly body?: string;
      /** The form's answers by field name, as the flow returned them, without its `flow_token`. */
      readonly answers: FormAnswers;
    }
  | { readonly kind: 'reaction'; readonly targetMessageId: string; readonly emoji?: string }
  | {
      readonly kind: 'order';
      readonly catalogId: string;
      readonly items: readonly OrderItem[];
      readonly text?: string;
    }
  | { readonly kind: 'system'; readonly body: string; readonly systemType?: string }
  | { readonly kind: 'request-welcome' }
  | { readonly kind: 'unsupported'; readonly declaredType: string; readonly reason: string };

/** One message from the customer, with the context needed to route it. */
export interface InboundMessage {
  /** Meta's `wamid.…`; the idempotency key for everything the relay does with this message. */
  readonly id: string;
  /** Unix seconds, as Meta sent it. */
  readonly timestamp: number;
  /** The raw WhatsApp `type`, for metrics. */
  readonly type: string;
  readonly business: BusinessNumber;
  readonly customer: Customer;
  readonly content: InboundContent;
  /** Set when the customer replied to (quoted) an earlier message. */
  readonly replyToMessageId?: string;
  readonly forwarded?: boolean;
  /** Click-to-WhatsApp ad the conversation came from, summarised for the agent. */
  readonly referral?: { readonly headline?: string; readonly sourceUrl?: string };
}

/** A WhatsApp delivery status for a message the business sent. */
export interface MessageStatus {
  readonly messageId: string;
  readonly status: string;
  readonly timestamp: number;
  readonly business: BusinessNumber;
  readonly recipientId?: string;
  readonly callbackData?: string;
  readonly errors: readonly WhatsAppError[];
}

export interface WhatsAppError {
  readonly code: number;
  readonly title?: string;
  readonly details?: string;
}
