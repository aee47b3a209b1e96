// What the rest of the service calls to announce an event: builds a WebhookEvent and queues one
// 'deliver-webhook' job for it (delivery, retries and signing: webhook-delivery.ts). The job id
// is derived from the event id, so adding the same event twice delivers it once.
import { randomUUID } from 'node:crypto';
import type { JobQueue } from '../jobs/job-types.js';
import type { WebhookEvent, WebhookEventType } from './webhook-event.js';

export type WebhookRecording = NonNullable<WebhookEvent['recording']>;

export interface WebhookNotifierOptions {
  readonly queue: JobQueue;
  /** Null: webhooks are off and every call is a no-op. */
  readonly url: string | null;
  readonly newId?: () => string;
  readonly nowMs?: () => number;
}

export function webhookJobId(eventId: string): string {
  return `webhook-${eventId}`;
}

export class WebhookNotifier {
  private readonly queue: JobQueue;
  private readonly newId: () => string;
  private readonly nowMs: () => number;
  readonly enabled: boolean;

  constructor(options: WebhookNotifierOptions) {
    this.queue = options.queue;
    this.enabled = options.url !== null;
    this.newId = options.newId ?? randomUUID;
    this.nowMs = options.nowMs ?? Date.now;
  }

  /** A publisher started streaming `app/name`. Returns the queued event, or null when off. */
  publish(app: string, name: string): WebhookEvent | null {
    return this.emit('stream.publish', app, name);
  }

  /** The publisher of `app/name` stopped (or was disconnected). */
  unpublish(app: string, name: string): WebhookEvent | null {
    return this.emit('stream.unpublish', app, name);
  }

  /** A recording of `app/name` is finalized and can be watched or downloaded. */
  recordingReady(app: string, name: string, recording: WebhookRecording): WebhookEvent | null {
    return this.emit('recording.ready', app, name, recording);
  }

  private emit(type: WebhookEventType, app: string, name: string, recording?: WebhookRecording): WebhookEvent | null {
    if (!this.enabled) return null;
    const base = { id: this.newId(), type, time: new Date(this.nowMs()).toISOString(), app, name };
    const event: WebhookEvent = recording === undefined ? base : { ...base, recording: { ...recording } };
    this.queue.add('deliver-webhook', { event }, { jobId: webhookJobId(event.id) });
    return event;
  }
}
