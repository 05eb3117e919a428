package dev.operators.elasticache.resources;

import dev.operators.elasticache.aws.AwsException;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * What one step of a reconcile (or of a deletion) comes to. A step that is not {@link Done} ends
 * the reconcile there; the reconciler alone turns an outcome into the status it writes and the
 * time it looks again.
 */
public sealed interface Outcome {
  /** A Stalled cache is looked at again this often: what a person fixed outside Kubernetes (AWS, IAM) is noticed. */
  Duration STALLED_RECHECK = Duration.ofMinutes(10);
  Done DONE = new Done(null);

  /** In line with the spec; {@code lookAgainAfter} (or null): when something is due (a token rotation's next phase). */
  record Done(Duration lookAgainAfter) implements Outcome {}

  /**
   * AWS is at work (creating, modifying, deleting), or a new cache waits its turn to be created
   * (Queued): end this reconcile and come back after this long.
   */
  record WaitForAws(String reason, String message, Duration after) implements Outcome {}

  /** The operator's own AWS call budget turned a call away: not a failure of AWS. */
  record WaitForBudget() implements Outcome {}

  /**
   * The cache cannot progress until a person acts (changes the spec, or AWS resources named in
   * it). A person may fix the cause outside anything the operator watches (AWS, IAM), so it is
   * looked at again after {@code lookAgainAfter}, reading first.
   */
  record Stalled(String reason, String message, Duration lookAgainAfter) implements Outcome {}

  /** AWS turned a call down (throttled, busy, out of capacity, unavailable, refused the input). */
  record AwsFailed(AwsException error) implements Outcome {
    /** How the operator shows it: {@code operation: code: AWS's message}. */
    public String message() {
      return error.operation() + ": " + error.code() + ": " + error.awsMessage();
    }

    /** A condition reason from the kind of failure. */
    public String reason() {
      return switch (error.kind()) {
        case THROTTLED -> "Throttled";
        case BUSY -> "AwsBusy";
        case CAPACITY -> "AwsCapacity";
        case TRANSIENT -> "AwsUnavailable";
        default -> "AwsError";
      };
    }
  }

  static Done done(Duration lookAgainAfter) {
    return lookAgainAfter == null ? DONE : new Done(lookAgainAfter);
  }

  static WaitForAws waitForAws(String reason, String message, Duration after) {
    return new WaitForAws(reason, message, after);
  }

  static Stalled stalled(String reason, String message) {
    return new Stalled(reason, message, STALLED_RECHECK);
  }

  static Stalled stalled(String reason, String message, Duration lookAgainAfter) {
    return new Stalled(reason, message, lookAgainAfter);
  }

  /** The one place an AWS error becomes an outcome. */
  static Outcome of(AwsException e) {
    // The operator's own limit on AWS calls ("ClientRateLimit") is not an AWS failure.
    return "ClientRateLimit".equals(e.code()) ? new WaitForBudget() : new AwsFailed(e);
  }

  default boolean done() {
    return this instanceof Done;
  }

  /**
   * Runs the steps in order until one is not done, and returns that one's outcome; when all are
   * done, Done with the earliest time one of them asked to be looked at again.
   */
  @SafeVarargs
  static Outcome inOrder(Supplier<Outcome>... steps) {
    Duration lookAgainAfter = null;
    for (Supplier<Outcome> step : steps) {
      Outcome outcome = step.get();
      if (!(outcome instanceof Done d)) return outcome;
      if (d.lookAgainAfter() != null && (lookAgainAfter == null || d.lookAgainAfter().compareTo(lookAgainAfter) < 0)) {
        lookAgainAfter = d.lookAgainAfter();
      }
    }
    return done(lookAgainAfter);
  }
}
