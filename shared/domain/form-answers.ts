import { neutraliseNoticeMarker } from './customer-text.js';
import type { FormAnswers, FormValue } from './inbound-message.js';

/**
 * A WhatsApp Flow form's answers as lines an agent reads: `Label: value`, nested groups indented
 * under their label, lists joined with commas. Field names are the flow's own (`appointment_date`,
 * `screen_0_Full_name_0`), so they are turned into labels; every label and value is customer data
 * and has the notice marker neutralised.
 */
export function renderFormAnswers(answers: FormAnswers): string[] {
  return fieldLines(answers, '', 0);
}

const MAX_DEPTH = 4;

function fieldLines(fields: FormAnswers, indent: string, depth: number): string[] {
  return Object.entries(fields).flatMap(([name, value]) => valueLines(label(name), value, indent, depth));
}

function valueLines(title: string, value: FormValue, indent: string, depth: number): string[] {
  if (isScalar(value)) return [`${indent}${title}: ${scalar(value)}`];
  if (depth >= MAX_DEPTH) return [`${indent}${title}: ${neutraliseNoticeMarker(JSON.stringify(value))}`];
  if (isList(value)) {
    if (value.every(isScalar)) return [`${indent}${title}: ${value.map(scalar).join(', ') || '—'}`];
    return [
      `${indent}${title}:`,
      ...value.flatMap((item, index) => valueLines(`${index + 1}`, item, `${indent}  `, depth + 1)),
    ];
  }
  return [`${indent}${title}:`, ...fieldLines(value, `${indent}  `, depth + 1)];
}

function isScalar(value: FormValue): value is string | number | boolean | null {
  return value === null || typeof value !== 'object';
}

function isList(value: FormValue): value is readonly FormValue[] {
  return Array.isArray(value);
}

function scalar(value: string | number | boolean | null): string {
  if (value === null || value === '') return '—';
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  return neutraliseNoticeMarker(String(value));
}

/**
 * `screen_0_Full_name_0` → `Full name`, `appointmentDate` → `Appointment date`: the Flow builder's
 * `screen_<n>_` prefix and `_<n>` suffix dropped, words split, the first capitalised.
 */
function label(name: string): string {
  const words = name
    .replace(/^screen_\d+_/i, '')
    .replace(/_\d+$/, '')
    .replace(/([a-z\d])([A-Z])/g, '$1 $2')
    .split(/[\s_\-.]+/)
    .filter(Boolean)
    .map((word, index) => {
      const plain = word === word.toUpperCase() && word.length > 1 ? word : word.toLowerCase();
      return index === 0 ? plain.charAt(0).toUpperCase() + plain.slice(1) : plain;
    });
  return neutraliseNoticeMarker(words.length > 0 ? words.join(' ') : name);
}
