// Stable error codes that cross the wire, each with a message in English and Chinese. Shared by server and web.

/** Text in both of the lab's languages. */
export interface LocalizedText {
  en: string;
  zh: string;
}

export const ERROR_MESSAGES = {
  // WebSocket edge
  E_BAD_JSON: {
    en: 'The message is not valid JSON. Send one JSON object per WebSocket message.',
    zh: '消息不是合法的 JSON。每条 WebSocket 消息应是一个 JSON 对象。',
  },
  E_MESSAGE_TOO_LARGE: {
    en: 'The message is larger than the lab accepts (64 KiB). Send smaller messages.',
    zh: '消息超过实验室接受的上限(64 KiB)。请发送更小的消息。',
  },
  E_BAD_MESSAGE: {
    en: 'The message does not match the lab protocol. Check the fields named in the detail.',
    zh: '消息不符合实验室协议。请检查详情中列出的字段。',
  },
  E_BINARY_NOT_ACCEPTED: {
    en: 'Binary WebSocket messages are not accepted. Send JSON text.',
    zh: '不接受二进制 WebSocket 消息。请发送 JSON 文本。',
  },
  E_PROTOCOL_MISMATCH: {
    en: 'This page was built for another version of the lab. Reload the page.',
    zh: '此页面来自另一个版本的实验室。请刷新页面。',
  },
  E_NOT_READY: {
    en: 'Say hello first: the first message must be {"type":"hello"}.',
    zh: '请先发送 hello:第一条消息必须是 {"type":"hello"}。',
  },
  E_RATE_LIMITED: {
    en: 'Too many messages in a short time. Slow down and try again.',
    zh: '短时间内消息过多。请放慢速度再试。',
  },
  // Demos
  E_UNKNOWN_DEMO: {
    en: 'No demo with that name is running. See /api/status for the running demos.',
    zh: '没有这个名字的演示在运行。运行中的演示见 /api/status。',
  },
  E_UNKNOWN_ACTION: {
    en: 'The demo has no such action.',
    zh: '该演示没有这个操作。',
  },
  E_BAD_ARGS: {
    en: 'The arguments of the action are not valid. Check the fields named in the detail.',
    zh: '操作的参数无效。请检查详情中列出的字段。',
  },
  E_ACTION_FAILED: {
    en: 'The action failed. The detail says why.',
    zh: '操作失败。详情中说明了原因。',
  },
  E_NO_SUCH_CLIENT: {
    en: 'That client connection is not open (it may have closed). Open a new one.',
    zh: '该客户端连接未打开(可能已关闭)。请新建一个连接。',
  },
  E_TOO_MANY_CLIENTS: {
    en: 'Too many client connections are open. Close some first.',
    zh: '打开的客户端连接过多。请先关闭一些。',
  },
  E_PORT_IN_USE: {
    en: 'The port is already in use. Stop the program using it or choose another port with the flag shown.',
    zh: '端口已被占用。请停止占用它的程序,或用提示中的参数换一个端口。',
  },
  // Framing (issue 4): decoders of fixed-length, delimited and length-prefixed streams
  E_FRAME_TOO_LARGE: {
    en: 'The frame is larger than the maximum frame size. The connection was closed before the lab allocated memory for it.',
    zh: '帧超过了最大帧长度。实验室在为它分配内存之前就关闭了连接。',
  },
  E_TRUNCATED_FRAME: {
    en: 'The stream ended in the middle of a frame: the peer closed before sending all of it.',
    zh: '数据流在一帧的中间结束:对端在发完整帧之前就关闭了连接。',
  },
  E_LINE_TOO_LONG: {
    en: 'No delimiter arrived within the maximum line length. The connection was closed.',
    zh: '在最大行长度之内没有出现分隔符。连接已关闭。',
  },
  E_BAD_VARINT: {
    en: 'The length prefix is not a valid unsigned varint (more than 10 bytes, or it overflows 64 bits).',
    zh: '长度前缀不是合法的无符号 varint(超过 10 个字节,或溢出 64 位)。',
  },
  E_BAD_ESCAPE: {
    en: 'The line holds an escape byte that is not followed by a valid escape sequence.',
    zh: '该行包含一个转义字节,但其后不是合法的转义序列。',
  },
  E_DELIMITER_IN_MESSAGE: {
    en: 'The message contains the delimiter and escaping is off, so it cannot be sent as one line.',
    zh: '消息中含有分隔符且未开启转义,因此无法作为一行发送。',
  },
  // Packets and TCP states (issue 3): the capture and kernel-state observers
  E_CAPTURE_NOT_PERMITTED: {
    en: 'Packet capture is not permitted for the user running the lab, so real packets cannot be shown. The lab goes on with polled kernel states and labelled models.',
    zh: '运行实验室的用户没有抓包权限,因此无法显示真实的数据包。实验室将继续使用轮询到的内核状态和标注为模型的推断。',
  },
  E_CAPTURE_NO_TCPDUMP: {
    en: 'tcpdump was not found, so real packets cannot be shown. Install tcpdump; the lab goes on with polled kernel states and labelled models.',
    zh: '找不到 tcpdump,因此无法显示真实的数据包。请安装 tcpdump;实验室将继续使用轮询到的内核状态和标注为模型的推断。',
  },
  E_CAPTURE_FAILED: {
    en: 'The packet capture stopped unexpectedly. Packets after this point are missing; the detail says what tcpdump reported.',
    zh: '抓包意外停止。此后的数据包缺失;详情中是 tcpdump 报告的内容。',
  },
  E_PCAP_BAD_MAGIC: {
    en: 'The capture output is not a pcap stream, so it cannot be decoded.',
    zh: '抓包输出不是 pcap 数据流,无法解码。',
  },
  E_PCAP_UNSUPPORTED_LINK_TYPE: {
    en: 'The capture uses a link type the lab does not decode; its packets are skipped.',
    zh: '抓包使用了实验室不解码的链路类型;其数据包被跳过。',
  },
  E_PCAP_CORRUPT_RECORD: {
    en: 'A pcap record header is impossible (length or timestamp out of range); the rest of the capture cannot be read.',
    zh: 'pcap 记录头不合理(长度或时间戳超出范围);抓包的其余部分无法读取。',
  },
  E_PCAP_TRUNCATED_RECORD: {
    en: 'The capture ended in the middle of a record (tcpdump was stopped while writing); that packet is missing.',
    zh: '抓包在一条记录的中间结束(tcpdump 在写入时被停止);该数据包缺失。',
  },
  E_PACKET_MALFORMED: {
    en: 'A captured packet is malformed (a header is cut short or impossible); it was skipped and decoding goes on.',
    zh: '捕获的数据包格式错误(某个头部被截断或不合理);已跳过该包,解码继续。',
  },
  E_STATE_POLL_UNAVAILABLE: {
    en: 'The kernel socket table cannot be read on this system, so TCP states are not polled. States shown are inferred from packets and labelled as models.',
    zh: '无法在本系统上读取内核套接字表,因此不轮询 TCP 状态。显示的状态由数据包推断,并标注为模型。',
  },
  E_INTERNAL: {
    en: 'Something went wrong inside the lab. The lab is still running; the detail says what failed.',
    zh: '实验室内部出错。实验室仍在运行;详情说明了失败的原因。',
  },
} as const satisfies Record<string, LocalizedText>;

export type ErrorCode = keyof typeof ERROR_MESSAGES;

/** An error as it crosses the wire: a stable code, a message in both languages, and optional detail. */
export interface WireError {
  code: ErrorCode;
  message: LocalizedText;
  detail?: string;
}

export function wireError(code: ErrorCode, detail?: string): WireError {
  return detail === undefined
    ? { code, message: ERROR_MESSAGES[code] }
    : { code, message: ERROR_MESSAGES[code], detail };
}

/** An Error that carries a wire code, thrown inside the server and turned into a WireError at the edge. */
export class LabError extends Error {
  constructor(
    readonly code: ErrorCode,
    detail?: string,
  ) {
    super(detail ?? ERROR_MESSAGES[code].en);
    this.name = 'LabError';
  }

  toWire(): WireError {
    return wireError(this.code, this.message);
  }
}
