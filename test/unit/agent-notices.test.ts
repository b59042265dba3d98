import { describe, expect, it } from 'vitest';
import { AGENT_ATTACHMENT_RULES } from '../../shared/domain/agent-attachment-rules.js';
import { messagePreview, PREVIEW_LIMIT } from '../../shared/domain/agent-notices.js';

describe('naming a message in a notice', () => {
  it('keeps a short message whole, with its spacing tidied', () => {
    // Act
    const preview = messagePreview('  Your order\n  has shipped ');

    // Assess
    expect(preview).toBe('Your order has shipped');
  });

  it.each([
    'Your refund of 40 euros was approved this morning and will arrive soon',
    'Hello, Maria. We have checked your account and found the missing payment',
    'a b c d e f g h i j k l m n o p q r s t u v w x y z a b c d e f',
  ])('cuts a long message on a word boundary within the limit: %s', (text) => {
    // Act
    const preview = messagePreview(text);

    // Assess
    expect(preview.length).toBeLessThanOrEqual(PREVIEW_LIMIT);
    expect(preview.endsWith('…')).toBe(true);
    const words = preview.slice(0, -1);
    expect(text.startsWith(words)).toBe(true);
    expect(text.charAt(words.length)).toMatch(/[\s,.]/);
  });

  it('cuts a single very long word hard', () => {
    // Act
    const preview = messagePreview('x'.repeat(100));

    // Assess
    expect(preview).toBe(`${'x'.repeat(PREVIEW_LIMIT - 1)}…`);
  });
});

describe('agent attachment rules', () => {
  // Connect chat's attachment types (admin guide, "Feature specifications").
  const connectTypes = 'csv doc docx heic jfif jpeg jpg mov mp4 pdf png ppt pptx rtf txt wav xls xlsx'.split(
    ' ',
  );

  it.each(connectTypes)('decides explicitly what happens to .%s', (extension) => {
    // Act
    const rule = AGENT_ATTACHMENT_RULES[extension];

    // Assess
    expect(rule).toBeDefined();
  });
});
