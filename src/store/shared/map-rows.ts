/**
 * Rows as both stores read them (the SQLite and PostgreSQL schemas name and type their
 * columns alike) and the domain objects they become, and the column values both write: one
 * mapping, so the two stores cannot drift apart in what they keep or return.
 */
import type { Cadence, Delivery, DeliveryStatus, Subscriber, SubscriberStatus } from '../../types.js';
import type { ConfirmationRequest } from '../roles/confirmations.js';
import type { IssuePaper, StoredIssue } from '../roles/issue-store.js';
import type { JobRun } from '../roles/job-runs.js';
import type { MailEvent } from '../roles/mail-events.js';
import type { SubscriberInput } from '../roles/subscriber-store.js';
import type { Suppression } from '../roles/suppression-list.js';

/** Uniqueness ignores case in the whole address: two rows that differ only in case are one person (email_key). */
export const emailKey = (email: string) => email.toLowerCase();

/** The address itself and its @domain: the suppression patterns that cover an email key. */
export const suppressionKeys = (key: string) => [key, key.slice(key.lastIndexOf('@'))] as const;

/** The themes column: a JSON list, or null for none (all themes). */
export const themesJson = (themes: string[] | null | undefined) =>
  themes === undefined || themes === null || themes.length === 0 ? null : JSON.stringify(themes);

/** The keywords column of issue_papers: a JSON list, or null for none. */
export const keywordsJson = (keywords: string[] | undefined) => (keywords?.length ? JSON.stringify(keywords) : null);

/** A new subscriber as both stores insert one (columns as stored; null times are set by the store). */
export interface NewSubscriber {
  email: string;
  key: string;
  name: string | null;
  status: SubscriberStatus;
  themes: string | null;
  cadence: Cadence;
  createdAt: string | null;
  confirmedAt: string | null;
  unsubscribedAt: string | null;
}
/** The new row for an input whose address is `email` (normalized) and whose status is decided. */
export const toNewSubscriber = (input: SubscriberInput, email: string, status: SubscriberStatus): NewSubscriber => ({
  email,
  key: emailKey(email),
  name: input.name ?? null,
  status,
  themes: themesJson(input.themes),
  cadence: input.cadence ?? 'daily',
  createdAt: input.createdAt ?? null,
  confirmedAt: input.confirmedAt ?? null,
  unsubscribedAt: input.unsubscribedAt ?? null,
});

export interface IssueRow {
  id: string;
  frozen: string;
  created_at: string;
  sent_at: string | null;
}
export const toIssue = (r: IssueRow): StoredIssue => ({ id: r.id, frozen: r.frozen, createdAt: r.created_at, sentAt: r.sent_at });
export const toIssueSummary = (r: Omit<IssueRow, 'frozen'>): Omit<StoredIssue, 'frozen'> => ({ id: r.id, createdAt: r.created_at, sentAt: r.sent_at });

export interface SuppressionRow {
  pattern: string;
  reason: string;
  created_at: string;
}
export const toSuppression = (r: SuppressionRow): Suppression => ({ pattern: r.pattern, reason: r.reason, createdAt: r.created_at });

export interface SubscriberRow {
  id: number;
  email: string;
  name: string | null;
  status: SubscriberStatus;
  themes: string | null;
  cadence: Cadence;
  created_at: string;
  confirmed_at: string | null;
  unsubscribed_at: string | null;
}
/** A subscriber as both stores return one; `cadence` only when it is not daily (absent means daily, see types.ts). */
export const toSubscriber = (r: SubscriberRow): Subscriber => ({
  id: r.id,
  email: r.email,
  name: r.name,
  status: r.status,
  themes: r.themes === null ? null : (JSON.parse(r.themes) as string[]),
  ...(r.cadence && r.cadence !== 'daily' ? { cadence: r.cadence } : {}),
  createdAt: r.created_at,
  confirmedAt: r.confirmed_at,
  unsubscribedAt: r.unsubscribed_at,
});

export interface DeliveryRow {
  issue_id: string;
  subscriber_id: number;
  status: DeliveryStatus;
  attempts: number;
  message_id: string;
  response: string | null;
  updated_at: string;
}
export const toDelivery = (r: DeliveryRow): Delivery => ({
  issueId: r.issue_id,
  subscriberId: r.subscriber_id,
  status: r.status,
  attempts: r.attempts,
  messageId: r.message_id,
  response: r.response,
  updatedAt: r.updated_at,
});

export interface IssuePaperRow {
  issue_id: string;
  paper_id: string;
  title: string;
  url: string | null;
  upvotes: number | null;
  theme_label: string;
  theme_id: string | null;
  keywords: string | null;
  abstract: string | null;
}
export const toIssuePaper = (r: IssuePaperRow): IssuePaper => ({
  issueId: r.issue_id,
  paperId: r.paper_id,
  title: r.title,
  url: r.url,
  upvotes: r.upvotes,
  themeLabel: r.theme_label,
  themeId: r.theme_id,
  keywords: r.keywords === null ? [] : (JSON.parse(r.keywords) as string[]),
  abstract: r.abstract ?? '',
});

export interface RunRow {
  id: number;
  scheduled_for: string | null;
  started_at: string;
  finished_at: string | null;
  outcome: string | null;
  issue_id: string | null;
  detail: string | null;
}
export const toRun = (r: RunRow): JobRun => ({
  id: r.id,
  scheduledFor: r.scheduled_for,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  outcome: r.outcome,
  issueId: r.issue_id,
  detail: r.detail,
});

export interface ConfirmationRow {
  nonce: string;
  subscriber_id: number;
  name: string | null;
  themes: string | null;
  cadence: Cadence | null;
  requested_at: string;
  expires_at: string;
  used_at: string | null;
}
export const toConfirmation = (r: ConfirmationRow): ConfirmationRequest => ({
  nonce: r.nonce,
  subscriberId: r.subscriber_id,
  name: r.name,
  themes: r.themes === null ? null : (JSON.parse(r.themes) as string[]),
  ...(r.cadence ? { cadence: r.cadence } : {}),
  requestedAt: r.requested_at,
  expiresAt: r.expires_at,
  usedAt: r.used_at,
});

export interface MailEventRow {
  id: number;
  event_key: string;
  source: string;
  type: string;
  severity: 'hard' | 'soft' | null;
  issue_id: string | null;
  subscriber_id: number | null;
  recipient: string | null;
  status: string | null;
  diagnostic: string | null;
  occurred_at: string | null;
  received_at: string;
  outcome: string;
}
export const toMailEvent = (r: MailEventRow): MailEvent => ({
  id: r.id,
  eventKey: r.event_key,
  source: r.source,
  type: r.type,
  severity: r.severity,
  issueId: r.issue_id,
  subscriberId: r.subscriber_id,
  recipient: r.recipient,
  status: r.status,
  diagnostic: r.diagnostic,
  occurredAt: r.occurred_at,
  receivedAt: r.received_at,
  outcome: r.outcome,
});
