import type { TemplateDefinition, TemplateSummary } from '../domain/whatsapp-template.js';

/** The WABA's templates as the guide may use them. Adapters cache; errors follow RetryableError rules. */
export interface TemplateCatalogue {
  /** Approved, allowed and sendable templates with their content, sorted by name then language. */
  sendable(): Promise<readonly TemplateDefinition[]>;
  /** Every template the WABA has, whatever its status, so a refusal can say why. */
  summaries(): Promise<readonly TemplateSummary[]>;
}
