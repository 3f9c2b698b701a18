// A failed command is told in the student's language from the registry, whatever language the server's copy of
// the text is in, with the server's detail kept; an error that is not a command's is shown as its message.
import { describe, expect, it } from 'vitest';
import { ERROR_MESSAGES, wireError } from '@core/protocol/errors';
import { CommandError } from '../../net/labSocket';
import { commandErrorText, wireErrorText } from './useDemoCommand';

describe('command error text', () => {
  it("uses the registry's text in the current language, and appends the detail", () => {
    const err = new CommandError(wireError('E_BAD_ARGS', 'size: Too big'));
    expect(commandErrorText(err, 'zh')).toBe(`E_BAD_ARGS: ${ERROR_MESSAGES.E_BAD_ARGS.zh} (size: Too big)`);
    expect(commandErrorText(err, 'en')).toBe(`E_BAD_ARGS: ${ERROR_MESSAGES.E_BAD_ARGS.en} (size: Too big)`);
    expect(wireErrorText(wireError('E_LAB_DISCONNECTED'), 'zh')).toBe(
      `E_LAB_DISCONNECTED: ${ERROR_MESSAGES.E_LAB_DISCONNECTED.zh}`,
    );
  });

  it('prefers the registry over the text on the wire, and falls back to the wire for a code this page does not know', () => {
    const stale = { code: 'E_BAD_ARGS' as const, message: { en: 'old text', zh: '旧文本' } };
    expect(wireErrorText(stale, 'zh')).toBe(`E_BAD_ARGS: ${ERROR_MESSAGES.E_BAD_ARGS.zh}`);
    const newer = { code: 'E_FROM_A_NEWER_LAB', message: { en: 'new', zh: '新的' } } as unknown as Parameters<
      typeof wireErrorText
    >[0];
    expect(wireErrorText(newer, 'zh')).toBe('E_FROM_A_NEWER_LAB: 新的');
  });

  it('shows other errors by their message', () => {
    expect(commandErrorText(new Error('boom'), 'zh')).toBe('boom');
    expect(commandErrorText('plain', 'en')).toBe('plain');
  });
});
