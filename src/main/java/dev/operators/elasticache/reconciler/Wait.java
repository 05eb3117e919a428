package dev.operators.elasticache.reconciler;

import java.time.Duration;

/** AWS is working (creating, modifying, deleting): end this reconcile and come back later. */
public final class Wait extends RuntimeException {
  private final String reason;
  private final Duration after;

  public Wait(String reason, String message, Duration after) {
    super(message, null, false, false);
    this.reason = reason;
    this.after = after;
  }

  public String reason() { return reason; }
  public Duration after() { return after; }
}
