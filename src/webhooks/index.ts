/** The webhook receiver of `apriora activity listen` (`apriora help webhooks`): what the command needs. */
export { journalPath } from './journal.js';
export { type ListenEvent, type ListenSummary, type PendingCap, pendingCap, WebhookListener } from './listener.js';
