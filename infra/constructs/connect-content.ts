import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const projectRoot = fileURLToPath(new URL('../..', import.meta.url));

/** `${Name}` tokens in flows/ and views/ JSON; CDK's own `${Token[…]}` strings never match. */
const PLACEHOLDER = /\$\{([A-Za-z][A-Za-z0-9]*)\}/g;

/** Thrown at synth time when Connect content and the values given for it do not match exactly. */
export class ConnectContentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConnectContentError';
  }
}

/** The `${Name}` tokens a piece of Connect content uses, in order of first use. */
export function placeholdersIn(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((match) => match[1] as string))];
}

/**
 * Substitutes every `${Name}` token in Connect flow or view JSON, so flows reference the Lambdas
 * and views this stack deploys with no console edits. It fails the synth when a token has no value
 * (the flow would reference nothing) and when a value matches no token (a renamed token or a typo),
 * and it checks the result is still JSON. Values are JSON-escaped; CDK tokens pass through intact.
 */
export function renderConnectContent<Name extends string>(
  relativePath: string,
  values: Readonly<Record<Name, string>>,
): string {
  const text = readFileSync(`${projectRoot}${relativePath}`, 'utf8');
  const used = placeholdersIn(text);
  const given = Object.keys(values);
  const missing = used.filter((name) => !given.includes(name));
  const unused = given.filter((name) => !used.includes(name));
  if (missing.length > 0 || unused.length > 0) {
    throw new ConnectContentError(
      [
        `Placeholders in ${relativePath} do not match the values given:`,
        ...(missing.length ? [`  unresolved: ${missing.map((name) => `\${${name}}`).join(', ')}`] : []),
        ...(unused.length ? [`  not used by the file: ${unused.join(', ')}`] : []),
      ].join('\n'),
    );
  }
  const rendered = text.replace(PLACEHOLDER, (_, name: string) =>
    JSON.stringify(values[name as Name]).slice(1, -1),
  );
  try {
    JSON.parse(rendered);
  } catch (error) {
    throw new ConnectContentError(
      `${relativePath} is not valid JSON after substitution: ${(error as Error).message}`,
    );
  }
  return rendered;
}
