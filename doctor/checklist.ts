/**
 * The doctor's output: a checklist where every line passed or failed, and every failed line
 * says exactly what to do. Nothing else is printed, so a builder can read it top to bottom.
 */

/** One line of the checklist: a pass with what was seen, or a failure with the problem and its fix. */
export type CheckLine =
  | { readonly status: 'pass'; readonly title: string; readonly detail?: string }
  | { readonly status: 'fail'; readonly title: string; readonly problem: string; readonly fix: string };

/** The lines of one concern (the stack, WhatsApp, Connect…), printed under one heading. */
export interface CheckGroup {
  readonly heading: string;
  readonly lines: readonly CheckLine[];
}

/** A passed line; `detail` is what the builder may want to know (a name, a rating). */
export function pass(title: string, detail?: string): CheckLine {
  return detail === undefined ? { status: 'pass', title } : { status: 'pass', title, detail };
}

/** A failed line, with the problem as seen and the exact fix. */
export function fail(title: string, problem: string, fix: string): CheckLine {
  return { status: 'fail', title, problem, fix };
}

/** Whether every line of every group passed (the doctor's exit code). */
export function allPassed(groups: readonly CheckGroup[]): boolean {
  return groups.every((group) => group.lines.every((line) => line.status === 'pass'));
}

/** The checklist as text: a heading per group, ✅/❌ per line, and an indented fix under each ❌. */
export function formatChecklist(groups: readonly CheckGroup[]): string {
  const out: string[] = [];
  for (const group of groups) {
    out.push(group.heading);
    for (const line of group.lines) {
      if (line.status === 'pass') {
        out.push(`  ✅ ${line.title}${line.detail ? ` — ${line.detail}` : ''}`);
      } else {
        out.push(`  ❌ ${line.title} — ${line.problem}`);
        out.push(`     Fix: ${line.fix}`);
      }
    }
  }
  const failed = groups.flatMap((group) => group.lines).filter((line) => line.status === 'fail').length;
  out.push(failed === 0 ? 'All checks passed.' : `${failed} check${failed === 1 ? '' : 's'} failed.`);
  return `${out.join('\n')}\n`;
}
