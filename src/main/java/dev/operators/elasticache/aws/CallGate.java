package dev.operators.elasticache.aws;

import java.util.function.LongSupplier;

/**
 * The operator's own rate limit on AWS calls: a token bucket with reservations. A call that fits
 * within {@code maxWait} of the limit gets a slot and waits for it (a short, bounded pause on the
 * operator's own limiter, never a wait on AWS); beyond that it fails at once as THROTTLED and the
 * reconcile is retried later. Reservations keep callers in order, so many reconciles share the
 * limit instead of each spending a few calls and being turned away.
 */
public final class CallGate {
  /** Sleeps for the given nanoseconds; replaceable in tests. */
  public interface Sleeper {
    void sleep(long nanos) throws InterruptedException;
  }

  private final double perSecond;
  private final double burst;
  private final long maxWaitNanos;
  private final LongSupplier nanoClock;
  private final Sleeper sleeper;
  private double tokens;
  private long last;

  public CallGate(double perSecond, int burst) {
    this(perSecond, burst, 2_000_000_000L, System::nanoTime, nanos -> Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000)));
  }

  public CallGate(double perSecond, int burst, long maxWaitNanos, LongSupplier nanoClock, Sleeper sleeper) {
    this.perSecond = perSecond;
    this.burst = burst;
    this.maxWaitNanos = maxWaitNanos;
    this.nanoClock = nanoClock;
    this.sleeper = sleeper;
    this.tokens = burst;
    this.last = nanoClock.getAsLong();
  }

  /** Takes a slot (waiting at most maxWait for it) or throws THROTTLED. */
  public void enter(String operation) {
    enter(operation, false);
  }

  /**
   * The sweep's calls serve every cache at once: they go first. They take their slot now, not
   * behind the reconciles' bookings (a look of a dozen calls would otherwise wait up to maxWait for
   * each, and every cache's Ready with it); the reconciles' calls that follow wait longer for it,
   * so the long-run rate stays the limit.
   */
  public void enter(String operation, boolean always) {
    long wait = reserve(always);
    if (wait < 0) {
      throw new AwsException(AwsException.Kind.THROTTLED, operation, "ClientRateLimit",
          "the operator's own limit of " + perSecond + " AWS calls per second is fully booked");
    }
    if (wait > 0) {
      try {
        sleeper.sleep(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AwsException(AwsException.Kind.TRANSIENT, operation, "Interrupted", "interrupted while waiting for a call slot");
      }
    }
  }

  /** Nanoseconds to wait for a reserved slot, or -1 when the wait would exceed maxWait. */
  synchronized long reserve(boolean always) {
    long now = nanoClock.getAsLong();
    tokens = Math.min(burst, tokens + (now - last) / 1e9 * perSecond);
    last = now;
    double missing = 1 - tokens;
    long wait = missing <= 0 || always ? 0 : (long) Math.ceil(missing / perSecond * 1e9);
    if (wait > maxWaitNanos) return -1;
    tokens -= 1;
    return wait;
  }
}
