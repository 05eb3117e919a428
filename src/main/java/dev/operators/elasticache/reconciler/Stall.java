package dev.operators.elasticache.reconciler;

import java.time.Duration;

/** The cache cannot progress until a person acts (changes the spec, or AWS resources named in it). */
public final class Stall extends RuntimeException {
  private final String reason;
  private final Duration lookAgainAfter;

  public Stall(String reason, String message) {
    this(reason, message, null);
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

  /** Null: only a change of the spec (or of what the sweep sees) brings the cache back. */
  public Duration lookAgainAfter() { return lookAgainAfter; }
}
