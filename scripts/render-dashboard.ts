/**
 * Renders the synthesized CloudWatch dashboard as a Markdown table of widgets (docs/dashboard.md),
 * since a screenshot needs AWS. The table is generated, never edited: `npm run docs:dashboard`
 * rewrites it, and test/infra/dashboard-doc.test.ts fails when the committed copy is stale.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildApp } from '../infra/build-app.js';
import { loadRelayConfigFile } from '../infra/config/relay-config.js';

type TemplateJson = { Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }> };

interface Widget {
  readonly type: string;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly properties: {
    readonly title?: string;
    readonly markdown?: string;
    readonly view?: string;
    readonly metrics?: unknown[][];
    readonly alarms?: string[];
    readonly annotations?: { horizontal?: { value: number; label?: string }[] };
  };
}

/** The dashboard body with CloudFormation references written as `<Ref>` / `<Resource.Attribute>`. */
function dashboardBody(template: TemplateJson): { widgets: Widget[] } {
  const dashboards = Object.values(template.Resources).filter(
    (resource) => resource.Type === 'AWS::CloudWatch::Dashboard',
  );
  if (dashboards.length !== 1) throw new Error(`Expected one dashboard, found ${dashboards.length}`);
  const body = dashboards[0]?.Properties?.DashboardBody as string | { 'Fn::Join': [string, unknown[]] };
  if (typeof body === 'string') return JSON.parse(body);
  const parts = body['Fn::Join'][1].map((part) => {
    if (typeof part === 'string') return part;
    const ref = (part as { Ref?: string }).Ref;
    if (ref) return `<${ref}>`;
    const attribute = (part as { 'Fn::GetAtt'?: string[] })['Fn::GetAtt'];
    if (attribute) return `<${attribute.join('.')}>`;
    return '<token>';
  });
  return JSON.parse(parts.join(''));
}

/** What a metric widget shows: each line's label, or its metric name and statistic, or its expression. */
function linesOf(widget: Widget): string[] {
  return (widget.properties.metrics ?? []).map((entry) => {
    const options = (entry.at(-1) ?? {}) as { label?: string; stat?: string; expression?: string };
    if (options.expression)
      return options.label ? `${options.label} = \`${options.expression}\`` : `\`${options.expression}\``;
    const names = entry.filter((item): item is string => typeof item === 'string');
    const [namespace, metric, ...dimensions] = names;
    const described = `${metric}${dimensions.length ? ` (${pairs(dimensions)})` : ''}, ${options.stat ?? 'Average'}`;
    return options.label ? `${options.label}: ${described}` : `${namespace === '.' ? '' : ''}${described}`;
  });
}

function pairs(dimensions: readonly string[]): string {
  const out: string[] = [];
  for (let index = 0; index + 1 < dimensions.length; index += 2)
    out.push(`${dimensions[index]}=${dimensions[index + 1]}`);
  return out.join(', ');
}

function cell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ');
}

/** The dashboard as a Markdown document: one table row per widget, in reading order. */
export function dashboardMarkdown(template: TemplateJson): string {
  const widgets = [...dashboardBody(template).widgets].sort((a, b) => a.y - b.y || a.x - b.x);
  const rows = widgets.map((widget, index) => {
    const kind = widget.type === 'metric' ? (widget.properties.view ?? 'timeSeries') : widget.type;
    const title = widget.properties.title ?? widget.properties.markdown ?? '';
    const content =
      widget.type === 'alarm'
        ? `${widget.properties.alarms?.length ?? 0} alarms: ${(widget.properties.alarms ?? []).map((arn) => arn.replace(/^<|\.Arn>$/g, '')).join(', ')}`
        : [
            ...linesOf(widget),
            ...(widget.properties.annotations?.horizontal ?? []).map(
              (line) => `line at ${line.value}${line.label ? ` (${line.label})` : ''}`,
            ),
          ].join('<br>');
    return `| ${index + 1} | ${kind} | ${widget.x},${widget.y} ${widget.width}×${widget.height} | ${cell(title)} | ${cell(content)} |`;
  });
  return [
    '# The relay dashboard, widget by widget',
    '',
    'Generated from the synthesized template (config/relay.example.json) by `npm run docs:dashboard`;',
    'do not edit. Position is x,y and size width×height in the dashboard grid (24 columns). What each',
    'alarm means and what to do: [operations.md](operations.md).',
    '',
    '| # | Widget | Position | Title | Shows |',
    '| - | ------ | -------- | ----- | ----- |',
    ...rows,
    '',
  ].join('\n');
}

/** Synthesizes the stack for the example configuration and returns its template. */
export function synthesizedTemplate(): TemplateJson {
  const config = loadRelayConfigFile('config/relay.example.json');
  // No bundling: the dashboard does not depend on the functions' code.
  const app = new App({
    outdir: mkdtempSync(join(tmpdir(), 'relay-dashboard-')),
    context: { 'aws:cdk:bundling-stacks': [] },
  });
  const { stack } = buildApp(config, app);
  return Template.fromStack(stack).toJSON() as TemplateJson;
}

export const DASHBOARD_DOC = fileURLToPath(new URL('../docs/dashboard.md', import.meta.url));

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  writeFileSync(DASHBOARD_DOC, dashboardMarkdown(synthesizedTemplate()));
  console.log(`Wrote ${DASHBOARD_DOC}`);
}
