import type { PolicyDocumentJson } from '../../doctor/policy/iam-policy-evaluator.js';

/** A synthesized CloudFormation template, as `Template.toJSON()` returns it. */
export interface TemplateJson {
  readonly Resources: Readonly<Record<string, TemplateResource>>;
}

/** One resource of a template; its properties are read by the helpers below. */
export interface TemplateResource {
  readonly Type: string;
  readonly Properties?: Readonly<Record<string, unknown>>;
}

/**
 * Reads the resource policies of a synthesized template as plain strings, so the IAM evaluator
 * can decide requests against them. Intrinsics are resolved the way CloudFormation would, with
 * stand-in names: a topic's Ref is `arn:aws:sns:<region>:<account>:<logical id>`, a queue's Arn is
 * `arn:aws:sqs:…:<logical id>`, a role's Arn is `arn:aws:iam::<account>:role/<logical id>`.
 */
export class TemplatePolicies {
  constructor(
    private readonly template: TemplateJson,
    private readonly env: { readonly account: string; readonly region: string },
  ) {}

  /** The ARN CloudFormation would give a resource (its Ref for topics, else its Arn attribute). */
  arnOf(logicalId: string): string {
    const { account, region } = this.env;
    const type = this.resource(logicalId).Type;
    const arns: Record<string, string> = {
      'AWS::SNS::Topic': `arn:aws:sns:${region}:${account}:${logicalId}`,
      'AWS::SQS::Queue': `arn:aws:sqs:${region}:${account}:${logicalId}`,
      'AWS::IAM::Role': `arn:aws:iam::${account}:role/${logicalId}`,
      'AWS::KMS::Key': `arn:aws:kms:${region}:${account}:key/${logicalId}`,
      'AWS::Lambda::Function': `arn:aws:lambda:${region}:${account}:function:${logicalId}`,
      'AWS::CloudWatch::Alarm': `arn:aws:cloudwatch:${region}:${account}:alarm:${logicalId}`,
    };
    if (type === 'AWS::Connect::ContactFlow') {
      const instanceArn = this.resolve(this.resource(logicalId).Properties?.InstanceArn);
      return `${String(instanceArn)}/contact-flow/${logicalId}`;
    }
    const arn = arns[type];
    if (!arn) throw new Error(`no stand-in ARN for ${type} (${logicalId})`);
    return arn;
  }

  /**
   * What `{Ref}` gives for a resource, as CloudFormation documents it per type: a queue's URL
   * (with `.fifo` for FIFO queues), a table's or bucket's name, else its ARN (topics).
   */
  refOf(logicalId: string): string {
    const { account, region } = this.env;
    const resource = this.resource(logicalId);
    switch (resource.Type) {
      case 'AWS::SQS::Queue': {
        const suffix = resource.Properties?.FifoQueue === true ? '.fifo' : '';
        return `https://sqs.${region}.amazonaws.com/${account}/${logicalId}${suffix}`;
      }
      case 'AWS::DynamoDB::Table':
        return logicalId;
      case 'AWS::S3::Bucket':
        return logicalId.toLowerCase();
      default:
        return this.arnOf(logicalId);
    }
  }

  /** Logical ids of every resource of a type. */
  idsOf(type: string): string[] {
    return Object.entries(this.template.Resources)
      .filter(([, resource]) => resource.Type === type)
      .map(([id]) => id);
  }

  /** The topic policies that name this topic. */
  topicPolicies(topicId: string): PolicyDocumentJson[] {
    return this.policiesNaming('AWS::SNS::TopicPolicy', 'Topics', topicId);
  }

  /** The queue policies that name this queue. */
  queuePolicies(queueId: string): PolicyDocumentJson[] {
    return this.policiesNaming('AWS::SQS::QueuePolicy', 'Queues', queueId);
  }

  /** The key policy of the key a topic or queue is encrypted with. */
  keyPolicyOf(resourceId: string): { keyId: string; keyArn: string; policy: PolicyDocumentJson } {
    const keyId = this.referencedId(this.resource(resourceId).Properties?.KmsMasterKeyId ?? {});
    return {
      keyId,
      keyArn: this.arnOf(keyId),
      policy: this.resolve(this.resource(keyId).Properties?.KeyPolicy) as PolicyDocumentJson,
    };
  }

  /** The logical id a `{Ref}` or `{Fn::GetAtt}` points at. */
  referencedId(value: unknown): string {
    const reference = value as { Ref?: string; 'Fn::GetAtt'?: [string, string] };
    const id = reference.Ref ?? reference['Fn::GetAtt']?.[0];
    if (!id) throw new Error(`not a reference: ${JSON.stringify(value)}`);
    return id;
  }

  /** A template value with its intrinsics replaced by strings (every Ref read as an ARN, as policies use it). */
  resolve(value: unknown): unknown {
    return this.resolveWith(value, (name) => this.arnOf(name));
  }

  /** A template value as CloudFormation would hand it over, e.g. in a Lambda environment (Ref: `refOf`). */
  resolveValue(value: unknown): unknown {
    return this.resolveWith(value, (name) => this.refOf(name));
  }

  private resolveWith(value: unknown, ref: (logicalId: string) => string): unknown {
    const resolve = (item: unknown) => this.resolveWith(item, ref);
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
    if (Array.isArray(value)) return value.map(resolve);
    if (value === null || typeof value !== 'object') return value;
    const object = value as Record<string, unknown>;
    if ('Ref' in object) return this.resolveRef(object.Ref as string, ref);
    if ('Fn::GetAtt' in object) {
      const [id, attribute] = object['Fn::GetAtt'] as [string, string];
      if (attribute !== 'Arn' && attribute !== 'ContactFlowArn') {
        throw new Error(`cannot resolve ${id}.${attribute}`);
      }
      return this.arnOf(id);
    }
    if ('Fn::Split' in object) {
      const [separator, text] = object['Fn::Split'] as [string, unknown];
      return String(resolve(text)).split(separator);
    }
    if ('Fn::Select' in object) {
      const [index, list] = object['Fn::Select'] as [number | string, unknown];
      const items = resolve(list) as unknown[];
      const item = items[Number(index)];
      if (item === undefined) throw new Error(`Fn::Select index ${index} out of ${JSON.stringify(items)}`);
      return item;
    }
    if ('Fn::Join' in object) {
      const [separator, parts] = object['Fn::Join'] as [string, unknown[]];
      return parts.map((part) => resolve(part)).join(separator);
    }
    return Object.fromEntries(Object.entries(object).map(([key, item]) => [key, resolve(item)]));
  }

  private resolveRef(name: string, ref: (logicalId: string) => string): string {
    const pseudo: Record<string, string> = {
      'AWS::Partition': 'aws',
      'AWS::Region': this.env.region,
      'AWS::AccountId': this.env.account,
      'AWS::URLSuffix': 'amazonaws.com',
    };
    return pseudo[name] ?? ref(name);
  }

  private policiesNaming(type: string, listProperty: string, targetId: string): PolicyDocumentJson[] {
    return this.idsOf(type)
      .map((id) => this.resource(id).Properties ?? {})
      .filter((properties) =>
        ((properties[listProperty] ?? []) as unknown[]).some(
          (entry) => this.referencedId(entry) === targetId,
        ),
      )
      .map((properties) => this.resolve(properties.PolicyDocument) as PolicyDocumentJson);
  }

  /** One resource of the template, by logical id. */
  resource(logicalId: string): TemplateResource {
    const resource = this.template.Resources[logicalId];
    if (!resource) throw new Error(`no resource ${logicalId} in the template`);
    return resource;
  }
}
