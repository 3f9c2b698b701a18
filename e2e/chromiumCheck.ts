// `npm test`'s first step: says which browser the walks will use, or stops at once with one line saying how to get one.
import { findChromium } from './chromiumOptions';

const choice = findChromium();
if (choice.ok) {
  console.log(
    `Walks run in ${choice.path} (${choice.source === 'CHROMIUM_PATH' ? 'CHROMIUM_PATH' : choice.source === 'system' ? 'installed on this system' : "Playwright's download"}).`,
  );
} else {
  console.error(choice.message);
  process.exit(1);
}
