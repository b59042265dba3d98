/**
 * The template guide's time budget, shared by the flow, the CDK functions and the handlers so
 * that a template is never sent after the agent was told it was not. The flow's "Invoke AWS Lambda
 * function" block waits at most 8 s (InvocationTimeLimitSeconds is 1–8, Connect flow-language
 * reference, InvokeLambdaFunction); each function stops earlier than that.
 */

/** What flows/agent-initiated-template.json gives every Lambda block. */
export const GUIDE_FLOW_WAIT_SECONDS = 8;
/** The guide functions' Lambda timeout: shorter than the flow's wait. */
export const GUIDE_FUNCTION_TIMEOUT_SECONDS = 7;
/** send-template answers within this, leaving margin before its own timeout. */
export const SEND_TEMPLATE_BUDGET_MS = 6_500;
/** One SendWhatsAppMessage request gives up after this (the SDK client's requestTimeout). */
export const SEND_REQUEST_TIMEOUT_MS = 2_500;
/** Throttled sends are retried only within this window after the first attempt. */
export const SEND_THROTTLE_WINDOW_MS = 1_500;
/** A send is only started with this much of the budget left: request, throttle retries, then the record. */
export const SEND_BUDGET_MS = SEND_REQUEST_TIMEOUT_MS + SEND_THROTTLE_WINDOW_MS + 1_000;
