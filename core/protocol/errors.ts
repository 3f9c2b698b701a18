// Stable error codes that cross the wire, each with a message in English and Chinese. Shared by server and web.
import { formatBytes, MAX_CLIENT_MESSAGE_BYTES, MAX_CONTROL_MESSAGE_BYTES } from './messageLimits.js';

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
    en: `The message is larger than the lab accepts (${formatBytes(MAX_CLIENT_MESSAGE_BYTES)}). Send smaller messages.`,
    zh: `消息超过实验室接受的上限（${formatBytes(MAX_CLIENT_MESSAGE_BYTES)}）。请发送更小的消息。`,
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
    zh: '请先发送 hello：第一条消息必须是 {"type":"hello"}。',
  },
  E_LAB_DISCONNECTED: {
    en: 'The page is not connected to the lab right now. It reconnects by itself; try again in a moment.',
    zh: '页面当前没有连接到实验室。它会自动重连，请稍后再试。',
  },
  // Request guard (issue 12): Host and Origin of every HTTP request and WebSocket upgrade
  E_HOST_NOT_ALLOWED: {
    en: 'This lab does not answer to that host name. Open the lab by the address its banner prints (or ask the instructor to start it with --allow-host NAME).',
    zh: '实验室不响应这个主机名。请使用启动横幅中打印的地址打开实验室（或请讲师用 --allow-host NAME 启动）。',
  },
  E_ORIGIN_NOT_ALLOWED: {
    en: 'A page from another site may not use this lab. Open the lab in its own tab, by the address its banner prints.',
    zh: '其他网站的页面不能使用本实验室。请在单独的标签页中通过启动横幅打印的地址打开实验室。',
  },
  E_ORIGIN_REQUIRED: {
    en: "This request needs an Origin header: WebSockets and requests that change something are accepted only from the lab's own pages.",
    zh: '这个请求需要 Origin 头：WebSocket 和会修改状态的请求只接受来自实验室自身页面的请求。',
  },
  E_RATE_LIMITED: {
    en: 'Too many messages in a short time. Slow down and try again.',
    zh: '短时间内消息过多。请放慢速度再试。',
  },
  // HTTP API (/api/...)
  E_METHOD: {
    en: 'The lab answers only GET (and HEAD) requests here. Open the address in a browser or use GET.',
    zh: '这里的实验室接口只接受 GET（和 HEAD）请求。请在浏览器中打开该地址，或使用 GET。',
  },
  E_NO_SUCH_LESSON: {
    en: 'There is no lesson with that name. See /api/lessons for the list of lessons.',
    zh: '没有这个名字的课程。课程列表见 /api/lessons。',
  },
  E_BAD_LESSON: {
    en: 'The lesson exists but could not be loaded (its files are malformed). The detail names the file and field to fix.',
    zh: '课程存在但无法加载（它的文件格式有误）。详情中指出了需要修改的文件和字段。',
  },
  E_NOT_FOUND: {
    en: 'The lab has no API at that address. See /api/status and /api/lessons.',
    zh: '实验室在这个地址上没有接口。可用的接口见 /api/status 和 /api/lessons。',
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
  E_NOT_OWNER: {
    en: 'Another page started this run, so only that page can stop or change it.',
    zh: '这次运行是另一个页面启动的，只有那个页面可以停止或修改它。',
  },
  E_INSTRUCTOR_ONLY: {
    en: 'This shared demo is changed by the instructor only (a browser on the lab’s own machine).',
    zh: '这个共享演示只能由讲师修改（在实验室所在机器上的浏览器）。',
  },
  E_DEMO_IN_USE: {
    en: 'Another page is running this shared demo right now. Wait for its run to end, then try again.',
    zh: '另一个页面正在运行这个共享演示。请等它的运行结束后再试。',
  },
  E_DEMO_FULL: {
    en: 'This demo server has as many connections open as it allows. Close one of yours (or wait) and connect again.',
    zh: '这个演示服务器打开的连接已达上限。请关闭你的一个连接（或稍等）后再连接。',
  },
  E_DEMO_IDLE: {
    en: 'The demo server closed this connection because nothing was sent for a long time. Connect again when you need it.',
    zh: '由于长时间没有发送任何数据，演示服务器关闭了这个连接。需要时请重新连接。',
  },
  E_NO_SUCH_CLIENT: {
    en: 'That client connection is not open (it may have closed). Open a new one.',
    zh: '该客户端连接未打开（可能已关闭）。请新建一个连接。',
  },
  E_TOO_MANY_CLIENTS: {
    en: 'Too many client connections are open. Close some first.',
    zh: '打开的客户端连接过多。请先关闭一些。',
  },
  E_PORT_IN_USE: {
    en: 'The port is already in use. Stop the program using it or choose another port with the flag shown.',
    zh: '端口已被占用。请停止占用它的程序，或用提示中的参数换一个端口。',
  },
  // Framing (issue 4): decoders of fixed-length, delimited and length-prefixed streams
  E_FRAME_TOO_LARGE: {
    en: 'The frame is larger than the maximum frame size. The connection was closed before the lab allocated memory for it.',
    zh: '帧超过了最大帧长度。实验室在为它分配内存之前就关闭了连接。',
  },
  E_TRUNCATED_FRAME: {
    en: 'The stream ended in the middle of a frame: the peer closed before sending all of it.',
    zh: '数据流在一帧的中间结束：对端在发完整帧之前就关闭了连接。',
  },
  E_LINE_TOO_LONG: {
    en: 'No delimiter arrived within the maximum line length. The connection was closed.',
    zh: '在最大行长度之内没有出现分隔符。连接已关闭。',
  },
  E_BAD_VARINT: {
    en: 'The length prefix is not a valid unsigned varint (more than 10 bytes, or it overflows 64 bits).',
    zh: '长度前缀不是合法的无符号 varint（超过 10 个字节，或溢出 64 位）。',
  },
  E_BAD_ESCAPE: {
    en: 'The line holds an escape byte that is not followed by a valid escape sequence.',
    zh: '该行包含一个转义字节，但其后不是合法的转义序列。',
  },
  E_DELIMITER_IN_MESSAGE: {
    en: 'The message contains the delimiter and escaping is off, so it cannot be sent as one line.',
    zh: '消息中含有分隔符且未开启转义，因此无法作为一行发送。',
  },
  // Packets and TCP states (issue 3): the capture and kernel-state observers
  E_CAPTURE_NOT_PERMITTED: {
    en: 'Packet capture is not permitted for the user running the lab, so real packets cannot be shown. The lab goes on with polled kernel states and labelled models.',
    zh: '运行实验室的用户没有抓包权限，因此无法显示真实的数据包。实验室将继续使用轮询到的内核状态和标注为模型的推断。',
  },
  E_CAPTURE_NO_TCPDUMP: {
    en: 'tcpdump was not found, so real packets cannot be shown. Install tcpdump; the lab goes on with polled kernel states and labelled models.',
    zh: '找不到 tcpdump，因此无法显示真实的数据包。请安装 tcpdump；实验室将继续使用轮询到的内核状态和标注为模型的推断。',
  },
  E_CAPTURE_FAILED: {
    en: 'The packet capture stopped unexpectedly. Packets after this point are missing; the detail says what tcpdump reported.',
    zh: '抓包意外停止。此后的数据包缺失；详情中是 tcpdump 报告的内容。',
  },
  E_PCAP_BAD_MAGIC: {
    en: 'The capture output is not a pcap stream, so it cannot be decoded.',
    zh: '抓包输出不是 pcap 数据流，无法解码。',
  },
  E_PCAP_UNSUPPORTED_LINK_TYPE: {
    en: 'The capture uses a link type the lab does not decode; its packets are skipped.',
    zh: '抓包使用了实验室不解码的链路类型；其数据包被跳过。',
  },
  E_PCAP_CORRUPT_RECORD: {
    en: 'A pcap record header is impossible (length or timestamp out of range); the rest of the capture cannot be read.',
    zh: 'pcap 记录头不合理（长度或时间戳超出范围）；抓包的其余部分无法读取。',
  },
  E_PCAP_TRUNCATED_RECORD: {
    en: 'The capture ended in the middle of a record (tcpdump was stopped while writing); that packet is missing.',
    zh: '抓包在一条记录的中间结束（tcpdump 在写入时被停止）；该数据包缺失。',
  },
  E_PACKET_MALFORMED: {
    en: 'A captured packet is malformed (a header is cut short or impossible); it was skipped and decoding goes on.',
    zh: '抓到的数据包格式错误（某个头部被截断或不合理）；已跳过该包，解码继续。',
  },
  E_STATE_POLL_UNAVAILABLE: {
    en: 'The kernel socket table cannot be read on this system, so TCP states are not polled. States shown are inferred from packets and labelled as models.',
    zh: '无法在本系统上读取内核套接字表，因此不轮询 TCP 状态。显示的状态由数据包推断，并标注为模型。',
  },
  // Socket bridge (issue 6): real loopback sockets for snippets running in the browser
  E_BRIDGE_BAD_ADDRESS: {
    en: 'The address is not host:port. Write it as Go does, for example "127.0.0.1:7401" or "127.0.0.1:0".',
    zh: '地址不是 host:port 形式。请按 Go 的写法书写，例如“127.0.0.1:7401”或“127.0.0.1:0”。',
  },
  E_BRIDGE_NOT_LOOPBACK: {
    en: 'Snippets use loopback only: dial or listen on 127.0.0.1, ::1 or localhost.',
    zh: '代码片段只能使用回环地址：请在 127.0.0.1、::1 或 localhost 上拨号或监听。',
  },
  E_BRIDGE_DIAL_NOT_ALLOWED: {
    en: "A snippet may dial only the lab's demo endpoints and its own listeners, each at its exact address and port. The detail lists what it may dial.",
    zh: '代码片段只能连接实验室演示的端点和它自己的监听器，且地址和端口都必须完全一致。详情中列出了可以连接的地址。',
  },
  E_BRIDGE_PRIVILEGED_PORT: {
    en: 'Ports below 1024 are reserved. Listen on port 0 (the kernel picks a free one) or on a port above 1023.',
    zh: '1024 以下的端口是保留端口。请监听端口 0（由内核挑选空闲端口）或 1023 以上的端口。',
  },
  E_BRIDGE_PORT_IN_USE: {
    en: 'That port is already in use on the lab machine. Listen on "127.0.0.1:0" and print ln.addr() to see the port you got.',
    zh: '该端口在实验室机器上已被占用。请监听“127.0.0.1:0”，并打印 ln.addr() 查看分配到的端口。',
  },
  E_BRIDGE_CONNECT_REFUSED: {
    en: 'Connection refused: nothing is listening on that port (the listener may have closed).',
    zh: '连接被拒绝：该端口上没有程序在监听（监听器可能已经关闭）。',
  },
  E_BRIDGE_TOO_MANY_SOCKETS: {
    en: 'Too many open connections for one snippet. Close connections you no longer use; the limit is in the detail.',
    zh: '一个代码片段打开的连接过多。请关闭不再使用的连接；上限见详情。',
  },
  E_BRIDGE_TOO_MANY_LISTENERS: {
    en: 'Too many listeners for one snippet. Close listeners you no longer use; the limit is in the detail.',
    zh: '一个代码片段打开的监听器过多。请关闭不再使用的监听器；上限见详情。',
  },
  E_BRIDGE_RATE_LIMITED: {
    en: 'The snippet asked the bridge for too many dials, listens or closes in a short time; this request was refused.',
    zh: '代码片段在短时间内请求了过多的拨号、监听或关闭；这个请求被拒绝了。',
  },
  E_BRIDGE_THROTTLED: {
    en: 'The snippet moves more bytes per second than the bridge allows; it is slowed down to the limit in the detail.',
    zh: '代码片段每秒传输的字节数超过了桥接允许的上限；已被限速到详情中的速率。',
  },
  E_BRIDGE_WINDOW_EXCEEDED: {
    en: 'The browser sent more bytes than its flow-control window allows. The bridge session was closed.',
    zh: '浏览器发送的字节数超过了流量控制窗口的允许范围。桥接会话已关闭。',
  },
  E_BRIDGE_BAD_FRAME: {
    en: 'A binary bridge message is malformed. The bridge session was closed.',
    zh: '一条二进制桥接消息格式错误。桥接会话已关闭。',
  },
  E_BRIDGE_NO_SUCH_SOCKET: {
    en: 'That connection or listener is not open on the bridge (it may have closed already).',
    zh: '桥接上没有打开这个连接或监听器（它可能已经关闭）。',
  },
  E_BRIDGE_BUSY: {
    en: 'The lab has as many snippet sessions as it can serve right now. Close other tabs or try again shortly.',
    zh: '实验室当前的代码片段会话已达上限。请关闭其他标签页或稍后再试。',
  },
  E_BRIDGE_CLIENT_BUSY: {
    en: 'This computer has as many snippet sessions open as one computer may. Close other lab tabs and run again.',
    zh: '这台电脑打开的代码片段会话已达单台电脑的上限。请关闭其他实验室标签页后再运行。',
  },
  E_BRIDGE_CAPTURE_BUSY: {
    en: 'The lab is already capturing as many runs as it can, so this run’s packets or kernel states are not shown. Its sockets still work.',
    zh: '实验室正在抓包的运行已达上限，所以不显示本次运行的数据包或内核状态。它的套接字照常工作。',
  },
  E_BRIDGE_PORT_SHADOWED: {
    en: 'That port is already held on the other loopback address (127.0.0.1 or ::1) by another program, another snippet or the lab itself; a listener beside it would take its clients. Listen on "127.0.0.1:0" instead.',
    zh: '该端口已被其他程序、其他代码片段或实验室本身占用在另一个回环地址（127.0.0.1 或 ::1）上；在旁边监听会抢走它的客户端。请改为监听“127.0.0.1:0”。',
  },
  E_BRIDGE_CLOSED: {
    en: 'The connection to the lab server was lost, so every socket of this run is closed.',
    zh: '与实验室服务器的连接已断开，本次运行的所有套接字都已关闭。',
  },
  E_BRIDGE_CAPTURE_SAMPLED: {
    en: 'A connection of this run is busy: only part of its data segments are shown. Handshakes, FINs, resets and zero windows always are.',
    zh: '本次运行的某个连接很繁忙：只显示其部分数据报文段。握手、FIN、RST 和零窗口总会显示。',
  },
  E_BRIDGE_CONTROL_TOO_LARGE: {
    en: `A bridge control message is larger than the lab accepts (${formatBytes(MAX_CONTROL_MESSAGE_BYTES)}). The bridge session was closed.`,
    zh: `桥接控制消息超过实验室接受的上限（${formatBytes(MAX_CONTROL_MESSAGE_BYTES)}）。桥接会话已关闭。`,
  },
  E_BRIDGE_CAPTURE_LIMIT: {
    en: 'Packet capture and kernel states follow only the first connections of a run; the later ones still work but are not shown.',
    zh: '抓包和内核状态只跟踪本次运行的前几个连接；之后的连接照常工作，但不再显示。',
  },
  // Snippet runner (issue 6): student code running in a browser Web Worker
  E_SNIPPET_SYNTAX: {
    en: 'The code does not compile. The marker in the editor shows where.',
    zh: '代码无法编译。编辑器中的标记指出了位置。',
  },
  E_SNIPPET_NO_MAIN: {
    en: 'There is nothing to run: export an async function main(), as a Go program has func main().',
    zh: '没有可运行的内容：请导出 async function main()，就像 Go 程序有 func main() 一样。',
  },
  E_SNIPPET_TIME_LIMIT: {
    en: 'The program ran past its time limit and was stopped. Its sockets on the lab server were closed.',
    zh: '程序超过了运行时间上限，已被停止。它在实验室服务器上的套接字都已关闭。',
  },
  E_SNIPPET_OUTPUT_LIMIT: {
    en: 'The program printed more than the console keeps and was stopped.',
    zh: '程序输出超过了控制台的上限，已被停止。',
  },
  E_SNIPPET_TOO_MANY_GOROUTINES: {
    en: 'The program started more goroutines than the lab allows at once and was stopped.',
    zh: '程序同时启动的 goroutine 超过了实验室的上限，已被停止。',
  },
  E_SNIPPET_UNRESPONSIVE: {
    en: 'The program stopped answering (a loop that never awaits, or it ran out of memory) and was stopped.',
    zh: '程序失去响应（一个从不 await 的循环，或内存耗尽），已被停止。',
  },
  E_SNIPPET_STOPPED: {
    en: 'Stopped. Every socket the program had on the lab server was closed.',
    zh: '已停止。程序在实验室服务器上的所有套接字都已关闭。',
  },
  E_SNIPPET_CHECK_TIMEOUT: {
    en: 'The check did not finish in time: the code is probably waiting for something that never comes.',
    zh: '检查没有按时完成：代码可能在等待永远不会到来的东西。',
  },
  // Classroom (issue 12): joining a LAN lab with a code, sessions, the instructor's controls, the progress store
  E_CLASS_JOIN_REQUIRED: {
    en: 'Join the class first: open the join page, enter the join code your instructor shows and your name.',
    zh: '请先加入课堂：打开加入页面，输入老师展示的加入码和你的名字。',
  },
  E_CLASS_BAD_CODE: {
    en: "That join code is not this class's code. Check the code your instructor shows and try again.",
    zh: '这个加入码不是本课堂的。请核对老师展示的加入码后重试。',
  },
  E_CLASS_TOO_MANY_TRIES: {
    en: 'Too many wrong join codes from this computer. Wait a few minutes, then enter the code your instructor shows.',
    zh: '这台电脑输错加入码的次数过多。请等几分钟，再输入老师展示的加入码。',
  },
  E_CLASS_BAD_NAME: {
    en: 'Enter a display name of 1 to 40 characters (letters, digits, spaces and common punctuation).',
    zh: '请输入 1 到 40 个字符的显示名（字母、数字、空格和常用标点）。',
  },
  E_CLASS_NAME_TAKEN: {
    en: 'Someone in this class is already using that name in another browser. Choose another name, or ask your instructor to remove the old one.',
    zh: '本课堂已有人在另一个浏览器中使用这个名字。请换一个名字，或请老师移除旧的那个。',
  },
  E_CLASS_FULL: {
    en: 'The class is full. Ask your instructor to raise the class size (--class-size) or to remove someone who left.',
    zh: '课堂已满。请老师调大课堂人数（--class-size），或移除已离开的人。',
  },
  E_CLASS_SESSION_INVALID: {
    en: 'Your class session is not valid (it may have been removed by the instructor). Join the class again.',
    zh: '你的课堂会话无效（可能已被老师移除）。请重新加入课堂。',
  },
  E_CLASS_SESSION_EXPIRED: {
    en: 'Your class session has expired. Join again with the code and the same name: your work is kept.',
    zh: '你的课堂会话已过期。请用加入码和同一个名字重新加入：你的进度仍然保留。',
  },
  E_CLASS_INSTRUCTOR_ONLY: {
    en: "Only the instructor can do this: use the lab's own computer, or the instructor link printed when the lab started.",
    zh: '只有老师可以这样做：请在运行实验室的电脑上操作，或使用实验室启动时打印的老师链接。',
  },
  E_CLASS_NO_SUCH_STUDENT: {
    en: 'No student with that id is in the class. Reload the roster.',
    zh: '课堂中没有这个编号的学生。请刷新名单。',
  },
  E_CLASS_DATA_READ_ONLY: {
    en: "The lab cannot write its data folder, so students' progress could not be kept. Make the folder writable or choose another with --data DIR.",
    zh: '实验室无法写入数据文件夹，学生的进度将无法保存。请让该文件夹可写，或用 --data DIR 选择另一个文件夹。',
  },
  E_CLASS_DATA_CORRUPT: {
    en: 'The classroom database file is damaged, so the lab did not start (it would not overwrite it). Restore it from a backup, or move it away to start an empty class.',
    zh: '课堂数据库文件已损坏，因此实验室没有启动（它不会覆盖该文件）。请从备份恢复，或把它移走以开始一个空课堂。',
  },
  E_CLASS_DATA_TOO_NEW: {
    en: 'The classroom database was written by a newer version of the lab. Update the lab, or choose another folder with --data DIR.',
    zh: '课堂数据库由更新版本的实验室写入。请更新实验室，或用 --data DIR 选择另一个文件夹。',
  },
  // Go runs (issue 14): a student's Go program built and run with the lab machine's Go toolchain
  E_GO_NOT_INSTALLED: {
    en: "Go is not installed on the lab's machine (no `go` on its PATH). Install it (Debian/Ubuntu: sudo apt install golang-go; macOS: brew install go; or https://go.dev/dl/) and restart the lab.",
    zh: '实验室所在的机器上没有安装 Go（PATH 中找不到 `go`）。请安装（Debian/Ubuntu：sudo apt install golang-go；macOS：brew install go；或 https://go.dev/dl/），然后重启实验室。',
  },
  E_GO_COMPILE: {
    en: 'The program does not compile. The errors list file:line:column; fix them and run again.',
    zh: '程序无法编译。错误列出了文件：行：列；改正后再运行。',
  },
  E_GO_BUILD_FAILED: {
    en: 'The Go toolchain failed to build the program (not a compile error in your code). The detail has its message; check the Go installation.',
    zh: 'Go 工具链构建程序失败（不是你代码里的编译错误）。详情中有它的输出；请检查 Go 的安装。',
  },
  E_GO_TIME_LIMIT: {
    en: "The program ran past the lab's time limit and was stopped, with every process it started.",
    zh: '程序超过了实验室的运行时间上限，已被停止，它启动的所有进程也一并停止。',
  },
  E_GO_CPU_LIMIT: {
    en: 'The program used up its CPU time and was stopped. Look for a loop that never blocks.',
    zh: '程序用完了它的 CPU 时间，已被停止。请检查是否有从不阻塞的循环。',
  },
  E_GO_MEMORY_LIMIT: {
    en: 'The program asked for more memory than the lab allows and the Go runtime stopped it. Allocate less.',
    zh: '程序申请的内存超过了实验室的上限，Go 运行时终止了它。请少分配一些内存。',
  },
  E_GO_PROCESS_LIMIT: {
    en: "The program reached the lab's limit on processes and threads: it could not start another one.",
    zh: '程序达到了实验室对进程和线程数量的上限：无法再启动新的进程或线程。',
  },
  E_GO_FILE_LIMIT: {
    en: 'The program reached the lab\'s limit on open files and sockets ("too many open files"). Close what you no longer use.',
    zh: '程序达到了实验室对打开文件和套接字数量的上限（“too many open files”）。请关闭不再使用的文件和连接。',
  },
  E_GO_FILE_SIZE_LIMIT: {
    en: 'The program tried to write a file larger than the lab allows ("file too large").',
    zh: '程序试图写入超过实验室上限的文件（“file too large”）。',
  },
  E_GO_OUTPUT_LIMIT: {
    en: 'The program printed more than the lab keeps and was stopped. Print less, or print a summary.',
    zh: '程序输出超过了实验室的上限，已被停止。请少打印一些，或只打印摘要。',
  },
  E_GO_RUN_BUSY: {
    en: 'Your previous Go run is still building or running. Stop it first, or wait for it to end.',
    zh: '你上一次的 Go 运行仍在构建或运行中。请先停止它，或等它结束。',
  },
  E_GO_TOO_MANY_RUNS: {
    en: 'The lab is running as many Go programs as it allows at once. Try again when one has ended.',
    zh: '实验室同时运行的 Go 程序已达上限。请等其中一个结束后再试。',
  },
  E_GO_PROGRAM_TOO_LARGE: {
    en: 'The program text is larger than the lab accepts (256 KiB).',
    zh: '程序文本超过了实验室接受的上限（256 KiB）。',
  },
  E_GO_DEADLOCK_SAMPLED: {
    en: 'Deadlock: every goroutine was blocked on a channel, lock or WaitGroup in several samples in a row, with nothing left to wake it (Go says "fatal error: all goroutines are asleep - deadlock!"). The lab stopped the program; the dump shows who waits for what.',
    zh: '死锁：连续几次采样中，每个 goroutine 都阻塞在通道、锁或 WaitGroup 上，没有任何东西能唤醒它们（Go 自己会以 all goroutines are asleep 致命错误报告这种情况）。实验室已停止该程序；转储显示了谁在等待什么。',
  },
  E_GO_STOPPED: {
    en: 'Stopped, with every process the program started.',
    zh: '已停止，程序启动的所有进程也一并停止。',
  },
  E_GO_NOT_ISOLATED: {
    en: 'Go programs run without a sandbox here (the detail says why; the sandbox needs the lab running as root with bubblewrap and nftables: apt install bubblewrap nftables). Resource limits bound them, and they run as the unprivileged user nobody only when the lab runs as root. A program can still read any file that user can read and dial any local port. Run only code you trust.',
    zh: '这里的 Go 程序在没有沙箱的情况下运行（详情说明原因；沙箱需要实验室以 root 运行，并装有 bubblewrap 和 nftables：apt install bubblewrap nftables）。程序只受资源上限约束，并且只有当实验室以 root 运行时才会以非特权用户 nobody 运行。程序仍能读取该用户可读的任何文件，也能连接本机任意端口。请只运行你信任的代码。',
  },
  E_INTERNAL: {
    en: 'Something went wrong inside the lab. The lab is still running; the detail says what failed.',
    zh: '实验室内部出错。实验室仍在运行；详情说明了失败的原因。',
  },
  E_HTTP_NO_RESPONSE: {
    en: 'The lab’s HTTP client got no complete answer in time (the detail says how far it got). Look at the bytes view for what the server sent, then try again.',
    zh: '实验室的 HTTP 客户端没有及时收到完整的应答（详情说明进行到哪一步）。请在字节视图中查看服务器发出了什么，然后重试。',
  },
  E_HTTP_CLIENT_BUSY: {
    en: 'This page already has as many HTTP exchanges running as the lab allows (4). Wait for one to finish, then try again.',
    zh: '这个页面正在进行的 HTTP 交换已达实验室上限（4 个）。请等其中一个结束后再试。',
  },
  // Go runs from the page (issue 14): who may run, how often, and the toolchain's version
  E_GO_TOO_OLD: {
    en: "The Go on the lab's machine is older than the lessons need (the detail names both versions). Install a newer Go and restart the lab.",
    zh: '实验室所在机器上的 Go 版本比课程需要的旧（详情中列出两个版本）。请安装更新的 Go，然后重启实验室。',
  },
  E_GO_STUDENT_NOT_ALLOWED: {
    en: "Running Go is off for classroom students: it runs code on the instructor's machine. Ask the instructor to start the lab with --allow-student-go, or use the TypeScript version of the lesson.",
    zh: '课堂中的学生不能运行 Go：它会在教师的机器上运行代码。请教师用 --allow-student-go 启动实验室，或使用本课的 TypeScript 版本。',
  },
  E_GO_SANDBOX_REQUIRED: {
    en: "Students' Go runs must be sandboxed, and the sandbox is not available on the lab's machine (the detail says why; it needs the lab running as root with bubblewrap and nftables). The instructor can install them: apt install bubblewrap nftables.",
    zh: '学生的 Go 运行必须在沙箱中进行，而实验室所在机器上没有可用的沙箱（详情说明原因；需要实验室以 root 运行，并装有 bubblewrap 和 nftables）。教师可以安装它们：apt install bubblewrap nftables。',
  },
  E_GO_RUN_TOO_FAST: {
    en: 'Run was pressed too often. Wait a moment before running again.',
    zh: '运行按得太频繁了。请稍等片刻再运行。',
  },
  E_GO_NO_SUCH_RUN: {
    en: 'There is no Go run of yours with that id (it may have ended already). Run the program again.',
    zh: '没有属于你的这个编号的 Go 运行（它可能已经结束）。请重新运行程序。',
  },
  E_GO_FORMAT_FAILED: {
    en: 'gofmt could not format the program (the detail has its message). Check the Go installation.',
    zh: 'gofmt 无法格式化程序（详情中有它的输出）。请检查 Go 的安装。',
  },
  E_GO_NOT_AN_EXERCISE: {
    en: 'This lesson has no Go exercise to check. Go exercises are in lessons 11, 12 and 13; pick one of them (the detail names the lesson asked for).',
    zh: '这一课没有可检查的 Go 练习。Go 练习在第 11、12、13 课；请选择其中一课（详情给出了所请求的课程）。',
  },
  // Rate limiting and circuit breaking (issue 15, lessons 17 and 18)
  E_DEMO_RATE_LIMITED: {
    en: 'Too many requests: the rate limiter refused this one. Wait for the time the detail gives (retry-after) and send it again, or send fewer per second.',
    zh: '请求太多：限流器拒绝了这一个。请等待详情给出的时间（retry-after）后重发，或者每秒少发一些。',
  },
  E_UPSTREAM_FAILED: {
    en: 'The upstream server answered with an error (the fault the demo put on it). Try again later, or change the upstream back to healthy.',
    zh: '上游服务器回复了错误（演示给它设置的故障）。请稍后再试，或者把上游改回正常。',
  },
  // Fault proxy (issue 15): faults on real TCP, set from the page, the CLI or a snippet's control connection
  E_FAULT_BAD: {
    en: 'The fault setting is not valid. Check the fields named in the detail (type, direction, conn, trigger).',
    zh: '故障设置无效。请检查详情中列出的字段（type、direction、conn、trigger）。',
  },
  E_FAULT_OUT_OF_RANGE: {
    en: 'A fault setting is out of range (for example a negative latency, a bandwidth of 0 or a slice of 0 bytes). The detail names the field and the range it accepts.',
    zh: '故障设置超出范围（例如负的延迟、为 0 的带宽或 0 字节的切片）。详情中指出了字段和它接受的范围。',
  },
  E_FAULT_TOO_MANY: {
    en: 'You have as many fault rules as the proxy keeps. Clear some before adding more.',
    zh: '你的故障规则数量已达代理的上限。请先清除一些再添加。',
  },
  E_FAULT_NO_SUCH_RULE: {
    en: 'You have no fault rule with that id (it may have been cleared). List your rules and use one of their ids.',
    zh: '你没有这个编号的故障规则（它可能已被清除）。请列出你的规则，使用其中的编号。',
  },
  E_FAULT_NOT_YOURS: {
    en: 'That proxied connection is not yours, so you cannot put a fault on it. Use one of your own connections, or all.',
    zh: '这条经过代理的连接不属于你，所以你不能给它设置故障。请使用你自己的连接，或使用 all。',
  },
  // UDP demo (issue 16)
  E_UDP_DATAGRAM_TOO_LARGE: {
    en: 'The kernel refused the datagram: one UDP datagram carries at most 65,507 bytes over IPv4. Send less, or split the data into several datagrams.',
    zh: '内核拒绝了这个数据报：在 IPv4 上一个 UDP 数据报最多携带 65,507 字节。请少发一些，或把数据拆成多个数据报。',
  },
  // Connection pool (issue 15, lesson 19)
  E_POOL_WAIT_TIMEOUT: {
    en: 'No pooled connection came free in time: every connection the pool may open (max open) was in use for the whole wait. Allow more open connections, use fewer callers at once, or wait longer.',
    zh: '等待期间没有空出的池连接：连接池允许打开的所有连接（最大打开数）一直都在使用中。请调大最大打开数、减少同时调用的数量，或者延长等待时间。',
  },
  E_POOL_QUEUE_FULL: {
    en: 'Too many callers are already waiting for a pooled connection, so this one was refused at once. Allow more open connections or fewer callers at once.',
    zh: '等待池连接的调用方已经太多，这一个被立即拒绝。请调大最大打开数，或减少同时调用的数量。',
  },
  E_POOL_CLOSED: {
    en: 'The connection pool is closed (its run ended). Start a new run.',
    zh: '连接池已经关闭（它所属的运行已结束）。请开始新的运行。',
  },
  // TCP under loss (issue 17, lesson 31)
  E_LOSS_NOT_PERMITTED: {
    en: "The lab may not make a network namespace here: that needs root, or CAP_NET_ADMIN and CAP_SYS_ADMIN. The lesson shows the lab's own recorded run instead. To run it live, start the lab as root (sudo).",
    zh: '实验室在这里不能创建网络命名空间：这需要 root，或 CAP_NET_ADMIN 与 CAP_SYS_ADMIN。课程改为展示实验室自己录制的一次运行。要现场运行，请以 root 身份启动实验室（sudo）。',
  },
  E_LOSS_TOOLS_MISSING: {
    en: 'A tool the loss runs need is missing (ip, nft, tc, ss or tcpdump). Install iproute2, nftables and tcpdump (sudo apt-get install iproute2 nftables tcpdump), then restart the lab.',
    zh: '丢包运行所需的工具缺失（ip、nft、tc、ss 或 tcpdump）。请安装 iproute2、nftables 和 tcpdump（sudo apt-get install iproute2 nftables tcpdump），然后重启实验室。',
  },
  E_LOSS_NAMESPACE_FAILED: {
    en: "The lab could not set up its private network namespace (the detail says which step failed). The lesson shows the lab's own recorded run instead; check that `unshare -n true` works for the user running the lab.",
    zh: '实验室无法建立它的私有网络命名空间（详情中说明了哪一步失败）。课程改为展示实验室自己录制的一次运行；请检查运行实验室的用户能否执行 `unshare -n true`。',
  },
  // Port-reuse demo (issue 17, lesson 29)
  E_PORT_REUSE_NOT_LINUX: {
    en: 'The port-reuse runs need Linux: they set SO_REUSEADDR and SO_REUSEPORT through Linux system calls and read /proc/net/tcp. Run the lab on Linux for this lesson.',
    zh: '端口复用的演示需要 Linux：它们通过 Linux 系统调用设置 SO_REUSEADDR 和 SO_REUSEPORT，并读取 /proc/net/tcp。请在 Linux 上运行实验室来学习本课。',
  },
  E_PORT_REUSE_HELPER_FAILED: {
    en: "The lab's port-reuse helper program (Go) did not report what it was asked to do. The detail has its output; run it again, and check the Go installation if it keeps failing.",
    zh: '实验室的端口复用辅助程序（Go）没有报告要求它完成的事情。详情中有它的输出；请再运行一次，若一直失败，请检查 Go 的安装。',
  },
  // DNS (lesson 28): the lab's DNS codec and server
  E_DNS_PACKET_OVERRUN: {
    en: 'The DNS packet is shorter than its header, counts or lengths say. The codec refused it; send a whole message (TCP: after its 2-byte length).',
    zh: 'DNS 报文比它的首部、计数或长度字段所说的短。编解码器拒绝了它；请发送完整的消息（TCP：在 2 字节长度之后）。',
  },
  E_DNS_POINTER_LOOP: {
    en: 'A compression pointer in the DNS name leads back to a place the name already visited (a loop). The codec refused the packet instead of following it.',
    zh: 'DNS 名字里的压缩指针回到了这个名字已经走过的位置（循环）。编解码器拒绝了这个报文，没有跟着它绕圈。',
  },
  E_DNS_POINTER_FORWARD: {
    en: 'A compression pointer in the DNS name points forward or past the packet; pointers may only point back to an earlier name. The codec refused the packet.',
    zh: 'DNS 名字里的压缩指针指向后面或报文之外；指针只能指回前面出现过的名字。编解码器拒绝了这个报文。',
  },
  E_DNS_LABEL_TOO_LONG: {
    en: 'A DNS label is longer than 63 bytes (or its length byte uses reserved bits). Shorten the label.',
    zh: 'DNS 标签超过 63 字节（或它的长度字节用了保留位）。请缩短这个标签。',
  },
  E_DNS_NAME_TOO_LONG: {
    en: 'The DNS name is longer than 255 bytes on the wire. Use a shorter name.',
    zh: 'DNS 名字在线路上超过 255 字节。请使用更短的名字。',
  },
  E_DNS_BAD_NAME: {
    en: 'The DNS name has an empty label (two dots in a row, or a leading dot). Write it as labels separated by single dots, e.g. shop.lab.test.',
    zh: 'DNS 名字里有空标签（两个连续的点，或以点开头）。请用单个点分隔各标签，例如 shop.lab.test。',
  },
  E_DNS_BAD_RECORD: {
    en: 'The record cannot be stored: its address or text is not valid for its type. Give an IPv4 address for A, IPv6 for AAAA, a name for CNAME, at most 255 bytes per TXT string.',
    zh: '无法保存这条记录：它的地址或文本不符合记录类型。A 记录填 IPv4 地址，AAAA 填 IPv6 地址，CNAME 填名字，每段 TXT 最多 255 字节。',
  },
  E_DNS_NAME_OUTSIDE_ZONE: {
    en: "The lab's DNS server answers only for its own zone (lab.test). Choose a name ending in .lab.test.",
    zh: '实验室的 DNS 服务器只回答它自己的区域（lab.test）。请选择 lab.test 区域里的名字，例如 shop.lab.test。',
  },
  // TLS demo (issue 17)
  E_TLS_RECORD_TOO_LARGE: {
    en: 'A TLS record said it was longer than 2^14 + 256 bytes, which no TLS version allows. The bytes are not TLS, or they were damaged; the lab stopped reading this direction of the connection.',
    zh: '一条 TLS 记录声称自己超过 2^14 + 256 字节，任何 TLS 版本都不允许这样。这些字节不是 TLS，或者已经损坏；实验室停止读取这条连接的这个方向。',
  },
  E_TLS_NOT_TLS: {
    en: 'These bytes do not start a TLS record (a record starts with a content type 20–24 and version 3.x). Something other than TLS was sent to a TLS port; the server answers with an alert or closes.',
    zh: '这些字节不是 TLS 记录的开头（记录以内容类型 20–24 和版本 3.x 开头）。有程序向 TLS 端口发送了非 TLS 数据；服务器会回复告警或直接关闭连接。',
  },
  E_TLS_MALFORMED: {
    en: 'A TLS handshake message is malformed (a length runs past its end). The lab shows the record but not its fields.',
    zh: '一条 TLS 握手消息格式错误（某个长度超出了消息末尾）。实验室会显示这条记录，但不显示其中的字段。',
  },
  E_TLS_CERT_STORE: {
    en: 'The lab could not make or read its local certificates in its data folder. Check that the folder (--data DIR, or ~/.local/share/gonet-lab) can be written by your user, then restart the lab.',
    zh: '实验室无法在数据文件夹中生成或读取本地证书。请确认你的用户可以写入该文件夹（--data DIR，或 ~/.local/share/gonet-lab），然后重启实验室。',
  },
  E_TLS_DECRYPT_FAILED: {
    en: 'The lab has the session keys but could not decrypt this record (its authentication tag did not match). The capture may have missed a record of this connection.',
    zh: '实验室持有会话密钥，却无法解密这条记录（校验标签不匹配）。抓包可能漏掉了这条连接的某条记录。',
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
