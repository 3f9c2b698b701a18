// Fills a lesson's live placeholders with the running lab's values: {{host}}, {{port:echo}}, {{port:demo:endpoint}}.
import type { LabStatus } from '@core/protocol/wire';

export function fillPlaceholders(markdown: string, status: LabStatus | null): string {
  return markdown.replace(
    /\{\{(host|port):?([a-z0-9-]*)(?::([a-z0-9-]+))?\}\}/g,
    (whole, what: string, demoId: string, endpoint?: string) => {
      const demo = status?.demos.find((d) => d.id === (demoId || status?.demos[0]?.id));
      const ep = demo?.endpoints.find((e) => !endpoint || e.name === endpoint) ?? demo?.endpoints[0];
      if (what === 'host') return ep?.host ?? status?.demos.flatMap((d) => d.endpoints)[0]?.host ?? '127.0.0.1';
      return ep ? String(ep.port) : whole;
    },
  );
}
