import {
  GetWhatsAppMessageTemplateCommand,
  ListWhatsAppMessageTemplatesCommand,
  type ListWhatsAppMessageTemplatesCommandOutput,
  type SocialMessagingClient,
} from '@aws-sdk/client-socialmessaging';
import {
  type TemplateDefinition,
  type TemplateSummary,
  unsupportedReason,
} from '../domain/whatsapp-template.js';
import type { Telemetry } from '../ports/telemetry.js';
import type { TemplateCatalogue } from '../ports/template-catalogue.js';
import { classifyAwsError } from './aws-errors.js';

export interface EumTemplateCatalogueOptions {
  /** `waba-…` id or WABA ARN, as ListWhatsAppMessageTemplates takes it. */
  readonly wabaId: string;
  /** Template names the guide may offer; every approved template when undefined. */
  readonly allowList?: readonly string[];
  /** How long a loaded catalogue is reused by this container. */
  readonly ttlMs: number;
  readonly maxParameters: number;
  readonly now: () => number;
  readonly telemetry: Telemetry;
  /**
   * Reads Meta's template JSON that GetWhatsAppMessageTemplate returns; throws if unreadable.
   * Injected (shared/decoders/whatsapp-template-decoder.ts) because adapters do not import decoders.
   */
  readonly decode: (json: string, summary: TemplateSummary) => TemplateDefinition;
}

interface Snapshot {
  readonly loadedAt: number;
  readonly summaries: readonly TemplateSummary[];
  readonly sendable: readonly TemplateDefinition[];
}

// Template content is read a few at a time: the Get API shares the account's request quota.
const GET_CONCURRENCY = 4;

/**
 * The WABA's template catalogue from AWS End User Messaging Social, cached per container for a TTL:
 * a guide opens in tens of milliseconds instead of one List plus one Get per template, and the
 * API quota is spent once per TTL rather than per agent click. EUM stores no template content, so
 * every Get is a call through to Meta.
 */
export class EumTemplateCatalogue implements TemplateCatalogue {
  private snapshot: Snapshot | undefined;
  private loading: Promise<Snapshot> | undefined;

  constructor(
    private readonly client: SocialMessagingClient,
    private readonly options: EumTemplateCatalogueOptions,
  ) {}

  async sendable(): Promise<readonly TemplateDefinition[]> {
    return (await this.current()).sendable;
  }

  async summaries(): Promise<readonly TemplateSummary[]> {
    return (await this.current()).summaries;
  }

  private async current(): Promise<Snapshot> {
    const fresh = this.snapshot && this.options.now() - this.snapshot.loadedAt < this.options.ttlMs;
    if (fresh && this.snapshot) return this.snapshot;
    // Concurrent callers share one load.
    this.loading ??= this.load().finally(() => {
      this.loading = undefined;
    });
    this.snapshot = await this.loading;
    return this.snapshot;
  }

  private async load(): Promise<Snapshot> {
    const summaries = await this.listAll();
    const allowed = (summary: TemplateSummary) =>
      !this.options.allowList || this.options.allowList.includes(summary.name);
    const candidates = summaries.filter((summary) => summary.status === 'APPROVED' && allowed(summary));
    const definitions: TemplateDefinition[] = [];
    for (let index = 0; index < candidates.length; index += GET_CONCURRENCY) {
      const batch = candidates.slice(index, index + GET_CONCURRENCY);
      definitions.push(...(await Promise.all(batch.map((summary) => this.definition(summary)))).flat());
    }
    const sendable = definitions
      .filter((definition) => {
        const reason = unsupportedReason(definition, this.options.maxParameters);
        if (reason) {
          this.options.telemetry.warn('Approved template left out of the guide', {
            template: definition.name,
            language: definition.language,
            reason,
          });
        }
        return reason === undefined;
      })
      .sort((a, b) => a.name.localeCompare(b.name) || a.language.localeCompare(b.language));
    this.options.telemetry.count('TemplateCatalogueLoads');
    this.options.telemetry.info('Template catalogue loaded', {
      templates: summaries.length,
      approved: candidates.length,
      sendable: sendable.length,
    });
    return { loadedAt: this.options.now(), summaries, sendable };
  }

  private async listAll(): Promise<TemplateSummary[]> {
    const summaries: TemplateSummary[] = [];
    let nextToken: string | undefined;
    do {
      let page: ListWhatsAppMessageTemplatesCommandOutput;
      try {
        page = await this.client.send(
          new ListWhatsAppMessageTemplatesCommand({
            id: this.options.wabaId,
            maxResults: 100,
            ...(nextToken ? { nextToken } : {}),
          }),
        );
      } catch (error) {
        throw classifyAwsError('ListWhatsAppMessageTemplates', error);
      }
      for (const template of page.templates ?? []) {
        if (!template.templateName || !template.templateLanguage) continue;
        summaries.push({
          name: template.templateName,
          language: template.templateLanguage,
          status: (template.templateStatus ?? 'UNKNOWN').toUpperCase(),
          ...(template.templateCategory ? { category: template.templateCategory } : {}),
          ...(template.metaTemplateId ? { metaTemplateId: template.metaTemplateId } : {}),
        });
      }
      nextToken = page.nextToken;
    } while (nextToken);
    return summaries;
  }

  private async definition(summary: TemplateSummary): Promise<TemplateDefinition[]> {
    let json: string | undefined;
    try {
      const output = await this.client.send(
        new GetWhatsAppMessageTemplateCommand({
          id: this.options.wabaId,
          ...(summary.metaTemplateId
            ? { metaTemplateId: summary.metaTemplateId }
            : { templateName: summary.name, templateLanguageCode: summary.language }),
        }),
      );
      json = output.template;
    } catch (error) {
      throw classifyAwsError('GetWhatsAppMessageTemplate', error);
    }
    try {
      if (!json) throw new Error('empty template');
      return [this.options.decode(json, summary)];
    } catch (error) {
      // One unreadable template must not hide the rest of the catalogue.
      this.options.telemetry.warn('Template content could not be read; left out of the guide', {
        template: summary.name,
        language: summary.language,
        error: error instanceof Error ? error.message : String(error),
      });
      return [];
    }
  }
}
