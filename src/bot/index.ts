/** The operators' Telegram control bot: commands, alerts, and the watcher that raises them. */
export { type Alert, budgetAlerts, feedAlerts, formatAlert, parseButtonData } from './alerts.ts';
export { type ControlBot, type ControlBotOptions, createControlBot, HELP, REFUSAL } from './control-bot.ts';
export { AlertWatcher, type AlertWatcherOptions } from './watcher.ts';
