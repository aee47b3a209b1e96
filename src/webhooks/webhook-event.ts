// The events a webhook receiver gets, as JSON POST bodies. `id` is unique per event and stays the
// same across delivery attempts, so a receiver can drop a duplicate delivery.
export const WEBHOOK_EVENT_TYPES = ['stream.publish', 'stream.unpublish', 'recording.ready'] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export interface WebhookEvent {
  readonly id: string;
  readonly type: WebhookEventType;
  /** ISO 8601 time the event happened. */
  readonly time: string;
  readonly app: string;
  readonly name: string;
  /** recording.ready only: the recording and where to watch or download it (paths on this origin). */
  readonly recording?: {
    readonly id: string;
    readonly durationSec: number;
    readonly bytes: number;
    readonly hls: string;
    readonly dash: string;
    readonly mp4: string;
  };
}
