/**
 * Converts the Markdown Connect agents and bots write (text/markdown) into WhatsApp's own
 * formatting: *bold*, _italic_, ~strike~, `code` and ```blocks```, and lists WhatsApp renders
 * natively. Links become "text (url)", because WhatsApp shows bare URLs as links.
 */
export function markdownToWhatsApp(markdown: string): string {
  const protectedSpans: string[] = [];
  const protect = (text: string) => {
    protectedSpans.push(text);
    return `\uE000${protectedSpans.length - 1}\uE000`;
  };

  let text = markdown.replace(/\r\n/g, '\n');
  // Code first, so nothing inside it is treated as formatting.
  text = text.replace(/```[a-zA-Z0-9_-]*\n?([\s\S]*?)```/g, (_, code: string) =>
    protect(`\`\`\`${code.replace(/\n$/, '')}\`\`\``),
  );
  text = text.replace(/`([^`\n]+)`/g, (_, code: string) => protect(`\`${code}\``));
  // Links and images: keep both the words and the address.
  text = text.replace(/!\[([^\]]*)\]\(([^)\s]+)[^)]*\)/g, (_, alt: string, url: string) =>
    protect(alt ? `${alt} (${url})` : url),
  );
  text = text.replace(/\[([^\]]+)\]\(([^)\s]+)[^)]*\)/g, (_, label: string, url: string) =>
    protect(label === url ? url : `${label} (${url})`),
  );
  // Headings read as bold lines.
  text = text.replace(/^#{1,6}\s+(.+?)\s*#*$/gm, (_, heading: string) => `\uE001${heading}\uE001`);
  // Bold (** or __) becomes a placeholder so that the italic pass does not see it.
  text = text.replace(
    /(\*\*|__)(?=\S)([\s\S]*?\S)\1/g,
    (_, _marker: string, inner: string) => `\uE001${inner}\uE001`,
  );
  // Italic (* or _) becomes _..._; a lone '*' list bullet is left alone by the \S guards.
  text = text.replace(
    /(^|[^\w*])\*(?=\S)([^*\n]*?\S)\*(?!\w)/g,
    (_, before: string, inner: string) => `${before}_${inner}_`,
  );
  text = text.replace(/~~(?=\S)([\s\S]*?\S)~~/g, (_, inner: string) => `~${inner}~`);
  text = text.replace(/\uE001/g, '*');
  // Lists: "* item" and "+ item" would read as bold markers; WhatsApp lists use "- " or "1. ".
  text = text.replace(/^(\s*)[*+]\s+/gm, (_, indent: string) => `${indent}- `);
  // Horizontal rules and block quotes.
  text = text.replace(/^\s*([-*_])(\s*\1){2,}\s*$/gm, '──────────');
  text = text.replace(/^>\s?/gm, '> ');
  // Markdown escapes (\* \_ …) stand for the bare character.
  text = text.replace(/\\([\\`*_{}[\]()#+\-.!~>])/g, '$1');
  return text.replace(/\uE000(\d+)\uE000/g, (_, index: string) => protectedSpans[Number(index)] ?? '');
}
