// The pages the classroom answers with when it refuses a browser (401, 403, 429): both languages, no script,
// light and dark from the browser's own colour scheme. Pure.
import { ERROR_MESSAGES, type ErrorCode } from '../../core/protocol/errors.js';
import { JOIN_PAGE_PATH } from '../../core/protocol/classroom.js';

const TITLES: Record<number, { en: string; zh: string }> = {
  401: { en: 'Join the class first', zh: '请先加入课堂' },
  403: { en: 'Not allowed', zh: '不允许' },
  429: { en: 'Too many tries', zh: '尝试次数过多' },
};

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function refusalPage(status: number, code: ErrorCode): string {
  const title = TITLES[status] ?? TITLES[403]!;
  const message = ERROR_MESSAGES[code];
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>GoNet Lab: ${escapeHtml(title.en)} / ${escapeHtml(title.zh)}</title>
</head>
<body>
<main>
<h1>${escapeHtml(title.en)}</h1>
<p>${escapeHtml(message.en)}</p>
<p><a href="${JOIN_PAGE_PATH}">Open the join page</a></p>
<section lang="zh-CN">
<h2>${escapeHtml(title.zh)}</h2>
<p>${escapeHtml(message.zh)}</p>
<p><a href="${JOIN_PAGE_PATH}">打开加入页面</a></p>
</section>
<p><small>${code}</small></p>
</main>
</body>
</html>
`;
}
