// continuity_counter bookkeeping per PID (ISO/IEC 13818-1 §2.4.3.3): +1 mod 16 for every packet
// with payload; packets with adaptation_field_control '10' (no payload) repeat the last value.
import { CONTINUITY_COUNTER_MODULUS } from './ts-constants.js';

export class ContinuityCounters {
  /** The value the next packet with payload will carry, per PID (0 until a PID is first used). */
  private readonly nextByPid = new Map<number, number>();

  /** The counter for a packet that carries payload; advances the PID's counter. */
  take(pid: number): number {
    const cc = this.peek(pid);
    this.nextByPid.set(pid, (cc + 1) % CONTINUITY_COUNTER_MODULUS);
    return cc;
  }

  /** The counter for an adaptation-field-only packet: that of the previous packet, not incremented. */
  repeat(pid: number): number {
    return (this.peek(pid) + CONTINUITY_COUNTER_MODULUS - 1) % CONTINUITY_COUNTER_MODULUS;
  }

  /** The value the next packet with payload on `pid` will carry. */
  peek(pid: number): number {
    return this.nextByPid.get(pid) ?? 0;
  }

  set(pid: number, next: number): void {
    this.nextByPid.set(pid, next);
  }
}
