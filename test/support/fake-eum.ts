import {
  GetWhatsAppMessageTemplateCommand,
  ListWhatsAppMessageTemplatesCommand,
  ResourceNotFoundException,
  SendWhatsAppMessageCommand,
  SocialMessagingClient,
  ThrottledRequestException,
} from '@aws-sdk/client-socialmessaging';
import { mockClient } from 'aws-sdk-client-mock';

/** A template as it sits in the WABA: its summary status and Meta's template JSON. */
export interface FakeTemplate {
  readonly name: string;
  readonly language: string;
  readonly status: string;
  readonly category?: string;
  readonly metaTemplateId: string;
  readonly components: readonly Record<string, unknown>[];
}

export const WABA_ID = 'waba-0a1b2c3d4e5f60718293a4b5c6d7e8f9';
export const SENDER_PHONE_NUMBER_ID = 'phone-number-id-0123456789abcdef0123456789abcdef';

/** 0 parameters. */
export const WELCOME_BACK: FakeTemplate = {
  name: 'welcome_back',
  language: 'en_US',
  status: 'APPROVED',
  category: 'MARKETING',
  metaTemplateId: '1000000000000001',
  components: [
    { type: 'BODY', text: 'Hello again! We have news about your account. Reply to chat with us.' },
  ],
};

/** 1 named parameter. */
export const APPOINTMENT_REMINDER: FakeTemplate = {
  name: 'appointment_reminder',
  language: 'en_US',
  status: 'APPROVED',
  category: 'UTILITY',
  metaTemplateId: '1000000000000002',
  components: [
    {
      type: 'BODY',
      text: 'Your appointment is on {{appointment_date}}. Reply YES to confirm.',
      example: { body_text_named_params: [{ param_name: 'appointment_date', example: '12 May, 10:00' }] },
    },
    { type: 'FOOTER', text: 'Example Clinic' },
  ],
};

/** 5 positional parameters: one in the header, four in the body. */
export const ORDER_UPDATE: FakeTemplate = {
  name: 'order_update',
  language: 'en_US',
  status: 'APPROVED',
  category: 'UTILITY',
  metaTemplateId: '1000000000000003',
  components: [
    { type: 'HEADER', format: 'TEXT', text: 'Order {{1}}', example: { header_text: ['ORD-1234'] } },
    {
      type: 'BODY',
      text: 'Hi {{1}}, your order {{2}} ships on {{3}} to {{4}}.',
      example: { body_text: [['Ana', 'ORD-1234', '12 May', 'London']] },
    },
    { type: 'BUTTONS', buttons: [{ type: 'QUICK_REPLY', text: 'Thanks' }] },
  ],
};

export const ORDER_UPDATE_PT: FakeTemplate = {
  ...ORDER_UPDATE,
  language: 'pt_BR',
  metaTemplateId: '1000000000000004',
  components: [
    { type: 'HEADER', format: 'TEXT', text: 'Pedido {{1}}' },
    { type: 'BODY', text: 'Olá {{1}}, seu pedido {{2}} sai em {{3}} para {{4}}.' },
  ],
};

/** A document header and one body parameter. */
export const INVOICE_READY: FakeTemplate = {
  name: 'invoice_ready',
  language: 'en_US',
  status: 'APPROVED',
  category: 'UTILITY',
  metaTemplateId: '1000000000000005',
  components: [
    { type: 'HEADER', format: 'DOCUMENT' },
    { type: 'BODY', text: 'Your invoice {{1}} is attached.' },
  ],
};

export const SPRING_SALE_PENDING: FakeTemplate = {
  name: 'spring_sale',
  language: 'en_US',
  status: 'PENDING',
  category: 'MARKETING',
  metaTemplateId: '1000000000000006',
  components: [{ type: 'BODY', text: 'Spring sale: 20% off until {{1}}.' }],
};

export const DEFAULT_TEMPLATES = [
  WELCOME_BACK,
  APPOINTMENT_REMINDER,
  ORDER_UPDATE,
  ORDER_UPDATE_PT,
  INVOICE_READY,
  SPRING_SALE_PENDING,
];

/**
 * AWS End User Messaging Social faked at the SDK boundary: the WABA's templates (paged like the
 * real List API), their Meta JSON, and sends, which it records decoded so tests read what Meta gets.
 */
export class FakeEum {
  readonly mock = mockClient(SocialMessagingClient);
  readonly sent: {
    originationPhoneNumberId: string;
    metaApiVersion: string;
    message: Record<string, unknown>;
  }[] = [];
  /** Errors to throw on the next sends, in order. */
  readonly sendFailures: Error[] = [];
  /** Errors to throw on the next List calls, in order. */
  readonly listFailures: Error[] = [];
  private sequence = 0;
  private readonly operations = new Map<string, (input: never) => Promise<unknown>>();

  constructor(private templates: readonly FakeTemplate[] = DEFAULT_TEMPLATES) {
    this.install();
  }

  setTemplates(templates: readonly FakeTemplate[]): void {
    this.templates = templates;
  }

  calls(command: 'List' | 'Get' | 'Send'): number {
    if (command === 'List') return this.mock.commandCalls(ListWhatsAppMessageTemplatesCommand).length;
    if (command === 'Get') return this.mock.commandCalls(GetWhatsAppMessageTemplateCommand).length;
    return this.mock.commandCalls(SendWhatsAppMessageCommand).length;
  }

  restore(): void {
    this.mock.restore();
  }

  /** Runs one operation as the SDK mock would, for transports other than the mock (the sandbox's HTTP). */
  invoke(
    operation: 'ListWhatsAppMessageTemplates' | 'GetWhatsAppMessageTemplate',
    input: object,
  ): Promise<unknown> {
    const handler = this.operations.get(operation);
    if (!handler) return Promise.reject(new Error(`FakeEum has no operation ${operation}`));
    return handler(input as never);
  }

  private install(): void {
    const list = async (input: { id?: string; nextToken?: string }) => {
      const failure = this.listFailures.shift();
      if (failure) throw failure;
      if (input.id !== WABA_ID)
        throw new ResourceNotFoundException({ message: 'No such WABA', $metadata: {} });
      // Pages of two, so pagination is exercised.
      const start = input.nextToken ? Number(input.nextToken) : 0;
      const page = this.templates.slice(start, start + 2);
      const next = start + 2 < this.templates.length ? String(start + 2) : undefined;
      return {
        templates: page.map((template) => ({
          templateName: template.name,
          templateLanguage: template.language,
          templateStatus: template.status,
          templateCategory: template.category,
          metaTemplateId: template.metaTemplateId,
          templateQualityScore: 'GREEN',
        })),
        ...(next ? { nextToken: next } : {}),
        $metadata: {},
      };
    };
    const get = async (input: {
      metaTemplateId?: string;
      templateName?: string;
      templateLanguageCode?: string;
    }) => {
      const template = this.templates.find((t) =>
        input.metaTemplateId
          ? t.metaTemplateId === input.metaTemplateId
          : t.name === input.templateName && t.language === input.templateLanguageCode,
      );
      if (!template) throw new ResourceNotFoundException({ message: 'No such template', $metadata: {} });
      return {
        template: JSON.stringify({
          name: template.name,
          language: template.language,
          status: template.status,
          category: template.category,
          components: template.components,
          id: template.metaTemplateId,
        }),
        $metadata: {},
      };
    };
    this.mock.on(ListWhatsAppMessageTemplatesCommand).callsFake(list);
    this.mock.on(GetWhatsAppMessageTemplateCommand).callsFake(get);
    this.operations.set('ListWhatsAppMessageTemplates', list);
    this.operations.set('GetWhatsAppMessageTemplate', get);
    this.mock.on(SendWhatsAppMessageCommand).callsFake(async (input) => {
      const failure = this.sendFailures.shift();
      if (failure) throw failure;
      this.sent.push({
        originationPhoneNumberId: input.originationPhoneNumberId,
        metaApiVersion: input.metaApiVersion,
        message: JSON.parse(new TextDecoder().decode(input.message)) as Record<string, unknown>,
      });
      return { messageId: `eum-message-${++this.sequence}`, $metadata: {} };
    });
  }
}

/** EUM's throttling error, as the SDK raises it. */
export function throttled(): Error {
  return new ThrottledRequestException({ message: 'Rate exceeded', $metadata: { httpStatusCode: 429 } });
}
