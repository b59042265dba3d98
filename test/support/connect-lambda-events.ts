/**
 * Amazon Connect "Invoke AWS Lambda function" events in the real shape (see the AWS sample's
 * event.json): block parameters under Details.Parameters, contact attributes under
 * Details.ContactData.Attributes.
 */
/** The guide's own chat contact (the event's ContactId) and the customer chat it is related to. */
export const GUIDE_CONTACT_ID = '5ca32fbd-8f92-46af-92a5-6b0f970f0efe';
export const CUSTOMER_CONTACT_ID = '9e8d7c6b-aaaa-bbbb-cccc-ddddeeeeffff';

export function connectLambdaEvent(
  parameters: Record<string, unknown>,
  attributes: Record<string, string> = {},
) {
  return {
    Name: 'ContactFlowEvent',
    Details: {
      ContactData: {
        Attributes: attributes,
        Channel: 'CHAT',
        ContactId: '5ca32fbd-8f92-46af-92a5-6b0f970f0efe',
        InitialContactId: '5ca32fbd-8f92-46af-92a5-6b0f970f0efe',
        InitiationMethod: 'API',
        InstanceARN: 'arn:aws:connect:us-east-1:111122223333:instance/a1b2c3d4-5678-90ab-cdef-111122223333',
        PreviousContactId: '5ca32fbd-8f92-46af-92a5-6b0f970f0efe',
        Queue: null,
        SystemEndpoint: null,
        MediaStreams: {},
      },
      Parameters: parameters,
    },
  };
}

export const AGENT_ID = '7d3c2b1a-1111-2222-3333-444455556666';
export const AGENT_ARN = `arn:aws:connect:us-east-1:111122223333:instance/a1b2c3d4-5678-90ab-cdef-111122223333/agent/${AGENT_ID}`;
