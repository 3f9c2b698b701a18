// Every string of the classroom's pages (join page, instructor page, the student's class bar), in both languages.
import type { LocalizedText } from '@core/protocol/errors';

export const CLASS_TEXT = {
  joinTitle: { en: 'Join the class', zh: '加入课堂' },
  joinIntro: {
    en: 'Enter the join code your instructor shows and the name the class knows you by. Come back with the same name and code later to find your work.',
    zh: '输入老师展示的加入码，以及同学们认识你的名字。以后用同一个名字和加入码回来，就能找回你的进度。',
  },
  code: { en: 'Join code', zh: '加入码' },
  name: { en: 'Your name', zh: '你的名字' },
  join: { en: 'Join', zh: '加入' },
  joining: { en: 'Joining…', zh: '正在加入…' },
  kicked: {
    en: 'The instructor removed you from the class. Join again to go on.',
    zh: '老师已把你移出课堂。重新加入即可继续。',
  },
  instructorTitle: { en: 'Classroom', zh: '课堂' },
  joinWith: { en: 'Students open', zh: '学生打开' },
  joinCode: { en: 'join code', zh: '加入码' },
  qrAlt: { en: 'QR code of the join page address', zh: '加入页面地址的二维码' },
  roster: { en: 'Students', zh: '学生' },
  noStudents: { en: 'No student has joined yet.', zh: '还没有学生加入。' },
  colName: { en: 'Name', zh: '名字' },
  colJoined: { en: 'Joined', zh: '加入时间' },
  colLesson: { en: 'Lesson', zh: '当前课程' },
  colPassed: { en: 'Exercises passed', zh: '通过的练习' },
  colActivity: { en: 'Last activity', zh: '最近活动' },
  colConnected: { en: 'Connected', zh: '在线' },
  colActions: { en: 'Actions', zh: '操作' },
  yes: { en: 'yes', zh: '是' },
  no: { en: 'no', zh: '否' },
  kick: { en: 'Remove', zh: '移出' },
  show: { en: 'Show to class', zh: '展示给全班' },
  stopShowing: { en: 'Stop showing', zh: '停止展示' },
  bring: { en: 'Bring everyone to', zh: '带全班去' },
  bringButton: { en: 'Go', zh: '前往' },
  sentTo: { en: 'Sent to {n} open pages.', zh: '已发送到 {n} 个打开的页面。' },
  csv: { en: 'Download progress (CSV)', zh: '下载进度（CSV）' },
  backToLab: { en: 'Back to the lessons', zh: '返回课程' },
  onlyInstructor: { en: 'This page is for the instructor.', zh: '此页面仅供老师使用。' },
  inClassAs: { en: 'In class as {name}', zh: '以 {name} 的身份在课堂中' },
  shownRun: { en: "{name}'s run, shown by the instructor", zh: '老师展示的 {name} 的运行结果' },
  close: { en: 'Close', zh: '关闭' },
  instructorPage: { en: 'Classroom: instructor page', zh: '课堂：老师页面' },
  language: { en: '中文', zh: 'English' },
} as const satisfies Record<string, LocalizedText>;

export type ClassTextKey = keyof typeof CLASS_TEXT;
