// Imported first by the page: zod compiles object parsers with new Function when it may, and probes for that the
// first time it parses; the page's CSP forbids eval, so the probe would be reported as a violation. The page parses
// small messages, so parsing without compiled parsers costs nothing noticeable.
import { z } from 'zod';

z.config({ jitless: true });
