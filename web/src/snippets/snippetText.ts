// The snippet workbench's own words, in English and Chinese (lesson text lives in lessons/).
import type { LocalizedText } from '@core/protocol/errors';

export const SNIPPET_TEXT = {
  run: { en: 'Run', zh: '运行' },
  runTitle: { en: 'Run (Ctrl/Cmd+Enter)', zh: '运行（Ctrl/Cmd+Enter）' },
  stop: { en: 'Stop', zh: '停止' },
  reset: { en: 'Reset', zh: '重置' },
  resetConfirm: { en: 'Throw away your edits and go back to the start file?', zh: '放弃你的修改，恢复到初始文件？' },
  check: { en: 'Check', zh: '检查' },
  solve: { en: 'Solve', zh: '查看答案' },
  solveConfirm: {
    en: 'Replace your code with the solution? (Your edits are lost; Reset brings back the start file.)',
    zh: '用参考答案替换你的代码？（你的修改将丢失；重置可恢复初始文件。）',
  },
  sideBySide: { en: 'Go beside TS', zh: 'Go 与 TS 并排' },
  console: { en: 'Console', zh: '控制台' },
  clear: { en: 'Clear', zh: '清空' },
  connecting: { en: 'Connecting the socket bridge…', zh: '正在连接套接字桥…' },
  ready: {
    en: 'Ready. Run executes main() in your browser; its sockets are real, on the lab server.',
    zh: '就绪。运行会在你的浏览器中执行 main()；它的套接字是真实的，位于实验室服务器上。',
  },
  running: { en: 'Running…', zh: '运行中…' },
  checking: { en: 'Checking…', zh: '检查中…' },
  exited: { en: 'Program exited', zh: '程序已退出' },
  panicked: { en: 'Program panicked', zh: '程序发生 panic' },
  deadlocked: { en: 'Deadlock', zh: '死锁' },
  compileError: { en: 'Does not compile', zh: '无法编译' },
  checks: { en: 'Checks', zh: '检查项' },
  passed: { en: 'passed', zh: '通过' },
  failed: { en: 'failed', zh: '未通过' },
  notRun: { en: 'not run', zh: '未运行' },
  solved: { en: 'Solved', zh: '已完成' },
  progress: { en: 'Best', zh: '最好成绩' },
  yourCode: { en: 'your code', zh: '你的代码' },
  sockets: { en: 'Sockets of this run', zh: '本次运行的套接字' },
  noSockets: { en: 'none yet', zh: '暂无' },
  packets: { en: 'Packets and TCP states of this run', zh: '本次运行的报文与 TCP 状态' },
  segmentsCaptured: { en: 'segments captured', zh: '个报文段已抓取' },
  connectionsShown: { en: 'connections shown', zh: '个连接已显示' },
  connectionShown: { en: 'connection shown', zh: '个连接已显示' },
  statesPolled: { en: 'state changes polled', zh: '次状态变化（内核采样）' },
  noCaptureYet: { en: 'starts with the run’s first socket', zh: '从本次运行的第一个套接字开始' },
  leaks: { en: 'goroutines still blocked at the end', zh: '个 goroutine 在结束时仍阻塞' },
  ms: { en: 'ms', zh: '毫秒' },
} as const satisfies Record<string, LocalizedText>;

export type SnippetTextKey = keyof typeof SNIPPET_TEXT;
