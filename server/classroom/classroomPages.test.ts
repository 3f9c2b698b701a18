import { describe, expect, it } from 'vitest';
import { ERROR_MESSAGES } from '../../core/protocol/errors.js';
import { refusalPage } from './classroomPages.js';

describe('refusal pages', () => {
  it('say what happened and what to do in both languages, with the code and a way to the join page', () => {
    const page = refusalPage(401, 'E_CLASS_SESSION_EXPIRED');
    expect(page).toContain('Join the class first');
    expect(page).toContain('请先加入课堂');
    expect(page).toContain(ERROR_MESSAGES.E_CLASS_SESSION_EXPIRED.en.replace(/'/g, '&#39;'));
    expect(page).toContain(ERROR_MESSAGES.E_CLASS_SESSION_EXPIRED.zh);
    expect(page).toContain('E_CLASS_SESSION_EXPIRED');
    expect(page).toContain('<a href="/join">');
    expect(page).toContain('<section lang="zh-CN">');
    expect(page).not.toContain('<script');
  });

  it('escapes the text it shows', () => {
    expect(refusalPage(403, 'E_CLASS_INSTRUCTOR_ONLY')).toContain('lab&#39;s own computer');
  });
});
