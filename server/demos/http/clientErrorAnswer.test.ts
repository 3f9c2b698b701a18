// Node's answers to client errors, as the lab gives them: the same statuses Node's default handler writes.
import { describe, expect, it } from 'vitest';
import { clientErrorAnswer } from './clientErrorAnswer.js';

describe('clientErrorAnswer', () => {
  it("gives Node's statuses: 431 for a head too large, 408 for a slow head, 400 for the rest", () => {
    expect(clientErrorAnswer('HPE_HEADER_OVERFLOW').status).toBe(431);
    expect(clientErrorAnswer('ERR_HTTP_REQUEST_TIMEOUT').status).toBe(408);
    for (const code of ['HPE_INVALID_METHOD', 'HPE_UNEXPECTED_CONTENT_LENGTH', 'HPE_SOMETHING_NEW']) {
      expect(clientErrorAnswer(code).status).toBe(400);
    }
    expect(clientErrorAnswer('HPE_HEADER_OVERFLOW').bytes).toBe(
      'HTTP/1.1 431 Request Header Fields Too Large\r\nConnection: close\r\n\r\n',
    );
  });

  it('says nothing to a client that left', () => {
    expect(clientErrorAnswer('ECONNRESET')).toMatchObject({ status: null, bytes: '' });
  });

  it('explains each refusal in both languages', () => {
    for (const code of ['HPE_INVALID_TRANSFER_ENCODING', 'HPE_UNKNOWN', 'ERR_HTTP_REQUEST_TIMEOUT']) {
      const { why } = clientErrorAnswer(code);
      expect(why.en.length).toBeGreaterThan(10);
      expect(why.zh).toMatch(/[\u4e00-\u9fff]/);
    }
  });
});
