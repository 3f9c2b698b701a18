// What Node's HTTP server answers when llhttp refuses a request (or its head arrives too slowly), and why, in the
// student's words. The statuses mirror Node's own default 'clientError' handling, so taking that event over (to
// observe it) changes nothing on the wire. Pure.
import type { LocalizedText } from '../../../core/protocol/errors.js';

export interface ClientErrorAnswer {
  /** Null: close without a word (the client hung up, or sent half a request and left). */
  status: number | null;
  /** The bytes to write before closing, when there is a status. */
  bytes: string;
  why: LocalizedText;
}

const REASON: Record<number, string> = {
  400: 'Bad Request',
  408: 'Request Timeout',
  431: 'Request Header Fields Too Large',
};

const WHY: Record<string, LocalizedText> = {
  HPE_INVALID_METHOD: {
    en: 'The start line does not begin with a method llhttp knows (GET, POST…): this is not an HTTP request.',
    zh: '起始行不是以 llhttp 认识的方法（GET、POST…）开头：这不是 HTTP 请求。',
  },
  HPE_INVALID_URL: { en: 'The request target is not a valid URL.', zh: '请求目标不是合法的 URL。' },
  HPE_INVALID_VERSION: { en: 'The HTTP version in the start line is not valid.', zh: '起始行中的 HTTP 版本不合法。' },
  HPE_HEADER_OVERFLOW: {
    en: 'The head (start line and headers) is larger than the server reads (16 KiB in Node, 1 MB by default in Go): 431.',
    zh: '请求头部（起始行加首部）超过了服务器愿意读取的大小（Node 为 16 KiB，Go 默认 1 MB）：431。',
  },
  HPE_INVALID_TRANSFER_ENCODING: {
    en: 'Transfer-Encoding is not plainly "chunked" at the end, or comes with Content-Length: two ways to find the body’s end, which a proxy and a server could read differently (request smuggling). Refused.',
    zh: 'Transfer-Encoding 的末尾不是单纯的“chunked”，或者与 Content-Length 同时出现：判断正文结束位置有两种方法，代理和服务器可能读出不同结果（请求走私）。因此拒绝。',
  },
  HPE_UNEXPECTED_CONTENT_LENGTH: {
    en: 'Content-Length appears twice, or beside Transfer-Encoding: the body’s end is ambiguous (request smuggling). Refused.',
    zh: 'Content-Length 出现了两次，或与 Transfer-Encoding 同时出现：正文的结束位置有歧义（请求走私）。因此拒绝。',
  },
  HPE_INVALID_HEADER_TOKEN: {
    en: 'A header name holds a character it may not (a space before the colon is a classic smuggling trick).',
    zh: '首部名称里有不允许的字符（冒号前加空格是经典的走私手法）。',
  },
  HPE_INVALID_CONTENT_LENGTH: { en: 'Content-Length is not a number.', zh: 'Content-Length 不是数字。' },
  HPE_INVALID_CHUNK_SIZE: { en: 'A chunk size is not hexadecimal.', zh: '某个分块的大小不是十六进制数。' },
  ERR_HTTP_REQUEST_TIMEOUT: {
    en: 'The request’s head did not arrive in time (the server’s header timeout, Go’s ReadHeaderTimeout): a slow client may not hold a connection forever. 408.',
    zh: '请求头部没有按时到齐（服务器的头部超时，即 Go 的 ReadHeaderTimeout）：慢客户端不能无限期占着连接。408。',
  },
};

const OTHER: LocalizedText = {
  en: 'llhttp could not parse the request (the code and reason say where).',
  zh: 'llhttp 无法解析该请求（错误码和原因说明了位置）。',
};

const GONE: LocalizedText = {
  en: 'The client closed or reset the connection in the middle of a request: nobody is left to answer.',
  zh: '客户端在请求中途关闭或重置了连接：已经没有人可以应答。',
};

/** Node's answer to a client error with this code (lib/_http_server.js, socketOnError's default). */
export function clientErrorAnswer(code: string): ClientErrorAnswer {
  if (code === 'ECONNRESET' || code === 'HPE_INVALID_EOF_STATE' || code === 'EPIPE') {
    return { status: null, bytes: '', why: GONE };
  }
  const status = code === 'HPE_HEADER_OVERFLOW' ? 431 : code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
  return {
    status,
    bytes: `HTTP/1.1 ${status} ${REASON[status]}\r\nConnection: close\r\n\r\n`,
    why: WHY[code] ?? OTHER,
  };
}
