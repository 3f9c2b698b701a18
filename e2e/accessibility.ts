// Runs axe-core (from npm, injected into the page) against the WCAG 2.0 and 2.1 A and AA rules, returns the
// violations, and fails a test with a readable list of them (rule, impact, the elements' selectors).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { expect, type Page } from '@playwright/test';

// Evaluated through the browser's debugging protocol rather than added as a <script>: the lab's CSP (script-src
// 'self') rightly refuses inline scripts, and the walks check the pages as served, CSP included.
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

export async function axeViolations(page: Page, include?: string): Promise<AxeViolation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  return page.evaluate(
    async ({ selector, tags }) => {
      const axe = (
        window as unknown as {
          axe: {
            run(
              ctx: unknown,
              opts: unknown,
            ): Promise<{
              violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[];
            }>;
          };
        }
      ).axe;
      const result = await axe.run(selector ? { include: [selector] } : document, {
        runOnly: { type: 'tag', values: tags },
      });
      return result.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        targets: v.nodes.map((n) => n.target.join(' ')),
      }));
    },
    { selector: include ?? null, tags: AXE_TAGS },
  );
}

/** One line per violation: rule id, impact, what it asks for, then the selectors of the elements that break it. */
export function describeViolations(violations: AxeViolation[]): string {
  return violations
    .map((v) => `${v.id} (${v.impact ?? 'no impact'}): ${v.help}\n    ${v.targets.join('\n    ')}`)
    .join('\n');
}

/** Fails with the readable list when axe finds anything; `where` says which page state was checked. */
export async function expectAccessible(page: Page, where: string, include?: string): Promise<void> {
  const violations = await axeViolations(page, include);
  expect(violations.length, `axe (${AXE_TAGS.join(', ')}) at ${where}:\n${describeViolations(violations)}`).toBe(0);
}
