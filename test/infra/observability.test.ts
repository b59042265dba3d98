import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/build-app.js';
import { loadRelayConfigFile, parseRelayConfig, type RelayConfig } from '../../infra/config/relay-config.js';
import { headingAnchor, REASON_METRICS, reasonHeading } from '../../infra/constructs/runbook.js';
import { QUERY_ID_PLACEHOLDER } from '../../infra/constructs/saved-queries.js';

const example = loadRelayConfigFile('config/relay.example.json');
const RUNBOOK = readFileSync('docs/operations.md', 'utf8');
const runbookAnchors = new Set(
  RUNBOOK.split('\n')
    .filter((line) => /^#{2,4} /.test(line))
    .map((line) => headingAnchor(line.replace(/^#+ /, ''))),
);

type Resource = { Type: string; Properties: Record<string, unknown> };

/** The stack's template for a configuration, synthesized without bundling the functions. */
function synthesize(config: RelayConfig = example) {
  const app = new App({
    outdir: mkdtempSync(join(tmpdir(), 'relay-observability-')),
    context: { 'aws:cdk:bundling-stacks': [] },
  });
  const template = Template.fromStack(buildApp(config, app).stack);
  const ofType = (type: string) =>
    Object.entries(template.toJSON().Resources as Record<string, Resource>).filter(
      ([, r]) => r.Type === type,
    );
  const alarms = () =>
    ofType('AWS::CloudWatch::Alarm').map(
      ([id, alarm]) => ({ id, ...alarm.Properties }) as Record<string, unknown> & { id: string },
    );
  const alarm = (idPart: string) => {
    const found = alarms().filter((candidate) => candidate.id.includes(idPart));
    expect(found, idPart).toHaveLength(1);
    return found[0] as Record<string, unknown> & { id: string };
  };
  return { template, ofType, alarms, alarm };
}

/** A config with two business numbers and every alarm setting changed from its default. */
function tunedConfig(): RelayConfig {
  const raw = JSON.parse(readFileSync('config/relay.example.json', 'utf8'));
  return parseRelayConfig(
    {
      ...raw,
      businessNumbers: [
        ...raw.businessNumbers,
        { phoneNumberId: 'phone-number-id-fedcba9876543210fedcba9876543210' },
      ],
      alarms: {
        latencyP95Seconds: 90,
        deliveryFailedPercent: 12,
        deliveryMinimumSent: 25,
        silenceMinutes: 45,
        silenceBandStandardDeviations: 4,
        runbookUrl: 'https://github.com/example/relay/blob/main/docs/operations.md',
      },
    },
    'tuned',
  );
}

/** The metric stats and expressions an alarm evaluates, flattened. */
function queriesOf(alarm: Record<string, unknown>) {
  return (alarm.Metrics ?? []) as {
    Id: string;
    Expression?: string;
    MetricStat?: {
      Metric: { MetricName: string; Dimensions: { Name: string; Value: unknown }[] };
      Stat: string;
      Period: number;
    };
  }[];
}

describe('every alarm reaches a person and says what to do', () => {
  let synth: ReturnType<typeof synthesize>;
  beforeAll(() => {
    synth = synthesize();
  }, 120_000);

  it('notifies the alarm topic from every alarm', () => {
    const topic = synth.ofType('AWS::SNS::Topic').find(([id]) => id.includes('AlarmTopic'))?.[0];
    for (const alarm of synth.alarms()) {
      expect(alarm.AlarmActions, alarm.id).toEqual([{ Ref: topic }]);
    }
  });

  it('links every alarm to a runbook entry whose heading is in docs/operations.md', () => {
    const missing = synth.alarms().flatMap((alarm) => {
      const description = String(alarm.AlarmDescription);
      const link = /Runbook: docs\/operations\.md#([a-z0-9-]+)$/.exec(description);
      const says = / Do: .+\. Runbook: /.test(description);
      if (!link?.[1] || !says) return [`${alarm.id}: no "Do: … Runbook: …" (${description})`];
      return runbookAnchors.has(link[1]) ? [] : [`${alarm.id}: #${link[1]} is not a heading`];
    });
    expect(missing).toEqual([]);
  });

  it('has a runbook entry for every metric counted with a Reason', () => {
    for (const metric of REASON_METRICS) {
      expect(runbookAnchors.has(headingAnchor(reasonHeading(metric))), metric).toBe(true);
    }
  });

  it('alarms when inbound or outbound p95 latency stays above 60 s for three 5-minute periods', () => {
    for (const [direction, metric, service] of [
      ['Inbound', 'InboundLatency', 'whatsapp-inbound'],
      ['Outbound', 'OutboundLatency', 'whatsapp-outbound'],
    ] as const) {
      const alarm = synth.alarm(`${direction}LatencyP95`);
      expect(queriesOf(alarm)).toEqual([
        expect.objectContaining({
          MetricStat: {
            Metric: {
              MetricName: metric,
              Namespace: 'WhatsAppConnectRelay',
              Dimensions: [{ Name: 'service', Value: service }],
            },
            Stat: 'p95',
            Period: 300,
          },
        }),
      ]);
      expect(alarm).toMatchObject({
        Threshold: 60_000,
        EvaluationPeriods: 3,
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'notBreaching',
      });
    }
  });

  it('publishes the latency metrics under the service names the relay functions log with', () => {
    const services = synth
      .ofType('AWS::Lambda::Function')
      .map(([, fn]) => (fn.Properties.Environment as { Variables: Record<string, string> }).Variables)
      .map((variables) => variables.POWERTOOLS_SERVICE_NAME);
    expect(services).toEqual(
      expect.arrayContaining(['whatsapp-inbound', 'whatsapp-outbound', 'whatsapp-send-template']),
    );
  });

  it('alarms on the failed share of sends to WhatsApp through metric math, only with enough sends', () => {
    const alarm = synth.alarm('DeliveryFailedRate');
    const queries = queriesOf(alarm);
    expect(queries.find((query) => query.Expression)?.Expression).toBe(
      'IF(sent >= 10, 100 * FILL(failed, 0) / sent, 0)',
    );
    const statuses = queries
      .filter((query) => query.MetricStat)
      .map((query) => query.MetricStat?.Metric.Dimensions.find((d) => d.Name === 'Status')?.Value);
    expect(statuses.sort()).toEqual(['failed', 'sent']);
    expect(alarm).toMatchObject({
      Threshold: 5,
      EvaluationPeriods: 3,
      ComparisonOperator: 'GreaterThanThreshold',
    });
  });

  it('alarms on the first account warning from Meta (quality drop, flag, restriction)', () => {
    expect(synth.alarm('AccountHealth')).toMatchObject({
      MetricName: 'AccountHealthEvents',
      Dimensions: [
        { Name: 'Severity', Value: 'Warning' },
        { Name: 'service', Value: 'whatsapp-inbound' },
      ],
      Statistic: 'Sum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
  });

  it('alarms on a silent business number below its anomaly band, with empty periods counted as zero', () => {
    const alarm = synth.alarm('Silence0');
    const queries = queriesOf(alarm);
    const band = queries.find((query) => query.Expression?.startsWith('ANOMALY_DETECTION_BAND'));
    const filled = queries.find((query) => query.Expression === 'FILL(events, 0)');
    expect(band?.Expression).toBe(`ANOMALY_DETECTION_BAND(${filled?.Id}, 3)`);
    expect(queries.find((query) => query.Id === 'events')?.MetricStat).toMatchObject({
      Metric: {
        MetricName: 'InboundEvents',
        Dimensions: [
          { Name: 'BusinessNumber', Value: example.businessNumbers[0]?.phoneNumberId },
          { Name: 'service', Value: 'whatsapp-inbound' },
        ],
      },
      Stat: 'Sum',
      Period: 900,
    });
    expect(alarm).toMatchObject({
      ThresholdMetricId: band?.Id,
      ComparisonOperator: 'LessThanLowerThreshold',
      EvaluationPeriods: 4,
    });
  });

  it('gives the template functions errors, throttles, duration and send-failure alarms', () => {
    for (const name of ['CustomerData', 'SendTemplate']) {
      expect(synth.alarm(`${name}FunctionErrors`)).toMatchObject({ MetricName: 'Errors', Threshold: 1 });
      expect(synth.alarm(`${name}Throttles`)).toMatchObject({ MetricName: 'Throttles', Threshold: 1 });
      expect(synth.alarm(`${name}Slow`)).toMatchObject({ MetricName: 'Duration', ExtendedStatistic: 'p95' });
    }
    const failures = queriesOf(synth.alarm('TemplateSendFailures'));
    const reasons = failures.map(
      (query) => query.MetricStat?.Metric.Dimensions.find((d) => d.Name === 'Reason')?.Value,
    );
    expect(reasons).toEqual(expect.arrayContaining(['Rejected', 'MetaRefused', 'Unconfirmed', 'Unknown']));
    expect(reasons).not.toContain('Throttled');
  });

  it('saves the four Logs Insights queries over the log groups of all six functions', () => {
    const definitions = synth.ofType('AWS::Logs::QueryDefinition').map(([, query]) => query.Properties);
    const logGroups = synth
      .ofType('AWS::Logs::LogGroup')
      .map(([id]) => id)
      .filter((id) => /Relay(Ordering)?Function|CustomerDataFunction|SendTemplateFunction/.test(id));
    expect(logGroups).toHaveLength(6);
    expect(definitions.map((query) => query.Name).sort()).toEqual([
      'relay/conversation',
      'relay/dlq-explained',
      'relay/failures-by-reason',
      'relay/slowest-messages',
    ]);
    for (const query of definitions) {
      expect((query.LogGroupNames as { Ref: string }[]).map((name) => name.Ref).sort()).toEqual(
        logGroups.sort(),
      );
    }
    const text = (name: string) => String(definitions.find((query) => query.Name === name)?.QueryString);
    expect(text('relay/conversation')).toContain(`filter @message like "${QUERY_ID_PLACEHOLDER}"`);
    expect(text('relay/conversation')).toMatch(/whatsAppMessageId.*contactId.*conversation/);
    expect(text('relay/failures-by-reason')).toMatch(
      /filter level in \["WARN", "ERROR"\][\s\S]*by service, message/,
    );
    expect(text('relay/dlq-explained')).toContain('Record sent to the dead-letter queue');
    expect(text('relay/slowest-messages')).toMatch(/filter ispresent\(latencyMs\)[\s\S]*sort latencyMs desc/);
  });

  it('puts the headline first on the dashboard', () => {
    const [, dashboard] = synth.ofType('AWS::CloudWatch::Dashboard')[0] ?? [];
    const body = JSON.stringify(dashboard?.Properties.DashboardBody);
    const at = (text: string) => body.indexOf(text);
    expect(at('Inbound: latency p50 / p95 (ms) and messages relayed')).toBeGreaterThan(-1);
    expect(at('Delivery to WhatsApp: failed, by Meta error code')).toBeGreaterThan(-1);
    expect(at('Inbound events per business number')).toBeGreaterThan(-1);
    expect(at('Templates: errors and throttles')).toBeGreaterThan(-1);
    expect(at('Inbound: latency p50')).toBeLessThan(at('## Inbound\\'));
  });
});

describe('alarm thresholds and the runbook link come from the configuration', () => {
  it('uses the configured thresholds, one silence alarm per number, and links the published runbook', () => {
    // Act
    const synth = synthesize(tunedConfig());
    // Assess
    expect(synth.alarm('InboundLatencyP95').Threshold).toBe(90_000);
    expect(synth.alarm('DeliveryFailedRate').Threshold).toBe(12);
    expect(queriesOf(synth.alarm('DeliveryFailedRate')).find((q) => q.Expression)?.Expression).toContain(
      'sent >= 25',
    );
    const silence = synth.alarms().filter((alarm) => alarm.id.includes('Silence'));
    expect(silence).toHaveLength(2);
    for (const alarm of silence) {
      expect(alarm.EvaluationPeriods).toBe(3);
      expect(JSON.stringify(alarm.Metrics)).toContain('ANOMALY_DETECTION_BAND(m0, 4)');
    }
    for (const alarm of synth.alarms()) {
      expect(String(alarm.AlarmDescription)).toMatch(
        /Runbook: https:\/\/github\.com\/example\/relay\/blob\/main\/docs\/operations\.md#[a-z0-9-]+$/,
      );
    }
  }, 120_000);

  it('refuses a silence period that is not whole 15-minute periods, and a runbook URL with an anchor', () => {
    const raw = JSON.parse(readFileSync('config/relay.example.json', 'utf8'));
    expect(() =>
      parseRelayConfig(
        { ...raw, alarms: { silenceMinutes: 20, runbookUrl: 'https://x.example/ops.md#top' } },
        'bad',
      ),
    ).toThrowError(/alarms\.silenceMinutes: must be a multiple of 15[\s\S]*alarms\.runbookUrl/);
  });
});
