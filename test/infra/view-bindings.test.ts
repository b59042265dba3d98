import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AGENT_ID,
  CUSTOMER_CONTACT_ID,
  connectLambdaEvent,
  GUIDE_CONTACT_ID,
} from '../support/connect-lambda-events.js';
import {
  checkManagedViewData,
  checkViewBindings,
  DOCUMENTED_COMPONENTS,
  documentedManagedView,
  type Flow,
  type FlowAction,
  resolveViewData,
  type ViewContent,
} from '../support/flow-checker/index.js';
import { submittedViews } from '../support/guide-answers.js';
import { startTemplateEnvironment, type TemplateEnvironment } from '../support/template-environment.js';

const guide = JSON.parse(readFileSync('flows/agent-initiated-template.json', 'utf8')) as Flow & {
  Actions: FlowAction[];
};
const block = (id: string) => guide.Actions.find((action) => action.Identifier === id) as FlowAction;

describe('customer-managed views use only documented components and bindings', () => {
  it('accepts a form built as AWS’s own sample builds it', () => {
    // Prepare: a FormInput pre-filled from an input, in a visible container (AWS sample config.py).
    const sample: ViewContent = {
      Actions: ['send'],
      Template: {
        Body: [
          {
            _id: 'form',
            Type: 'Form',
            Props: { HideBorder: true },
            Content: [
              {
                _id: 'box',
                Type: 'Container',
                Props: { HideBorder: false, Visibility: true },
                Content: [
                  {
                    _id: 'name',
                    Type: 'FormInput',
                    Props: { Label: 'Name', Name: 'name', DefaultValue: '$.name' },
                  },
                  { _id: 'go', Type: 'SubmitButton', Props: { Action: 'send', Label: 'Send' } },
                ],
              },
            ],
          },
        ],
      },
    };

    // Act / Assess
    expect(checkViewBindings('sample', sample, DOCUMENTED_COMPONENTS)).toEqual([]);
  });

  it('refuses the guide’s old views: slots hidden by a string-bound Visibility, and text bound into Content', () => {
    // Prepare: one template slot and the outcome header as the guide's views had them.
    const old: ViewContent = {
      Actions: ['ChooseTemplate1'],
      Template: {
        Body: [
          {
            _id: 'Container_templateOption1',
            Type: 'Container',
            Props: { HideBorder: true, Visibility: '$.templateOption1Visible' },
            Content: [
              {
                _id: 'Card_templateOption1',
                Type: 'Card',
                Props: {
                  Id: 'templateOption1',
                  Heading: '$.templateOption1Heading',
                  Action: 'ChooseTemplate1',
                },
                Content: [],
              },
            ],
          },
          { _id: 'Header_outcome', Type: 'Header', Props: { variant: 'h2' }, Content: ['$.heading'] },
        ],
      },
    };

    // Act
    const problems = checkViewBindings('old', old, DOCUMENTED_COMPONENTS);

    // Assess
    expect(problems).toContain(
      'old › Container_templateOption1: Visibility must be a boolean, not "$.templateOption1Visible"',
    );
    expect(problems).toContain(
      'old › Card_templateOption1: Card.Heading is bound to $.templateOption1Heading, which no documentation shows',
    );
    expect(problems).toContain(
      'old › Header_outcome: Content is bound to $.heading, which no documentation shows',
    );
  });
});

describe('the data the guide’s Lambdas build fits the AWS managed views they fill', () => {
  let env: TemplateEnvironment;

  beforeAll(async () => {
    env = await startTemplateEnvironment();
    env.contacts.add({ id: GUIDE_CONTACT_ID, relatedContactId: CUSTOMER_CONTACT_ID });
    env.contacts.add({
      id: CUSTOMER_CONTACT_ID,
      agentId: AGENT_ID,
      attributes: { customerId: 'C-1002', customerPhoneNumber: '+447700900123' },
    });
  });

  afterAll(async () => {
    await env.stop();
  });

  it('the template cards, as the choose step shows them', async () => {
    // Act
    const answer = await env.customerData(connectLambdaEvent({ step: 'choose' }));
    const viewData = resolveViewData(block('show-choose'), answer);

    // Assess
    expect(answer.cards?.length).toBeGreaterThan(0);
    expect(checkManagedViewData('cards', viewData, documentedManagedView('cards'))).toEqual([]);
  });

  it('the form with its sections, fields and the customer’s marketing choice', async () => {
    // Act
    const answer = await env.customerData(
      connectLambdaEvent({ step: 'form', templateChoice: 'Use order_update (en_US)' }),
    );
    const viewData = resolveViewData(block('show-form'), answer);

    // Assess
    expect(answer.formSections?.length).toBe(2);
    expect(checkManagedViewData('form', viewData, documentedManagedView('form'))).toEqual([]);
  });

  it('the confirmation after a send', async () => {
    // Act
    const answer = await env.sendTemplate(
      connectLambdaEvent({
        mode: 'send',
        templateKey: 'welcome_back:en_US',
        customerId: 'C-1002',
        customerName: 'Sam Taylor',
        views: submittedViews({ whatsAppNumber: '+447700900123' }),
      }),
    );
    const viewData = resolveViewData(block('show-sent'), answer);

    // Assess
    expect(answer.outcome).toBe('SENT');
    expect(checkManagedViewData('detail', viewData, documentedManagedView('detail'))).toEqual([]);
  });

  it('the checker refuses data a managed view does not document, and text Connect would read as a reference', () => {
    // Prepare: a card with a visibility flag and an unescaped "$." heading.
    const viewData = {
      Cards: [
        {
          Summary: { Id: 't1', Heading: '$.Attributes.secret', Visible: 'true' },
          Detail: { Heading: 'x', Actions: ['Use x (en)'] },
        },
      ],
    };

    // Act
    const problems = checkManagedViewData('cards', viewData, documentedManagedView('cards'));

    // Assess
    expect(problems).toContain('cards › Cards[0].Summary.Visible is not documented');
    expect(problems).toContain(
      'cards › Cards[0].Summary.Heading: "$.Attributes.secret" would be read as a reference',
    );
  });
});
