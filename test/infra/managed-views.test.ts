import { readFileSync } from 'node:fs';
import { App, Stack } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { GUIDE_MANAGED_VIEWS } from '../../infra/constructs/guide-names.js';
import {
  declaredManagedViewArns,
  loadManagedViewContract,
  MANAGED_VIEWS_FILE,
  ManagedViewContractError,
  parseManagedViewContract,
} from '../../infra/constructs/managed-views.js';

const stack = () => new Stack(new App(), 'Guide', { env: { account: '111122223333', region: 'eu-west-2' } });
const contractText = () =>
  JSON.parse(readFileSync(MANAGED_VIEWS_FILE, 'utf8')) as { views: { name: string }[] };

describe('views/aws-managed-views.json: the managed views the guide may show', () => {
  it('declares every managed view the guide flow shows, so the synth points the flow at each of them', () => {
    // Act
    const arns = declaredManagedViewArns(stack(), GUIDE_MANAGED_VIEWS);

    // Assess
    expect(Object.keys(arns).sort()).toEqual(Object.keys(GUIDE_MANAGED_VIEWS).sort());
    expect(arns.DetailViewArn).toMatch(/:connect:eu-west-2:aws:view\/detail$/);
  });

  it('fails the synth, naming the view, when the guide shows a managed view the file does not declare', () => {
    // Prepare: the file as it would be if the Detail view's entry were removed.
    const text = contractText();
    text.views = text.views.filter((view) => view.name !== GUIDE_MANAGED_VIEWS.DetailViewArn);
    const withoutDetail = parseManagedViewContract(JSON.stringify(text), 'edited copy');

    // Act
    const synth = () => declaredManagedViewArns(stack(), GUIDE_MANAGED_VIEWS, withoutDetail);

    // Assess
    expect(synth).toThrow(ManagedViewContractError);
    expect(synth).toThrow(/does not declare:\n {2}\$\{DetailViewArn\} → detail$/m);
  });

  it('refuses an entry that requires ViewData it does not list, and a view declared twice', () => {
    // Prepare
    const text = contractText();
    const first: Record<string, unknown> = text.views[0] ?? {};
    const requiring = { ...text, views: [{ ...first, requiredViewData: ['Wizard2'] }] };
    const twice = { ...text, views: [first, first] };

    // Act / Assess
    expect(() => parseManagedViewContract(JSON.stringify(requiring), 'edited copy')).toThrow(
      /edited copy is malformed:\n {2}views\.0\.?: every requiredViewData key must also be in viewData/,
    );
    expect(() => parseManagedViewContract(JSON.stringify(twice), 'edited copy')).toThrow(
      `edited copy declares ${String(first.name)} twice`,
    );
  });

  it('reads the committed file without a problem', () => {
    // Act
    const contract = loadManagedViewContract();

    // Assess
    expect(Object.keys(contract).sort()).toEqual(Object.values(GUIDE_MANAGED_VIEWS).sort());
  });
});
