import { describe, expect, it } from 'vitest';
import type { LabStatus } from '@core/protocol/wire';
import { splitLesson } from './LessonMarkdown';
import { fillPlaceholders } from './lessonPlaceholders';

const status: LabStatus = {
  protocol: 1,
  build: 'x',
  capabilities: {},
  demos: [
    {
      id: 'echo',
      title: { en: 'e', zh: 'e' },
      state: 'running',
      endpoints: [{ name: 'echo', protocol: 'tcp', host: '127.0.0.1', port: 7401 }],
    },
    {
      id: 'framing',
      title: { en: 'f', zh: 'f' },
      state: 'running',
      endpoints: [
        { name: 'fixed', protocol: 'tcp', host: '127.0.0.1', port: 7410 },
        { name: 'delimiter', protocol: 'tcp', host: '127.0.0.1', port: 7411 },
      ],
    },
  ],
};

describe('lesson placeholders', () => {
  it('fills host and ports of the running demos', () => {
    expect(fillPlaceholders('nc {{host}} {{port:echo}}', status)).toBe('nc 127.0.0.1 7401');
    expect(fillPlaceholders('{{port:framing:delimiter}}', status)).toBe('7411');
  });
  it('leaves unknown ports visible rather than inventing one', () => {
    expect(fillPlaceholders('{{port:nothing}}', status)).toBe('{{port:nothing}}');
    expect(fillPlaceholders('{{port:echo}}', null)).toBe('{{port:echo}}');
  });
});

describe('splitLesson', () => {
  it('turns mermaid blocks into diagram parts and the rest into HTML', () => {
    const parts = splitLesson('# A\n\ntext\n\n```mermaid\ngraph TD; a-->b\n```\n\n```go\nfunc main() {}\n```\n');
    expect(parts.map((p) => p.kind)).toEqual(['html', 'mermaid', 'html']);
    expect(parts[1]).toEqual({ kind: 'mermaid', code: 'graph TD; a-->b' });
    expect(parts[2]!.kind === 'html' && parts[2]!.html).toContain('func main()');
  });
});
