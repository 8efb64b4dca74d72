// Every word the page shows, in English and Chinese, and the formatting of times and counts. No DOM here
// except what is passed in: the boundary asks t(key) and the relative-time formatter.

export const LANGUAGES = Object.freeze(['en', 'zh']);
export const STORAGE_KEY = 'taskpulse.lang';

const MESSAGES = {
  en: {
    htmlLang: 'en',
    'brand': 'TaskPulse',
    'counts.label': 'Tasks per status; choose one to show only those tasks',
    'status.RUNNING': 'Running',
    'status.OVERDUE': 'Overdue',
    'run.late': 'expected {time}, {late} late',
    'late.m': '{n} min',
    'late.h': '{n} h',
    'late.d': '{n} d',
    'detail.runs': 'Last runs',
    'detail.chartLabel': 'Durations of the last runs, oldest first',
    'detail.noRuns': 'No runs yet: a start or a report makes one.',
    'run.output': 'Output',
    'run.outputCut': '(only its end is kept)',
    'run.noStart': 'no start',
    'run.superseded': 'superseded',
    'run.since': 'Running since {time}',
    'run.exit': 'exit code {code}',
    'status.NOT_RUN': 'Not run',
    'status.SUCCEEDED': 'Succeeded',
    'status.FAILED': 'Failed',
    'status.UNKNOWN': 'Unknown',
    'count.total': 'All',
    'count.filterHint': 'Show only: {status}',
    'count.clearHint': 'Show all tasks',
    'tags.title': 'Tags',
    'tags.label': 'Tags, each with the worst state of its tasks; choose one to show only its tasks',
    'tags.filterHint': '{tag}: {state} ({n} tasks). Show only these tasks',
    'tags.clearHint': '{tag}: {state} ({n} tasks). Show all tasks',
    'tags.none': 'no task has it',
    'connection.live': 'Live',
    'connection.polling': 'Polling',
    'connection.reconnecting': 'Reconnecting…',
    'connection.connecting': 'Connecting…',
    'connection.offline': 'Offline',
    'connection.title.live': 'Connected over WebSocket: changes arrive as they happen',
    'connection.title.polling': 'WebSocket unavailable: asking the server for changes by long-polling',
    'connection.title.connecting': 'Connecting to the server',
    'connection.title.reconnecting': 'Lost the connection to the server; trying again',
    'connection.title.offline': 'This device is offline; the page reconnects when the network is back',
    'age.none': 'no data yet',
    'age.fresh': 'data {n} s old',
    'age.stale': 'data {n} s old: stale',
    'age.unavailable': 'data {n} s old: database unavailable',
    'age.title': 'Time since the server last confirmed this data (a change or a heartbeat)',
    'revision': 'rev',
    'revision.title': 'Feed revision shown on this page',
    'lang.button': '中文',
    'lang.label': 'Switch to Chinese (切换到中文)',
    'viewer.user': 'Logged in as {user}',
    'viewer.logout': 'Log out',
    'viewer.signIn': 'Sign in',
    'alerts.title': 'Alerts: channels and rules',
    'alerts.loading': 'Loading channels…',
    'alerts.error': 'Could not load the channels.',
    'alerts.none': 'No alert channels yet: add one with POST /api/channels (see docs/api.md).',
    'alerts.channel': 'Channel',
    'alerts.kind': 'Kind',
    'alerts.target': 'Sends to',
    'alerts.rules': 'Rules',
    'alerts.last': 'Last deliveries',
    'alerts.ruleName': 'tasks named {name}',
    'alerts.ruleTag': 'tagged {tag}',
    'alerts.attempt': 'attempt {n}',
    'alerts.noRules': 'no rule: sends nothing',
    'alerts.noDeliveries': 'none yet',
    'detail.operated': 'Operators',
    'ops.acknowledged': 'Acknowledged by {user}',
    'ops.paused': 'Schedule paused by {user}',
    'ops.notePlaceholder': 'Note (optional)',
    'ops.acknowledge': 'Acknowledge',
    'ops.unacknowledge': 'Take back',
    'ops.pause': 'Pause schedule',
    'ops.resume': 'Resume schedule',
    'ops.failed': 'Not done: {detail}',
    'search.label': 'Search',
    'search.placeholder': 'Name, description or tag',
    'sort.toChanged': 'Sort by last change',
    'sort.toChanged.title': 'Sorted by ID now; sort by last change, newest first',
    'sort.toId': 'Sort by ID',
    'sort.toId.title': 'Sorted by last change (newest first) now; sort by ID',
    'pause.button': 'Pause',
    'pause.resume': 'Resume',
    'pause.waiting': '{n} changes waiting',
    'pause.waitingOne': '1 change waiting',
    'toolbar.label': 'Table controls',
    'col.id': 'ID',
    'col.name': 'Name',
    'col.description': 'Description',
    'col.changed': 'Last change',
    'col.status': 'Status',
    'caption.id': 'Tasks and their latest status, sorted by ID',
    'caption.changed': 'Tasks and their latest status, newest change first',
    'caption.wall': 'Tasks and their latest status, failures first',
    'loading': 'Loading tasks…',
    'empty': 'No tasks yet. Create one with the API:',
    'noMatch': 'No task matches this filter.',
    'noMatch.clear': 'Show all tasks',
    'open.hint': 'Show history of {name}',
    'detail.close': 'Close',
    'detail.closeLabel': 'Close the task details',
    'detail.history': 'Status history',
    'detail.loading': 'Loading history…',
    'detail.empty': 'No status reported yet.',
    'detail.gone': 'This task has been deleted.',
    'detail.error': 'Could not load the history. It is retried on the next change.',
    'detail.description': 'Description',
    'detail.current': 'Current status',
    'announce.failed': 'Task {name} failed',
    'announce.failedWith': 'Task {name} failed: {message}',
    'time.s': '{n} s ago',
    'time.m': '{n} min ago',
    'time.h': '{n} h ago',
    'time.d': '{n} d ago',
    'time.never': 'never',
  },
  zh: {
    htmlLang: 'zh-CN',
    'brand': 'TaskPulse',
    'counts.label': '各状态的任务数；选择一项只显示这些任务',
    'status.RUNNING': '执行中',
    'status.OVERDUE': '逾期',
    'run.late': '应于 {time} 执行，已晚 {late}',
    'late.m': '{n} 分钟',
    'late.h': '{n} 小时',
    'late.d': '{n} 天',
    'detail.runs': '最近的运行',
    'detail.chartLabel': '最近运行的耗时，从早到晚',
    'detail.noRuns': '还没有运行记录：开始或报告一次即可。',
    'run.output': '输出',
    'run.outputCut': '（只保留了末尾部分）',
    'run.noStart': '无开始',
    'run.superseded': '已被取代',
    'run.since': '开始于 {time}',
    'run.exit': '退出码 {code}',
    'status.NOT_RUN': '未执行',
    'status.SUCCEEDED': '执行成功',
    'status.FAILED': '执行失败',
    'status.UNKNOWN': '未知',
    'count.total': '全部',
    'count.filterHint': '只显示：{status}',
    'count.clearHint': '显示全部任务',
    'tags.title': '标签',
    'tags.label': '标签，各显示其任务中最差的状态；选择一个只显示该标签的任务',
    'tags.filterHint': '{tag}：{state}（{n} 个任务）。只显示这些任务',
    'tags.clearHint': '{tag}：{state}（{n} 个任务）。显示全部任务',
    'tags.none': '没有任务带此标签',
    'connection.live': '实时',
    'connection.polling': '轮询',
    'connection.reconnecting': '正在重连…',
    'connection.connecting': '正在连接…',
    'connection.offline': '离线',
    'connection.title.live': '已通过 WebSocket 连接：变更即时送达',
    'connection.title.polling': 'WebSocket 不可用：正在以长轮询向服务器获取变更',
    'connection.title.connecting': '正在连接服务器',
    'connection.title.reconnecting': '与服务器的连接已断开，正在重试',
    'connection.title.offline': '本设备已离线；网络恢复后页面会自动重连',
    'age.none': '尚无数据',
    'age.fresh': '数据 {n} 秒前',
    'age.stale': '数据已 {n} 秒未更新：已过时',
    'age.unavailable': '数据已 {n} 秒未更新：数据库不可用',
    'age.title': '距服务器上次确认这些数据（变更或心跳）的时间',
    'revision': '版本',
    'revision.title': '本页显示的数据版本',
    'lang.button': 'English',
    'lang.label': '切换到英文 (Switch to English)',
    'viewer.user': '已登录：{user}',
    'viewer.logout': '退出登录',
    'viewer.signIn': '登录',
    'alerts.title': '告警：渠道与规则',
    'alerts.loading': '正在加载渠道…',
    'alerts.error': '无法加载渠道。',
    'alerts.none': '还没有告警渠道：用 POST /api/channels 添加（见 docs/api.md）。',
    'alerts.channel': '渠道',
    'alerts.kind': '类型',
    'alerts.target': '发送到',
    'alerts.rules': '规则',
    'alerts.last': '最近发送',
    'alerts.ruleName': '名称为 {name} 的任务',
    'alerts.ruleTag': '标签 {tag}',
    'alerts.attempt': '第 {n} 次尝试',
    'alerts.noRules': '没有规则：不会发送',
    'alerts.noDeliveries': '暂无',
    'detail.operated': '值班处理',
    'ops.acknowledged': '{user} 已确认',
    'ops.paused': '{user} 已暂停计划',
    'ops.notePlaceholder': '备注（可选）',
    'ops.acknowledge': '确认',
    'ops.unacknowledge': '撤销确认',
    'ops.pause': '暂停计划',
    'ops.resume': '恢复计划',
    'ops.failed': '未完成：{detail}',
    'search.label': '搜索',
    'search.placeholder': '名称、描述或标签',
    'sort.toChanged': '按最近变更排序',
    'sort.toChanged.title': '当前按 ID 排序；改为按最近变更排序（最新在前）',
    'sort.toId': '按 ID 排序',
    'sort.toId.title': '当前按最近变更排序（最新在前）；改为按 ID 排序',
    'pause.button': '暂停',
    'pause.resume': '继续',
    'pause.waiting': '{n} 项变更待显示',
    'pause.waitingOne': '1 项变更待显示',
    'toolbar.label': '表格控制',
    'col.id': 'ID',
    'col.name': '名称',
    'col.description': '描述',
    'col.changed': '最近变更',
    'col.status': '状态',
    'caption.id': '任务及其最新状态，按 ID 排序',
    'caption.changed': '任务及其最新状态，最近变更在前',
    'caption.wall': '任务及其最新状态，失败的在前',
    'loading': '正在加载任务…',
    'empty': '还没有任务。用 API 创建一个：',
    'noMatch': '没有符合筛选条件的任务。',
    'noMatch.clear': '显示全部任务',
    'open.hint': '查看 {name} 的历史',
    'detail.close': '关闭',
    'detail.closeLabel': '关闭任务详情',
    'detail.history': '状态历史',
    'detail.loading': '正在加载历史…',
    'detail.empty': '尚未报告任何状态。',
    'detail.gone': '此任务已被删除。',
    'detail.error': '无法加载历史，下次变更时会重试。',
    'detail.description': '描述',
    'detail.current': '当前状态',
    'announce.failed': '任务 {name} 执行失败',
    'announce.failedWith': '任务 {name} 执行失败：{message}',
    'time.s': '{n} 秒前',
    'time.m': '{n} 分钟前',
    'time.h': '{n} 小时前',
    'time.d': '{n} 天前',
    'time.never': '从未',
  },
};

/** 'zh' for any Chinese browser language, else 'en'. */
export function languageFor(browserLanguage) {
  return String(browserLanguage ?? '').toLowerCase().startsWith('zh') ? 'zh' : 'en';
}

export class I18n {
  #lang;
  #absolute;
  #timeOfDay;
  #listeners = new Set();

  constructor(lang) {
    this.#set(LANGUAGES.includes(lang) ? lang : 'en');
  }

  get lang() {
    return this.#lang;
  }

  /** The value for <html lang>. */
  get htmlLang() {
    return MESSAGES[this.#lang].htmlLang;
  }

  setLanguage(lang) {
    if (!LANGUAGES.includes(lang) || lang === this.#lang) {
      return;
    }
    this.#set(lang);
    this.#listeners.forEach((listener) => listener(lang));
  }

  onChange(listener) {
    this.#listeners.add(listener);
  }

  t(key, params = {}) {
    const text = MESSAGES[this.#lang][key] ?? MESSAGES.en[key] ?? key;
    return text.replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name]) : whole));
  }

  statusLabel(status) {
    return MESSAGES[this.#lang][`status.${status}`] ?? String(status);
  }

  /** "12 s ago" / "12 秒前"; whole units, rounded down, never negative (clock skew reads as 0 s). */
  relative(timeMs, nowMs) {
    if (!Number.isFinite(timeMs)) {
      return this.t('time.never');
    }
    const seconds = Math.max(0, Math.floor((nowMs - timeMs) / 1000));
    if (seconds < 60) return this.t('time.s', { n: seconds });
    if (seconds < 3600) return this.t('time.m', { n: Math.floor(seconds / 60) });
    if (seconds < 86400) return this.t('time.h', { n: Math.floor(seconds / 3600) });
    return this.t('time.d', { n: Math.floor(seconds / 86400) });
  }

  /** When relative() would next show different text, so a clock can skip rows that will not change. */
  static nextRelativeChange(timeMs, nowMs) {
    if (!Number.isFinite(timeMs)) {
      return Infinity;
    }
    const age = Math.max(0, nowMs - timeMs);
    const unit = age < 60_000 ? 1000 : age < 3_600_000 ? 60_000 : age < 86_400_000 ? 3_600_000 : 86_400_000;
    return timeMs + (Math.floor(age / unit) + 1) * unit;
  }

  /** How late: "12 min", "3 h", "2 d" (whole units, rounded down). */
  lateness(ms) {
    const minutes = Math.max(0, Math.floor(ms / 60_000));
    if (minutes < 60) return this.t('late.m', { n: minutes });
    if (minutes < 1440) return this.t('late.h', { n: Math.floor(minutes / 60) });
    return this.t('late.d', { n: Math.floor(minutes / 1440) });
  }

  /** An expected time of day, "14:00", in the reader's time zone. */
  timeOfDay(timeMs) {
    return Number.isFinite(timeMs) ? this.#timeOfDay.format(new Date(timeMs)) : '';
  }

  /** A running clock: "0:07", "12:03", "1:02:03"; the same in every language. */
  static elapsed(ms) {
    const seconds = Math.max(0, Math.floor(ms / 1000));
    const h = Math.floor(seconds / 3600);
    const m = Math.floor((seconds % 3600) / 60);
    const s = String(seconds % 60).padStart(2, '0');
    return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
  }

  absolute(timeMs) {
    return Number.isFinite(timeMs) ? this.#absolute.format(new Date(timeMs)) : '';
  }

  #set(lang) {
    this.#lang = lang;
    this.#absolute = new Intl.DateTimeFormat(MESSAGES[lang].htmlLang, {
      dateStyle: 'medium',
      timeStyle: 'medium',
    });
    this.#timeOfDay = new Intl.DateTimeFormat(MESSAGES[lang].htmlLang, { hour: '2-digit', minute: '2-digit' });
  }
}
