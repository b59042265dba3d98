import type { AccountEvent } from './webhook-notifications.js';

/**
 * How bad a change to the business number or account is, for the AccountHealth alarm: a `Warning`
 * pages on-call (the number's quality dropped, it was flagged, or the account was restricted or
 * is going away: Meta throttles or stops sends next), an `Info` is an improvement.
 *
 * Event names from Meta's webhook references (phone_number_quality_update, account_update). An
 * event this list does not know is a Warning: these events are rare, and a new kind of restriction
 * must not pass silently. UNCONFIRMED: Meta publishes no closed list of `event` values.
 */
export type AccountHealthSeverity = 'Warning' | 'Info';

const IMPROVEMENTS: Readonly<Record<AccountEvent['field'], readonly string[]>> = {
  phone_number_quality_update: ['UNFLAGGED', 'UPGRADE', 'ONBOARDING', 'THROUGHPUT_UPGRADE'],
  account_update: [
    'VERIFIED_ACCOUNT',
    'ACCOUNT_RECONNECTED',
    'PARTNER_ADDED',
    'AUTH_INTL_PRICE_ELIGIBILITY_UPDATE',
    'BUSINESS_PRIMARY_LOCATION_COUNTRY_UPDATE',
  ],
};

/** The severity of one account event; unknown events are Warnings. */
export function accountHealthSeverity(event: AccountEvent): AccountHealthSeverity {
  return IMPROVEMENTS[event.field].includes(event.event.toUpperCase()) ? 'Info' : 'Warning';
}
