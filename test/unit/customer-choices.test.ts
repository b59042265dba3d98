import { describe, expect, it } from 'vitest';
import { type AgentAssignment, preferredAgentFor } from '../../shared/domain/customer-choices.js';

const HOUR = 3_600_000;
const AGENT = '7d3c2b1a-1111-2222-3333-444455556666';
const joined = (at: number): { lastAgent: AgentAssignment } => ({
  lastAgent: { agentId: AGENT, contactId: 'contact-1', at },
});

describe('the preferred agent of a returning customer', () => {
  it('is the last agent up to the configured hours after they joined', () => {
    // Prepare
    const now = 100 * HOUR;

    // Act
    const justInside = preferredAgentFor(joined(now - 24 * HOUR), now, 24);

    // Assess
    expect(justInside).toBe(AGENT);
  });

  it('is nobody a moment after the configured hours', () => {
    // Prepare
    const now = 100 * HOUR;

    // Act
    const justOutside = preferredAgentFor(joined(now - 24 * HOUR - 1), now, 24);

    // Assess
    expect(justOutside).toBeUndefined();
  });

  it('is nobody for a customer no agent has handled, or a conversation never seen', () => {
    // Act
    const noAgent = preferredAgentFor({}, 100 * HOUR, 24);
    const noConversation = preferredAgentFor(undefined, 100 * HOUR, 24);

    // Assess
    expect(noAgent).toBeUndefined();
    expect(noConversation).toBeUndefined();
  });
});
