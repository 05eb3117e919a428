package dev.operators.elasticache.decide;

import dev.operators.elasticache.aws.ModifyRequest;
import dev.operators.elasticache.aws.ReplicationGroupInfo;

/**
 * In-transit encryption switched on a running replication group, in AWS's steps: off, then
 * {@code preferred} (AWS accepts plain and TLS connections), then {@code required}; and back the
 * same way. Every step is derived from what AWS reports (TransitEncryptionEnabled and
 * TransitEncryptionMode) and the spec, never from memory, so a restart anywhere resumes.
 *
 * <p>The connection Secret follows at the one moment no app is cut off: while AWS is in
 * {@code preferred} both URLs work, so the Secret switches there (to TLS on the way up, before
 * {@code required} is asked; to plain on the way down, before TLS is turned off).
 */
public final class TlsMigration {
  private TlsMigration() {}

  public static final String PREFERRED = "preferred";
  public static final String REQUIRED = "required";

  /** Where the group is: off, preferred or required (a group with TLS and no mode reported is required). */
  public static String state(ReplicationGroupInfo g) {
    if (!g.transitEncryption()) return "off";
    return PREFERRED.equals(g.transitEncryptionMode()) ? PREFERRED : REQUIRED;
  }

  /** The next ModifyReplicationGroup towards {@code wantTls}, or null when the group is where the spec wants it. */
  public static Change.Modify next(boolean wantTls, ReplicationGroupInfo g) {
    String state = state(g);
    String id = g.id();
    if (wantTls) {
      return switch (state) {
        case "off" -> new Change.Modify(ModifyRequest.of(id, true).transit(Boolean.TRUE, PREFERRED), "tls off -> preferred");
        case PREFERRED -> new Change.Modify(ModifyRequest.of(id, true).transit(null, REQUIRED), "tls preferred -> required");
        default -> null;
      };
    }
    return switch (state) {
      case REQUIRED -> new Change.Modify(ModifyRequest.of(id, true).transit(null, PREFERRED), "tls required -> preferred");
      case PREFERRED -> new Change.Modify(ModifyRequest.of(id, true).transit(Boolean.FALSE, null), "tls preferred -> off");
      default -> null;
    };
  }

  /** The step out of {@code preferred}: to required, or TLS off. The Secret switched before it; apps need time to follow. */
  public static boolean leavesPreferred(Change next) {
    if (!(next instanceof Change.Modify m)) return false;
    return REQUIRED.equals(m.request().transitEncryptionMode()) || Boolean.FALSE.equals(m.request().transitEncryptionEnabled());
  }

  /**
   * Whether the Secret gives apps the TLS URL: as the spec says before the group exists; as AWS
   * requires once it is off or required; in {@code preferred}, where both work, the way the spec goes.
   */
  public static boolean secretTls(boolean wantTls, ReplicationGroupInfo g) {
    if (g == null) return wantTls;
    String state = state(g);
    return PREFERRED.equals(state) ? wantTls : REQUIRED.equals(state);
  }

  /**
   * AWS's precondition, checked before a step is asked: TLS changes only on Valkey, or Redis OSS 7
   * and above (ModifyReplicationGroup). A problem naming spec.tls, or null.
   */
  public static Problem precondition(boolean wantTls, ReplicationGroupInfo g, String runningVersion) {
    if (next(wantTls, g) == null) return null;
    if ("redis".equals(g.engine()) && runningVersion != null && major(runningVersion) < 7) {
      return new Problem("spec.tls", "AWS changes in-transit encryption on a running group only on Valkey or Redis OSS 7 and above; "
          + "the group runs redis " + runningVersion + ": set engineVersion to 7.0 or later (or engine: valkey) first, then change tls");
    }
    return null;
  }

  private static int major(String version) {
    try {
      return Integer.parseInt(version.split("\\.")[0]);
    } catch (NumberFormatException e) {
      return Integer.MAX_VALUE;
    }
  }
}
