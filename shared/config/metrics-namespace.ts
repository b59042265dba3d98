/**
 * Metric namespace shared by every function, so one dashboard reads them all. It lives in config
 * because both sides need it: the functions publish to it and infra/ builds the dashboard and alarms on it.
 */
export const METRICS_NAMESPACE = 'WhatsAppConnectRelay';
