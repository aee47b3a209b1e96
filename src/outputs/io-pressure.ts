// How far storage writes lag behind ingest, across every stream of the process. When the bytes
// queued for storage pass the high-water mark (the disk or the thread pool cannot keep up), ingest
// is paused — publishers' sockets stop being read, so TCP pushes back to the encoders, which drop
// frames on their side — until the backlog falls under the low-water mark. Without it an overloaded
// origin buffers media in memory without bound.

/** Bytes queued for storage that pause ingest, and the level at which it resumes. */
export const IO_HIGH_WATER_BYTES = 256 * 1024 * 1024;
export const IO_LOW_WATER_BYTES = 128 * 1024 * 1024;

export class IoPressure {
  private pending = 0;
  private high = false;
  private readonly listeners = new Set<(high: boolean) => void>();

  constructor(
    private readonly highWater = IO_HIGH_WATER_BYTES,
    private readonly lowWater = IO_LOW_WATER_BYTES,
  ) {}

  get pendingBytes(): number {
    return this.pending;
  }

  get isHigh(): boolean {
    return this.high;
  }

  /** Called with true when ingest must pause and false when it may resume; returns an unsubscribe. */
  onChange(listener: (high: boolean) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Bytes handed to storage. */
  queued(bytes: number): void {
    this.pending += bytes;
    if (!this.high && this.pending > this.highWater) this.set(true);
  }

  /** Bytes storage has finished with (written or failed). */
  done(bytes: number): void {
    this.pending = Math.max(0, this.pending - bytes);
    if (this.high && this.pending < this.lowWater) this.set(false);
  }

  private set(high: boolean): void {
    this.high = high;
    for (const l of this.listeners) l(high);
  }
}
