package dev.operators.elasticache.aws;

/**
 * The operator's own rate limit on AWS calls: a token bucket that never waits. A call over the
 * limit fails at once as THROTTLED, and the reconcile that made it is retried later with back-off.
 */
public final class CallGate {
  private final double perSecond;
  private final double burst;
  private final java.util.function.LongSupplier nanoClock;
  private double tokens;
  private long last;

  public CallGate(double perSecond, int burst) {
    this(perSecond, burst, System::nanoTime);
  }

  public CallGate(double perSecond, int burst, java.util.function.LongSupplier nanoClock) {
    this.perSecond = perSecond;
    this.burst = burst;
    this.nanoClock = nanoClock;
    this.tokens = burst;
    this.last = nanoClock.getAsLong();
  }

  /** Takes a token or throws THROTTLED. */
  public synchronized void enter(String operation) {
    long now = nanoClock.getAsLong();
    tokens = Math.min(burst, tokens + (now - last) / 1e9 * perSecond);
    last = now;
    if (tokens < 1) {
      throw new AwsException(AwsException.Kind.THROTTLED, operation, "ClientRateLimit",
          "the operator's own limit of " + perSecond + " AWS calls per second was reached");
    }
    tokens -= 1;
  }
}
