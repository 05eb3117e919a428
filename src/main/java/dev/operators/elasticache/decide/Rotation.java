package dev.operators.elasticache.decide;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The state of a token rotation, kept with the token itself in the connection Secret (so a restart
 * at any step finds it): the new token under {@code pendingPassword} and the phase in annotations.
 * Phases: PENDING (new token stored everywhere, ROTATE not yet applied by AWS) and GRACE (the Secret
 * holds the new token, both work until {@code graceUntil}, then SET). The last rotation's end and the
 * request it answered are kept there too, written with the token they produced: the durable record of
 * what was done, whatever the status (a write that failed, an informer that lags) says.
 */
public record Rotation(Phase phase, String pendingToken, Instant started, String base, Instant graceUntil, Instant lastCompleted,
    String handledRequest) {
  public enum Phase { NONE, PENDING, GRACE }

  public static final String PENDING_KEY = "pendingPassword";
  public static final String PHASE_ANNOTATION = "elasticache.operators.dev/rotation-phase";
  public static final String STARTED_ANNOTATION = "elasticache.operators.dev/rotation-started";
  /**
   * AWS's AuthTokenLastModifiedDate when the phase began: in PENDING, a different value means AWS
   * applied ROTATE; in GRACE (written from the ROTATE's own date), that AWS applied SET.
   */
  public static final String BASE_ANNOTATION = "elasticache.operators.dev/rotation-base";
  public static final String GRACE_ANNOTATION = "elasticache.operators.dev/rotation-grace-until";
  /** Set by a person (any new value) to rotate now. */
  public static final String REQUEST_ANNOTATION = "elasticache.operators.dev/rotate-token";
  /** When the last rotation ended (SET sent), and the rotate-token request it answered. */
  public static final String COMPLETED_ANNOTATION = "elasticache.operators.dev/rotation-completed";
  public static final String HANDLED_ANNOTATION = "elasticache.operators.dev/rotation-handled-request";

  public static final Rotation NONE = new Rotation(Phase.NONE, null, null, null, null, null, null);

  public static Rotation read(Map<String, String> data, Map<String, String> annotations) {
    if (annotations == null) return NONE;
    String completed = annotations.get(COMPLETED_ANNOTATION);
    Rotation history = new Rotation(Phase.NONE, null, null, null, null, completed == null ? null : Instant.parse(completed),
        annotations.get(HANDLED_ANNOTATION));
    String phase = annotations.get(PHASE_ANNOTATION);
    if ("pending".equals(phase) && data.get(PENDING_KEY) != null && annotations.get(STARTED_ANNOTATION) != null) {
      return new Rotation(Phase.PENDING, data.get(PENDING_KEY), Instant.parse(annotations.get(STARTED_ANNOTATION)),
          annotations.getOrDefault(BASE_ANNOTATION, ""), null, history.lastCompleted, history.handledRequest);
    }
    if ("grace".equals(phase) && annotations.get(GRACE_ANNOTATION) != null) {
      return new Rotation(Phase.GRACE, null, null, annotations.get(BASE_ANNOTATION), Instant.parse(annotations.get(GRACE_ANNOTATION)),
          history.lastCompleted, history.handledRequest);
    }
    return history;
  }

  /** A rotation that stored {@code token} at {@code now}, keeping this one's history. */
  public Rotation pending(String token, Instant now, Instant awsTokenLastModified) {
    return new Rotation(Phase.PENDING, token, now, awsTokenLastModified == null ? "" : awsTokenLastModified.toString(), null,
        lastCompleted, handledRequest);
  }

  /**
   * The grace period after the Secret switched to the new token, keeping this one's history;
   * {@code awsTokenLastModified} is AWS's date of the ROTATE it applied.
   */
  public Rotation grace(Instant until, Instant awsTokenLastModified) {
    return new Rotation(Phase.GRACE, null, null, awsTokenLastModified == null ? null : awsTokenLastModified.toString(), until,
        lastCompleted, handledRequest);
  }

  /** No rotation in progress: the last one ended at {@code at}, answering {@code request} (or null). */
  public static Rotation completed(Instant at, String request) {
    return new Rotation(Phase.NONE, null, null, null, null, at, request);
  }

  /**
   * AWS applied this phase's change (PENDING: the ROTATE; GRACE: the SET): its token modification
   * date moved since the phase began. Unknown (a grace written before the date was kept) is false.
   */
  public boolean applied(Instant awsTokenLastModified) {
    return awsTokenLastModified != null && base != null && !awsTokenLastModified.toString().equals(base);
  }

  /** The annotations to write on the Secret for this state. */
  public Map<String, String> annotations() {
    Map<String, String> a = new LinkedHashMap<>();
    if (phase == Phase.PENDING) {
      a.put(PHASE_ANNOTATION, "pending");
      a.put(STARTED_ANNOTATION, started.toString());
      a.put(BASE_ANNOTATION, base);
    } else if (phase == Phase.GRACE) {
      a.put(PHASE_ANNOTATION, "grace");
      a.put(GRACE_ANNOTATION, graceUntil.toString());
      if (base != null) a.put(BASE_ANNOTATION, base);
    }
    if (lastCompleted != null) a.put(COMPLETED_ANNOTATION, lastCompleted.toString());
    if (handledRequest != null) a.put(HANDLED_ANNOTATION, handledRequest);
    return a;
  }

  /** Adds the pending token to the Secret's data while one is pending. */
  public Map<String, String> decorate(Map<String, String> data) {
    if (phase != Phase.PENDING) return data;
    Map<String, String> out = new LinkedHashMap<>(data);
    out.put(PENDING_KEY, pendingToken);
    return out;
  }

  /** Is a rotation due: asked for with the annotation, or the schedule says so. */
  public static boolean due(String requested, String handled, Duration every, Instant lastRotated, Instant now) {
    if (requested != null && !requested.equals(handled)) return true;
    return every != null && lastRotated != null && !now.isBefore(lastRotated.plus(every));
  }

  @Override
  public String toString() {
    return "Rotation[" + phase + ", started=" + started + ", graceUntil=" + graceUntil + ", lastCompleted=" + lastCompleted + "]";
  }
}
