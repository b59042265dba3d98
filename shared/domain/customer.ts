import type { TemplateDefinition, TemplateParameter } from './whatsapp-template.js';

/** A customer as the guide shows it: who they are, how to reach them, and values for templates. */
export interface CustomerRecord {
  readonly customerId: string;
  readonly name: string;
  /** E.164, when the record has one. */
  readonly phoneNumber?: string;
  /**
   * Values templates can use, keyed by placeholder: `order_number` fills every template's
   * `{{order_number}}`; `order_update.2` fills body `{{2}}` of `order_update` only, and
   * `order_update.header.1` its header `{{1}}`; `invoice_ready.headerMedia` is a header media link.
   */
  readonly attributes: Readonly<Record<string, string>>;
}

/** The customer's value for a template parameter, so the agent does not copy it from the CRM. */
export function defaultParameterValue(
  customer: CustomerRecord | undefined,
  template: Pick<TemplateDefinition, 'name'>,
  parameter: Pick<TemplateParameter, 'key' | 'component'>,
): string {
  if (!customer) return '';
  const scope = parameter.component === 'body' ? template.name : `${template.name}.${parameter.component}`;
  return customer.attributes[`${scope}.${parameter.key}`] ?? customer.attributes[parameter.key] ?? '';
}
