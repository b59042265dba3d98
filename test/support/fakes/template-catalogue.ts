import type { TemplateDefinition, TemplateSummary } from '../../../shared/domain/whatsapp-template.js';
import type { TemplateCatalogue } from '../../../shared/ports/template-catalogue.js';

/** The WABA's templates in memory; `failWith` makes every load fail as EUM Social would. */
export class InMemoryTemplateCatalogue implements TemplateCatalogue {
  failWith: Error | undefined;
  constructor(
    readonly templates: TemplateDefinition[] = [],
    /** Templates the WABA has that are not sendable (pending, rejected, not allowed). */
    readonly others: TemplateSummary[] = [],
  ) {}
  async sendable() {
    if (this.failWith) throw this.failWith;
    return this.templates;
  }
  async summaries() {
    if (this.failWith) throw this.failWith;
    const approved = this.templates.map(({ name, language }) => ({ name, language, status: 'APPROVED' }));
    return [...approved, ...this.others];
  }
}
