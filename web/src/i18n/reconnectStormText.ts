// The interface text of the reconnect-storm view (lesson 15), in English and Chinese.
import type { LocalizedText } from '@core/protocol/errors';

export const RECONNECT_STORM_UI = {
  title: { en: 'Reconnect storm', zh: '重连风暴' },
  clients: { en: 'clients N', zh: '客户端数 N' },
  downMs: { en: 'server down (ms)', zh: '服务器停机（毫秒）' },
  baseMs: { en: 'base (ms)', zh: '初始等待（毫秒）' },
  capMs: { en: 'cap (ms)', zh: '上限（毫秒）' },
  policies: { en: 'policies', zh: '策略' },
  none: { en: 'no backoff', zh: '无退避' },
  exponential: { en: 'exponential backoff', zh: '指数退避' },
  jitter: { en: 'backoff + full jitter', zh: '退避 + 完全抖动' },
  run: { en: 'Run storm', zh: '运行风暴' },
  stop: { en: 'Stop', zh: '停止' },
  running: { en: 'running', zh: '运行中' },
  idle: { en: 'idle', zh: '空闲' },
  chartLabel: {
    en: 'Connection attempts per 100 ms after the server went down, one row per policy',
    zh: '服务器停机后每 100 毫秒的连接尝试次数，每种策略一行',
  },
  axis: { en: 'time since the server went down', zh: '服务器停机后的时间' },
  down: { en: 'down', zh: '停机' },
  up: { en: 'back', zh: '恢复' },
  allAtOnce: { en: 'N (every client at once)', zh: 'N（所有客户端同时）' },
  attemptsLegend: { en: 'attempts per 100 ms', zh: '每 100 毫秒尝试次数' },
  policy: { en: 'policy', zh: '策略' },
  attempts: { en: 'attempts', zh: '尝试次数' },
  refused: { en: 'refused', zh: '被拒绝' },
  peak: { en: 'peak per 100 ms', zh: '每 100 毫秒峰值' },
  recover: { en: 'time to recover', zh: '恢复用时' },
  back: { en: 'clients back', zh: '已回来的客户端' },
  notRecovered: { en: 'not all', zh: '未全部恢复' },
  capped: { en: 'attempt cap reached', zh: '达到尝试上限' },
  stoppedEarly: { en: 'stopped early', zh: '提前停止' },
  noRun: {
    en: 'No run yet. Each policy runs in turn with fresh clients: connect, the server goes down, comes back, clients reconnect.',
    zh: '还没有运行。每种策略依次使用新的客户端运行：连接，服务器停机，恢复，客户端重连。',
  },
  recoverNote: {
    en: 'Time to recover: from the server coming back until the last client is connected again. Attempts are counted by the lab’s clients.',
    zh: '恢复用时：从服务器恢复到最后一个客户端重新连上。尝试次数由实验室的客户端计数。',
  },
} as const satisfies Record<string, LocalizedText>;
