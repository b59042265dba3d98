import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GUIDE_VIEW_FILES } from '../../infra/constructs/agent-initiated-templates.js';
import { DOCUMENTED_COMPONENTS } from '../support/documented-view-bindings.js';
import { checkViewBindings, type ViewContent } from '../support/flow-checker.js';

const view = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as ViewContent;

describe('views use only documented components and bindings', () => {
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

  it.each(Object.values(GUIDE_VIEW_FILES))(
    'refuses today’s %s, whose slots hide by a string-bound Visibility',
    (file) => {
      const problems = checkViewBindings(file, view(file), DOCUMENTED_COMPONENTS);

      expect(problems.length).toBeGreaterThan(0);
    },
  );

  it('names each undocumented binding in today’s views', () => {
    const choose = checkViewBindings(
      'choose',
      view(GUIDE_VIEW_FILES.ChooseTemplateViewArn),
      DOCUMENTED_COMPONENTS,
    );
    const send = checkViewBindings('send', view(GUIDE_VIEW_FILES.SendTemplateViewArn), DOCUMENTED_COMPONENTS);
    const outcome = checkViewBindings(
      'outcome',
      view(GUIDE_VIEW_FILES.TemplateOutcomeViewArn),
      DOCUMENTED_COMPONENTS,
    );

    expect(choose).toContain(
      'choose › Container_templateOption1: Visibility must be a boolean, not "$.templateOption1Visible"',
    );
    expect(choose).toContain(
      'choose › Card_templateOption1: Card.Heading is bound to $.templateOption1Heading, which no documentation shows',
    );
    expect(send).toContain(
      'send › FormInput_param1: FormInput.Label is bound to $.param1Label, which no documentation shows',
    );
    expect(outcome).toContain(
      'outcome › Header_outcome: Content is bound to $.heading, which no documentation shows',
    );
  });
});
