package dev.operators.elasticache.reconciler;

import java.time.Duration;

/** The cache cannot progress until a person acts (changes the spec, or AWS resources named in it). */
public final class Stall extends RuntimeException {
  private final String reason;
  private final Duration lookAgainAfter;

  public Stall(String reason, String message) {
    this(reason, message, RedisCacheReconciler.STALLED_RECHECK);
  }

  /**
   * A stall a person ends outside anything the operator watches (a tag in AWS): look again after
   * this long, reading only.
   */
  public Stall(String reason, String message, Duration lookAgainAfter) {
    super(message, null, false, false);
    this.reason = reason;
    this.lookAgainAfter = lookAgainAfter;
  }

  public String reason() { return reason; }

  /**
   * When to look again: a person may fix the cause outside anything the operator watches (AWS,
   * IAM), so even a Stalled cache is looked at again periodically (reading first).
   */
  public Duration lookAgainAfter() { return lookAgainAfter; }
}
