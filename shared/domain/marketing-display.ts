import type { MarketingPreference } from './customer-choices.js';

/** How the guide form words the customer's marketing choice: one attribute-bar entry. */
export interface MarketingDisplay {
  readonly label: 'Marketing messages';
  readonly value: string;
  /** `Label: value`, for places that show one line. */
  readonly text: string;
}

/**
 * The customer's marketing choice as the agent reads it on the form, before they pick a MARKETING
 * template that would be refused. No recorded choice (absent or unknown) reads "not recorded".
 */
export function describeMarketing(preference: MarketingPreference | undefined): MarketingDisplay {
  const value =
    preference?.state === 'opted-in'
      ? 'allowed'
      : preference?.state === 'opted-out'
        ? `the customer opted out on ${new Date(preference.at).toISOString().slice(0, 10)} (MARKETING templates will be refused)`
        : 'not recorded';
  return { label: 'Marketing messages', value, text: `Marketing messages: ${value}` };
}
