import { describe, expect, it } from 'vitest';
import { filterPolicyMatches, UnsupportedFilterError } from '../support/sns-filter-policy.js';

describe('SNS filter policy evaluator', () => {
  it('requires every named property, and any one of its values', () => {
    // Prepare
    const policy = { color: ['red', 'blue'], size: ['L'] };

    // Act
    const both = filterPolicyMatches(policy, { color: 'blue', size: 'L' });
    const wrongValue = filterPolicyMatches(policy, { color: 'green', size: 'L' });
    const missing = filterPolicyMatches(policy, { color: 'red' });

    // Assess
    expect(both).toBe(true);
    expect(wrongValue).toBe(false);
    expect(missing).toBe(false);
  });

  it('never matches anything-but on an attribute the message lacks', () => {
    // Prepare
    const policy = { role: [{ 'anything-but': ['CUSTOMER'] }] };

    // Act
    const agent = filterPolicyMatches(policy, { role: 'AGENT' });
    const customer = filterPolicyMatches(policy, { role: 'CUSTOMER' });
    const absent = filterPolicyMatches(policy, {});

    // Assess
    expect(agent).toBe(true);
    expect(customer).toBe(false);
    expect(absent).toBe(false);
  });

  it('matches exists:false only without the attribute, and exists:true only with it', () => {
    // Act
    const absentFalse = filterPolicyMatches({ role: [{ exists: false }] }, {});
    const presentFalse = filterPolicyMatches({ role: [{ exists: false }] }, { role: 'AGENT' });
    const presentTrue = filterPolicyMatches({ role: [{ exists: true }] }, { role: 'AGENT' });

    // Assess
    expect(absentFalse).toBe(true);
    expect(presentFalse).toBe(false);
    expect(presentTrue).toBe(true);
  });

  it('ORs the branches of $or, nested too, and ANDs them with the other properties', () => {
    // Prepare
    const policy = {
      source: ['connect'],
      $or: [{ kind: ['event'] }, { $or: [{ role: ['AGENT'] }, { role: [{ prefix: 'SYS' }] }] }],
    };

    // Act
    const event = filterPolicyMatches(policy, { source: 'connect', kind: 'event' });
    const system = filterPolicyMatches(policy, { source: 'connect', role: 'SYSTEM' });
    const neither = filterPolicyMatches(policy, { source: 'connect', role: 'CUSTOMER' });
    const otherSource = filterPolicyMatches(policy, { source: 'other', kind: 'event' });

    // Assess
    expect(event).toBe(true);
    expect(system).toBe(true);
    expect(neither).toBe(false);
    expect(otherSource).toBe(false);
  });

  it('throws on a condition it does not implement rather than guessing', () => {
    // Act
    const numeric = () => filterPolicyMatches({ price: [{ numeric: ['>', 1] }] }, { price: '2' });

    // Assess
    expect(numeric).toThrowError(UnsupportedFilterError);
  });
});
