// The interface text of the graceful-shutdown view (lesson 16), in English and Chinese.
import type { LocalizedText } from '@core/protocol/errors';

export const GRACEFUL_SHUTDOWN_UI = {
  title: { en: 'Shutting down under load', zh: '负载下的关闭' },
  clients: { en: 'clients N', zh: '客户端数 N' },
  workMs: { en: 'work (ms)', zh: '工作时长（毫秒）' },
  loadMs: { en: 'load before shutdown (ms)', zh: '关闭前的负载（毫秒）' },
  deadlineMs: { en: 'deadline (ms)', zh: '截止时间（毫秒）' },
  modes: { en: 'shutdowns', zh: '关闭方式' },
  hard: { en: 'hard (exit now)', zh: '强制（立即退出）' },
  graceful: { en: 'graceful', zh: '优雅关闭' },
  run: { en: 'Run and shut down', zh: '运行并关闭' },
  stop: { en: 'Stop', zh: '停止' },
  running: { en: 'running', zh: '运行中' },
  idle: { en: 'idle', zh: '空闲' },
  chartLabel: {
    en: 'Requests in flight on the server over time, one row per shutdown; the dashed line marks the shutdown',
    zh: '服务器上进行中的请求随时间的变化，每种关闭方式一行；虚线标出关闭开始的时刻',
  },
  inFlight: { en: 'requests in flight', zh: '进行中的请求' },
  mode: { en: 'shutdown', zh: '关闭方式' },
  read: { en: 'read', zh: '已读取' },
  answered: { en: 'answered', zh: '已回答' },
  lost: { en: 'lost in flight', zh: '进行中丢失' },
  cut: { en: 'cut at deadline', zh: '截止时被切断' },
  unanswered: { en: 'unanswered (clients)', zh: '未得到回答（客户端）' },
  refused: { en: 'connects refused', zh: '被拒绝的连接' },
  drain: { en: 'shutdown took', zh: '关闭用时' },
  noRun: {
    en: 'No run yet. Each shutdown runs in turn on a fresh server with the same load.',
    zh: '还没有运行。每种关闭方式依次在新的服务器上以相同负载运行。',
  },
  countsNote: {
    en: 'Lost in flight: requests the server read and never answered (its own count). Unanswered: requests clients sent without getting an answer (their count).',
    zh: '进行中丢失：服务器读到却从未回答的请求（服务器自己的计数）。未得到回答：客户端发出却没有得到回答的请求（客户端的计数）。',
  },
  stoppedEarly: { en: 'stopped early', zh: '提前停止' },
} as const satisfies Record<string, LocalizedText>;
