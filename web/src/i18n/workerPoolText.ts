// The interface text of the worker-pool view (lesson 9), in English and Chinese.
import type { LocalizedText } from '@core/protocol/errors';
import { useLab } from '../app/labContext';

export const WORKER_POOL_UI = {
  title: { en: 'Worker pool', zh: '工作池' },
  mode: { en: 'mode', zh: '模式' },
  modePool: { en: 'pool of K workers', zh: 'K 个 worker 的池' },
  modeUnbounded: { en: 'one goroutine per connection (unbounded)', zh: '每个连接一个 goroutine（不限制）' },
  workers: { en: 'workers K', zh: 'worker 数 K' },
  queue: { en: 'queue Q', zh: '队列容量 Q' },
  workMs: { en: 'work (ms)', zh: '工作时长（ms）' },
  workKind: { en: 'work is', zh: '工作类型' },
  workSleep: { en: 'waiting (time.Sleep)', zh: '等待（time.Sleep）' },
  workCpu: { en: 'CPU (busy loop)', zh: 'CPU（忙循环）' },
  whenFull: { en: 'queue full', zh: '队列满时' },
  fullWait: { en: 'wait', zh: '等待' },
  fullReject: { en: 'reject "busy"', zh: '拒绝“busy”' },
  clients: { en: 'clients N', zh: '客户端数 N' },
  seconds: { en: 'seconds', zh: '秒' },
  rate: { en: 'req/s per client', zh: '每客户端请求/秒' },
  rateHint: {
    en: '0: each client sends its next request as soon as it has the reply. Otherwise it pauses 1/rate after each reply.',
    zh: '0：每个客户端收到回复后立即发送下一个请求。否则每次收到回复后暂停 1/速率。',
  },
  runLoad: { en: 'Run load', zh: '施加负载' },
  stopLoad: { en: 'Stop', zh: '停止' },
  apply: { en: 'Apply', zh: '应用' },
  running: { en: 'load running', zh: '负载运行中' },
  idle: { en: 'idle', zh: '空闲' },
  throughput: { en: 'throughput (requests/s)', zh: '吞吐量（请求/秒）' },
  latency: { en: 'latency p50 / p95 (ms)', zh: '延迟 p50 / p95（毫秒）' },
  occupancy: { en: 'queue length and busy workers', zh: '队列长度与忙碌的 worker' },
  capacity: { en: 'capacity K/work (modelled)', zh: '容量 K/工作时长（推断）' },
  done: { en: 'done', zh: '完成' },
  rejectedLegend: { en: 'rejected', zh: '拒绝' },
  queueLegend: { en: 'queue (max in window)', zh: '队列（窗口内最大）' },
  busyLegend: { en: 'busy workers', zh: '忙碌 worker' },
  now: { en: 'now', zh: '当前' },
  lastRun: { en: 'last run', zh: '上一次运行' },
  perSec: { en: 'req/s', zh: '请求/秒' },
  busy: { en: 'busy', zh: '忙碌' },
  queued: { en: 'queued', zh: '排队' },
  goroutines: { en: 'goroutines', zh: 'goroutine' },
  connections: { en: 'connections', zh: '连接' },
  rejected: { en: 'rejected', zh: '被拒绝' },
  completed: { en: 'completed', zh: '已完成' },
  p50: { en: 'p50', zh: 'p50' },
  p95: { en: 'p95', zh: 'p95' },
  noData: { en: 'No figures yet: run a load, or connect with', zh: '还没有数据：施加负载，或用以下命令连接' },
  tryIt: { en: 'One request per line:', zh: '每行一个请求：' },
  latencyNote: {
    en: 'Latency is measured by the server, from reading a request line to writing its reply (queue wait included).',
    zh: '延迟由服务器测量：从读到请求行到写出回复（包括在队列中等待的时间）。',
  },
  summarised: {
    en: 'Goroutine events exceeded the budget per second: the timeline stopped and these figures summarise the run.',
    zh: 'goroutine 事件超过了每秒预算：时间线已停止，以下数字汇总本次运行。',
  },
  reconfigureNote: { en: 'Applying a new configuration restarts the pool and closes open connections.', zh: '应用新配置会重启工作池并关闭已打开的连接。' },
  roundTrips: { en: 'replies received by the load generator', zh: '负载生成器收到的回复' },
  stoppedEarly: { en: 'stopped early', zh: '提前停止' },
} as const satisfies Record<string, LocalizedText>;

export type WorkerPoolUiKey = keyof typeof WORKER_POOL_UI;

export function useWorkerPoolText(): (key: WorkerPoolUiKey) => string {
  const { language } = useLab();
  return (key) => WORKER_POOL_UI[key][language];
}
