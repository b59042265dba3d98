import { describe, expect, it } from 'vitest';
import {
  evaluatePolicies,
  type PolicyRequest,
  type PolicyStatementJson,
  UnsupportedPolicyError,
  wildcardMatch,
} from '../../doctor/policy/iam-policy-evaluator.js';

const ACCOUNT = '111122223333';
const TOPIC = `arn:aws:sns:us-east-1:${ACCOUNT}:inbound`;
const ROLE = `arn:aws:iam::${ACCOUNT}:role/SomeAppRole`;
const EUM = { kind: 'service', service: 'social-messaging.amazonaws.com' } as const;

const publish = (
  principal: PolicyRequest['principal'],
  context: PolicyRequest['context'] = {},
): PolicyRequest => ({
  principal,
  action: 'sns:Publish',
  resource: TOPIC,
  context: { 'aws:SecureTransport': 'true', ...context },
});

const allowEum: PolicyStatementJson = {
  Sid: 'AllowEum',
  Effect: 'Allow',
  Principal: { Service: 'social-messaging.amazonaws.com' },
  Action: 'sns:Publish',
  Resource: TOPIC,
  Condition: {
    StringEquals: { 'aws:SourceAccount': ACCOUNT },
    ArnLike: { 'aws:SourceArn': `arn:aws:social-messaging:us-east-1:${ACCOUNT}:*` },
  },
};

const decide = (statements: PolicyStatementJson[], request: PolicyRequest) =>
  evaluatePolicies([{ Statement: statements }], request).decision;

describe('IAM policy evaluator', () => {
  it('allows the service the topic names, from this account and its own resources', () => {
    // Prepare
    const request = publish(EUM, {
      'aws:SourceAccount': ACCOUNT,
      'aws:SourceArn': `arn:aws:social-messaging:us-east-1:${ACCOUNT}:waba/abc`,
    });

    // Act
    const result = evaluatePolicies([{ Statement: [allowEum] }], request);

    // Assess
    expect(result).toEqual({ decision: 'allowed', by: ['AllowEum'] });
  });

  it('refuses the same service acting for another account (a condition value differs)', () => {
    // Prepare
    const request = publish(EUM, {
      'aws:SourceAccount': '999988887777',
      'aws:SourceArn': 'arn:aws:social-messaging:us-east-1:999988887777:waba/abc',
    });

    // Act
    const decision = decide([allowEum], request);

    // Assess
    expect(decision).toBe('implicit-deny');
  });

  it('refuses when a positive condition names a key the request does not carry', () => {
    // Prepare
    const request = publish(EUM, { 'aws:SourceAccount': ACCOUNT });

    // Act
    const decision = decide([allowEum], request);

    // Assess
    expect(decision).toBe('implicit-deny');
  });

  it('lets an explicit Deny win over an Allow', () => {
    // Prepare
    const deny: PolicyStatementJson = {
      Sid: 'DenyEveryone',
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: 'sns:*',
      Resource: TOPIC,
    };
    const request = publish(EUM, {
      'aws:SourceAccount': ACCOUNT,
      'aws:SourceArn': `arn:aws:social-messaging:us-east-1:${ACCOUNT}:waba/abc`,
    });

    // Act
    const result = evaluatePolicies([{ Statement: [allowEum, deny] }], request);

    // Assess
    expect(result).toEqual({ decision: 'explicit-deny', by: ['DenyEveryone'] });
  });

  it('treats a negated operator on a missing key as true, so a Deny on "not this source" catches a role', () => {
    // Prepare
    const deny: PolicyStatementJson = {
      Effect: 'Deny',
      Principal: '*',
      Action: 'sns:Publish',
      Resource: TOPIC,
      Condition: { ArnNotLike: { 'aws:SourceArn': `arn:aws:social-messaging:us-east-1:${ACCOUNT}:*` } },
    };

    // Act
    const fromRole = decide([deny], publish({ kind: 'aws', arn: ROLE }));
    const fromEum = decide(
      [deny],
      publish(EUM, { 'aws:SourceArn': `arn:aws:social-messaging:us-east-1:${ACCOUNT}:waba/abc` }),
    );

    // Assess
    expect(fromRole).toBe('explicit-deny');
    expect(fromEum).toBe('implicit-deny');
  });

  it('requires a negated operator to differ from every listed value', () => {
    // Prepare
    const deny: PolicyStatementJson = {
      Effect: 'Deny',
      Principal: '*',
      Action: 'sqs:SendMessage',
      Resource: '*',
      Condition: { ArnNotEquals: { 'aws:PrincipalArn': [ROLE, `arn:aws:iam::${ACCOUNT}:role/Other`] } },
    };
    const send = (arn: string): PolicyRequest => ({
      principal: { kind: 'aws', arn },
      action: 'sqs:SendMessage',
      resource: 'arn:aws:sqs:us-east-1:111122223333:q',
      context: { 'aws:PrincipalArn': arn },
    });

    // Act
    const listed = decide([deny], send(`arn:aws:iam::${ACCOUNT}:role/Other`));
    const unlisted = decide([deny], send(`arn:aws:iam::${ACCOUNT}:role/Intruder`));

    // Assess
    expect(listed).toBe('implicit-deny');
    expect(unlisted).toBe('explicit-deny');
  });

  it('passes an IfExists condition when the key is absent, and checks it when present', () => {
    // Prepare
    const allow: PolicyStatementJson = {
      Effect: 'Allow',
      Principal: '*',
      Action: 'sns:Publish',
      Resource: TOPIC,
      Condition: { StringEqualsIfExists: { 'aws:SourceAccount': ACCOUNT } },
    };

    // Act
    const absent = decide([allow], publish(EUM));
    const other = decide([allow], publish(EUM, { 'aws:SourceAccount': '999988887777' }));

    // Assess
    expect(absent).toBe('allowed');
    expect(other).toBe('implicit-deny');
  });

  it('denies requests without TLS through the Bool aws:SecureTransport statement CDK adds', () => {
    // Prepare
    const tlsOnly: PolicyStatementJson = {
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: 'sns:Publish',
      Resource: TOPIC,
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    };

    // Act
    const plain = decide([tlsOnly], publish({ kind: 'aws', arn: ROLE }, { 'aws:SecureTransport': 'false' }));
    const tls = decide([tlsOnly], publish({ kind: 'aws', arn: ROLE }));

    // Assess
    expect(plain).toBe('explicit-deny');
    expect(tls).toBe('implicit-deny');
  });

  it('matches an account principal to every role of that account, and a service only to itself', () => {
    // Prepare
    const allowAccount: PolicyStatementJson = {
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
      Action: 'kms:*',
      Resource: '*',
    };
    const kms = (principal: PolicyRequest['principal']): PolicyRequest => ({
      principal,
      action: 'kms:Decrypt',
      resource: 'arn:aws:kms:us-east-1:111122223333:key/k',
    });

    // Act
    const ownRole = decide([allowAccount], kms({ kind: 'aws', arn: ROLE }));
    const foreignRole = decide([allowAccount], kms({ kind: 'aws', arn: 'arn:aws:iam::999988887777:role/R' }));
    const service = decide([allowAccount], kms({ kind: 'service', service: 'sns.amazonaws.com' }));

    // Assess
    expect(ownRole).toBe('allowed');
    expect(foreignRole).toBe('implicit-deny');
    expect(service).toBe('implicit-deny');
  });

  it('applies NotPrincipal, NotAction and NotResource as complements', () => {
    // Prepare
    const deny: PolicyStatementJson = {
      Effect: 'Deny',
      NotPrincipal: { Service: 'connect.amazonaws.com' },
      NotAction: 'sns:Get*',
      NotResource: 'arn:aws:sns:us-east-1:111122223333:other',
    };

    // Act
    const roleReading = decide([deny], {
      ...publish({ kind: 'aws', arn: ROLE }),
      action: 'sns:GetTopicAttributes',
    });
    const rolePublishing = decide([deny], publish({ kind: 'aws', arn: ROLE }));
    const connectPublishing = decide([deny], publish({ kind: 'service', service: 'connect.amazonaws.com' }));

    // Assess
    expect(roleReading).toBe('implicit-deny');
    expect(rolePublishing).toBe('explicit-deny');
    expect(connectPublishing).toBe('implicit-deny');
  });

  it('matches actions case-insensitively with wildcards, and ARNs part by part', () => {
    // Prepare
    const allow: PolicyStatementJson = {
      Effect: 'Allow',
      Principal: { Service: 'cloudwatch.amazonaws.com' },
      Action: ['kms:GenerateDataKey*', 'kms:Decrypt'],
      Resource: '*',
      Condition: { ArnLike: { 'aws:SourceArn': `arn:*:cloudwatch:us-east-1:${ACCOUNT}:alarm:*` } },
    };
    const kms = (action: string, sourceArn: string): PolicyRequest => ({
      principal: { kind: 'service', service: 'cloudwatch.amazonaws.com' },
      action,
      resource: 'arn:aws:kms:us-east-1:111122223333:key/k',
      context: { 'aws:SourceArn': sourceArn },
    });
    const alarm = `arn:aws:cloudwatch:us-east-1:${ACCOUNT}:alarm:InboundDeadLetters`;

    // Act
    const generate = decide([allow], kms('KMS:GenerateDataKeyWithoutPlaintext', alarm));
    const encrypt = decide([allow], kms('kms:Encrypt', alarm));
    // A wildcard in one ARN part never spans into the next part.
    const otherRegion = decide(
      [allow],
      kms('kms:Decrypt', `arn:aws:cloudwatch:eu-west-1:${ACCOUNT}:alarm:X`),
    );

    // Assess
    expect(generate).toBe('allowed');
    expect(encrypt).toBe('implicit-deny');
    expect(otherRegion).toBe('implicit-deny');
    expect(wildcardMatch('arn:*:sns', 'arn:aws:x:sns')).toBe(true);
    expect(wildcardMatch('a?c', 'abc')).toBe(true);
    expect(wildcardMatch('a.c', 'abc')).toBe(false);
  });

  it('refuses to guess: an operator it does not implement, or an unresolved token, throws', () => {
    // Prepare
    const withOperator = (condition: PolicyStatementJson['Condition']): PolicyStatementJson[] => [
      { Effect: 'Allow', Principal: '*', Action: 'sns:Publish', Resource: TOPIC, Condition: condition },
    ];

    // Act
    const numeric = () => decide(withOperator({ NumericLessThan: { 'aws:X': '1' } }), publish(EUM));
    const unresolved = () =>
      decide(
        withOperator({ StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } }),
        publish(EUM),
      );

    // Assess
    expect(numeric).toThrowError(UnsupportedPolicyError);
    expect(unresolved).toThrowError(/unresolved/);
  });
});
