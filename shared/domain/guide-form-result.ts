/**
 * What the agent submitted on the guide's Form view, as the flow hands it to send-template: the
 * block passes `$.Views`, and the values sit under `ViewResultData.FormData.<Name>` ("When using
 * the AWS managed Form view, the form data is under FormData", Connect admin guide, custom views).
 * AWS's own sample Lambda receives `$.Views` with `ViewResultData` as a JSON string and takes the
 * first element when a value is a list (aws-samples/amazon-connect-step-by-step-guides-module-library,
 * examples/CreateAndReviewTask/sampleLambda/simplifyFormData.mjs). Both shapes are read here, as
 * are an object instead of a string, and numbers; anything else is a clear problem, never a throw.
 */
export type GuideFormResult =
  | { readonly ok: true; readonly fields: Readonly<Record<string, string>> }
  | { readonly ok: false; readonly reason: 'Missing' | 'Malformed'; readonly problem: string };

/** Reads the Form view's answers from the `views` block parameter (`$.Views`). */
export function readGuideForm(views: unknown): GuideFormResult {
  if (views === undefined || views === null || views === '') {
    return failed(
      'Missing',
      'The form’s values did not reach the guide. Nothing was sent. Press Send again.',
    );
  }
  const root = parsed(views);
  const resultData =
    root && typeof root === 'object' ? parsed((root as Record<string, unknown>).ViewResultData) : undefined;
  const formData =
    resultData && typeof resultData === 'object'
      ? parsed((resultData as Record<string, unknown>).FormData)
      : undefined;
  if (!formData || typeof formData !== 'object' || Array.isArray(formData)) {
    return failed(
      'Malformed',
      'The form’s values arrived in a shape the guide cannot read. Nothing was sent. Press Send again; if it keeps happening, tell an administrator.',
    );
  }
  const fields: Record<string, string> = {};
  for (const [name, value] of Object.entries(formData as Record<string, unknown>)) {
    const text = fieldText(value);
    if (text !== undefined) fields[name] = text.trim();
  }
  return { ok: true, fields };
}

function fieldText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (Array.isArray(value)) return value.length === 0 ? '' : fieldText(value[0]);
  return undefined;
}

/** A JSON string is parsed; anything else is returned as it is. */
function parsed(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return undefined;
  }
}

function failed(reason: 'Missing' | 'Malformed', problem: string): GuideFormResult {
  return { ok: false, reason, problem };
}
