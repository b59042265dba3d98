import { describe, expect, it } from 'vitest';
import { decodeConnectFlowEvent } from '../../shared/decoders/connect-flow-event.js';
import { decodeTemplateDefinition } from '../../shared/decoders/whatsapp-template-decoder.js';
import { agentIdFrom, initiatingAgentFor } from '../../shared/domain/agent-initiation.js';
import { checkWhatsAppNumber } from '../../shared/domain/phone-number.js';
import { validateTemplateSend } from '../../shared/domain/template-validation.js';
import {
  buildTemplateMessage,
  parseTemplateKey,
  renderPreview,
  type TemplateDefinition,
  templateParameters,
  unsupportedReason,
} from '../../shared/domain/whatsapp-template.js';

const TRACKING: TemplateDefinition = decodeTemplateDefinition(
  JSON.stringify({
    name: 'parcel_tracking',
    language: 'en_GB',
    category: 'UTILITY',
    components: [
      { type: 'BODY', text: 'Your parcel {{1}} is on its way.' },
      {
        type: 'BUTTONS',
        buttons: [
          {
            type: 'URL',
            text: 'Track',
            url: 'https://track.example.com/p/{{1}}',
            example: ['https://track.example.com/p/AB12'],
          },
          { type: 'QUICK_REPLY', text: 'Stop' },
        ],
      },
    ],
  }),
  { name: 'parcel_tracking', language: 'en_GB', status: 'APPROVED' },
);

describe('template parameters', () => {
  it('include a URL button’s dynamic suffix, after the body, with the example suffix as a hint', () => {
    const parameters = templateParameters(TRACKING);

    expect(parameters.map((p) => [p.slot, p.component, p.key, p.buttonIndex])).toEqual([
      [1, 'body', '1', undefined],
      [2, 'button', '1', 0],
    ]);
    expect(parameters[1]).toMatchObject({
      label: 'Link of the “Track” button: https://track.example.com/p/___',
      example: 'AB12',
    });
  });

  it('builds the button component Meta expects, by button index', () => {
    const message = buildTemplateMessage(TRACKING, '+447700900123', { parameters: ['AB12', 'AB12'] });

    expect(message.template).toEqual({
      name: 'parcel_tracking',
      language: { code: 'en_GB' },
      components: [
        { type: 'body', parameters: [{ type: 'text', text: 'AB12' }] },
        { type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text: 'AB12' }] },
      ],
    });
  });

  it('refuses spaces in a link suffix', () => {
    const result = validateTemplateSend(TRACKING, {
      whatsAppNumber: '+447700900123',
      parameters: ['AB12', 'A B'],
    });

    expect(result.ok).toBe(false);
    expect(!result.ok && result.problems[0]?.message).toBe(
      'Parameter 2 (end of the “Track” link) is part of a link and cannot contain spaces.',
    );
  });

  it('orders positional placeholders by number, not by where they appear', () => {
    const template = { ...TRACKING, body: 'On {{2}} we deliver {{1}}.', buttons: [] };

    expect(templateParameters(template).map((p) => p.key)).toEqual(['1', '2']);
    expect(renderPreview(template, { parameters: ['your sofa', ''] })).toBe(
      'On [after “On”] we deliver your sofa.',
    );
  });

  it('leaves out templates the form cannot fill', () => {
    expect(unsupportedReason({ ...TRACKING, header: { format: 'LOCATION' } }, 10)).toBe(
      'it has a location header',
    );
    expect(unsupportedReason({ ...TRACKING, buttons: [{ type: 'COPY_CODE', text: 'Copy' }] }, 10)).toBe(
      'it has a COPY_CODE button',
    );
    expect(unsupportedReason(TRACKING, 1)).toBe('it needs 2 values and the form has 1 fields');
    expect(unsupportedReason(TRACKING, 10)).toBeUndefined();
  });

  it('reads only well-formed template keys', () => {
    expect(parseTemplateKey('order_update:pt_BR')).toEqual({ name: 'order_update', language: 'pt_BR' });
    expect(parseTemplateKey('order_update:en')).toEqual({ name: 'order_update', language: 'en' });
    expect(parseTemplateKey('Order Update:en_US')).toBeUndefined();
    expect(parseTemplateKey('')).toBeUndefined();
  });
});

describe('WhatsApp numbers typed by agents', () => {
  it.each([
    ['+44 7700 900123', '+447700900123'],
    ['(+55) 11-98765-4321', '+5511987654321'],
    ['0015550001111', '+15550001111'],
  ])('normalises %s', (typed, e164) => {
    expect(checkWhatsAppNumber(typed)).toEqual({ ok: true, e164 });
  });

  it.each([
    ['447700900123', 'NotE164'],
    ['+0447700900123', 'NotE164'],
    ['+1234567', 'NotE164'],
    ['+1234567890123456', 'NotE164'],
    ['+44abc', 'NotE164'],
    ['+12345678901', 'Implausible'],
    ['', 'Missing'],
  ])('refuses %s (%s)', (typed, reason) => {
    expect(checkWhatsAppNumber(typed)).toMatchObject({ ok: false, reason });
  });
});

describe('agent initiation', () => {
  const agentId = '7d3c2b1a-1111-2222-3333-444455556666';

  it('reads the agent id from an agent ARN or an id, and nothing else', () => {
    expect(agentIdFrom(`arn:aws:connect:us-east-1:111122223333:instance/a1b2/agent/${agentId}`)).toBe(
      agentId,
    );
    expect(agentIdFrom(agentId)).toBe(agentId);
    expect(agentIdFrom('$.Agent.ARN')).toBeUndefined();
    expect(agentIdFrom('')).toBeUndefined();
  });

  it('routes to the agent for seven days, then not', () => {
    const at = Date.UTC(2026, 10, 1);
    const day = 86_400_000;
    expect(initiatingAgentFor({ agentId, templateName: 't', at }, at + 7 * day)).toBe(agentId);
    expect(initiatingAgentFor({ agentId, templateName: 't', at }, at + 7 * day + 1)).toBeUndefined();
    expect(initiatingAgentFor({ templateName: 't', at }, at)).toBeUndefined();
  });
});

describe('Connect contact-flow events', () => {
  it('prefers block parameters, falls back to contact attributes, and tolerates a malformed event', () => {
    const input = decodeConnectFlowEvent({
      Details: {
        ContactData: { ContactId: 'c-1', Attributes: { customerId: 'from-attribute', other: 'x' } },
        Parameters: { customerId: ' from-parameter ', empty: '' },
      },
    });
    expect(input.get('customerId')).toBe('from-parameter');
    expect(input.get('other')).toBe('x');
    expect(input.has('empty')).toBe(false);
    expect(input.contactId).toBe('c-1');

    const broken = decodeConnectFlowEvent('not an event');
    expect(broken.get('customerId')).toBe('');
  });
});
