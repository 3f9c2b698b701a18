// The interface text of the goroutine views (timeline, dump table, worker pool, goroutine cost), in English and Chinese.
import type { LocalizedText } from '@protocol/errors';
import { useLab } from '../app/labContext';

export const GOROUTINE_UI = {
  timelineTitle: { en: 'Goroutine timeline', zh: 'goroutine 时间线' },
  dumpTitle: { en: 'Goroutine dump', zh: 'goroutine 转储' },
  goroutines: { en: 'goroutines', zh: '个 goroutine' },
  alive: { en: 'alive', zh: '存活' },
  events: { en: 'events', zh: '个事件' },
  seed: { en: 'seed', zh: '种子' },
  noRun: { en: 'No goroutines yet: run a program.', zh: '还没有 goroutine:请运行一个程序。' },
  zoomIn: { en: 'Zoom in', zh: '放大' },
  zoomOut: { en: 'Zoom out', zh: '缩小' },
  fit: { en: 'Whole run', zh: '整个运行' },
  follow: { en: 'Follow live', zh: '跟随实时' },
  howToNavigate: {
    en: 'Wheel: scroll lanes · Ctrl+wheel or buttons: zoom · drag: pan',
    zh: '滚轮:滚动泳道 · Ctrl+滚轮或按钮:缩放 · 拖动:平移',
  },
  summaryBand: { en: 'all goroutines by state', zh: '按状态统计的全部 goroutine' },
  rowsShown: { en: 'rows', zh: '行' },
  of: { en: 'of', zh: '/' },
  handoffsHidden: { en: 'hand-offs in view; zoom in to see them', zh: '次交接在视图内;放大后可见' },
  channelsSection: { en: 'buffered channels (len / cap)', zh: '缓冲通道 (len / cap)' },
  waitGroupsSection: { en: 'WaitGroup counters', zh: 'WaitGroup 计数' },
  running: { en: 'running', zh: '运行中' },
  runnable: { en: 'runnable', zh: '可运行' },
  chanRecv: { en: 'chan receive', zh: '通道接收' },
  chanSend: { en: 'chan send', zh: '通道发送' },
  select: { en: 'select', zh: 'select' },
  sync: { en: 'Mutex / Once', zh: 'Mutex / Once' },
  waitGroup: { en: 'WaitGroup.Wait', zh: 'WaitGroup.Wait' },
  sleep: { en: 'sleep', zh: 'sleep' },
  io: { en: 'I/O wait', zh: 'I/O 等待' },
  forever: { en: 'blocked forever', zh: '永久阻塞' },
  dead: { en: 'exited', zh: '已退出' },
  statusRunning: { en: 'running', zh: '运行中' },
  statusOk: { en: 'main returned', zh: 'main 已返回' },
  statusDeadlock: { en: 'deadlock', zh: '死锁' },
  statusPanic: { en: 'panic', zh: 'panic' },
  statusFatal: { en: 'fatal error', zh: '致命错误' },
  statusStopped: { en: 'stopped', zh: '已停止' },
  leaks: { en: 'leaked goroutines', zh: '泄漏的 goroutine' },
  noLeaks: { en: 'no goroutine leaked', zh: '没有 goroutine 泄漏' },
  colId: { en: 'goroutine', zh: 'goroutine' },
  colFn: { en: 'function', zh: '函数' },
  colState: { en: 'state', zh: '状态' },
  colWaitingOn: { en: 'waiting on', zh: '等待对象' },
  colFor: { en: 'for', zh: '已等待' },
  colCreatedBy: { en: 'created by', zh: '创建者' },
  filterAll: { en: 'All', zh: '全部' },
  filterBlocked: { en: 'Blocked', zh: '阻塞的' },
  filterAlive: { en: 'Alive', zh: '存活的' },
  outsideGoroutines: { en: 'outside code', zh: '外部代码' },
  exportJson: { en: 'Export JSON', zh: '导出 JSON' },
  importJson: { en: 'Open a recording…', zh: '打开录制…' },
  importFailed: { en: 'Could not read that file', zh: '无法读取该文件' },
  programs: { en: 'Programs', zh: '程序' },
  run: { en: 'Run', zh: '运行' },
  stop: { en: 'Stop', zh: '停止' },
  latestRun: { en: 'Latest run', zh: '最近一次运行' },
} as const satisfies Record<string, LocalizedText>;

export type GoroutineUiKey = keyof typeof GOROUTINE_UI;

export function useGoroutineText(): (key: GoroutineUiKey) => string {
  const { language } = useLab();
  return (key) => GOROUTINE_UI[key][language];
}
