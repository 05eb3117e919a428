package dev.operators.elasticache.decide;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * May a RedisCache adopt an existing replication group? Adoption hands the group, its data and its
 * AUTH token to whoever created the RedisCache, so naming a group in {@code spec.adoption} is not
 * enough: whoever owns the group must have agreed, in one of two ways.
 *
 * <ul>
 *   <li>The group carries the tag {@code elasticache.operators.dev/adoptable-by} with the value
 *       {@code <namespace>/<name>} of the RedisCache (exactly; set by the group's owner in AWS).
 *   <li>The operator's configuration {@code rediscache.adoption.allowed} (the platform engineer's)
 *       has an entry {@code <namespace>/<name>=<replicationGroupId>}; {@code *} in any of the three
 *       parts matches any run of characters, as in {@code team-a/*=team-a-*}.
 * </ul>
 *
 * A group that already carries a RedisCache's uid tag is never a consent question: it is this
 * RedisCache's (adopted earlier) or another's (refused, whatever the consent says).
 */
public final class AdoptionConsent {
  public static final String CONFIG_KEY = "rediscache.adoption.allowed";
  public static final String CONFIG_ENV = "REDISCACHE_ADOPTION_ALLOWED";

  public enum Verdict {
    /** The group carries this RedisCache's uid: adopted before (a restart, a retry). */
    ALREADY_OURS,
    /** The group carries another RedisCache's uid. */
    OWNED_BY_ANOTHER,
    /** Unowned, and its owner (tag) or the platform engineer (configuration) agreed. */
    ALLOWED,
    /** Unowned, and nobody agreed. */
    NOT_ALLOWED
  }

  /** The verdict and, for a person to read, why. */
  public record Decision(Verdict verdict, String message) {
    public boolean mayProceed() {
      return verdict == Verdict.ALREADY_OURS || verdict == Verdict.ALLOWED;
    }
  }

  private AdoptionConsent() {}

  /**
   * @param groupTags the group's tags as AWS has them now
   * @param allowList the entries of {@code rediscache.adoption.allowed} (may be empty)
   */
  public static Decision decide(String namespace, String name, String uid, String replicationGroupId,
      Map<String, String> groupTags, List<String> allowList) {
    String owner = groupTags.get(Names.TAG_UID);
    if (owner != null) {
      return owner.equals(uid)
          ? new Decision(Verdict.ALREADY_OURS, "replication group " + replicationGroupId + " was adopted by this RedisCache")
          : new Decision(Verdict.OWNED_BY_ANOTHER, "replication group " + replicationGroupId
              + " belongs to another RedisCache (owner uid " + owner + "); it is never taken over");
    }
    String who = namespace + "/" + name;
    String tagged = groupTags.get(Names.TAG_ADOPTABLE_BY);
    if (tagged != null && tagged.trim().equals(who)) {
      return new Decision(Verdict.ALLOWED, "its tag " + Names.TAG_ADOPTABLE_BY + "=" + who);
    }
    List<String> malformed = new ArrayList<>();
    for (String entry : allowList == null ? List.<String>of() : allowList) {
      Rule rule = Rule.parse(entry);
      if (rule == null) {
        if (entry != null && !entry.isBlank()) malformed.add(entry.trim());
        continue;
      }
      if (rule.matches(namespace, name, replicationGroupId)) {
        return new Decision(Verdict.ALLOWED, "the operator's " + CONFIG_KEY + " entry " + entry.trim());
      }
    }
    StringBuilder m = new StringBuilder("adopting replication group ").append(replicationGroupId).append(" needs the consent of whoever owns it, and ")
        .append(who).append(" has none: ");
    if (tagged != null) m.append("its tag ").append(Names.TAG_ADOPTABLE_BY).append(" names ").append(tagged.trim()).append(", not ").append(who).append("; ");
    m.append("to allow it, the group's owner tags the replication group with ").append(Names.TAG_ADOPTABLE_BY).append("=").append(who)
        .append(", or the platform engineer adds ").append(who).append("=").append(replicationGroupId).append(" to the operator's ")
        .append(CONFIG_KEY).append(" (").append(CONFIG_ENV).append(")");
    if (!malformed.isEmpty()) m.append("; entries of ").append(CONFIG_KEY).append(" ignored as malformed: ").append(malformed);
    m.append(". Nothing was changed in AWS.");
    return new Decision(Verdict.NOT_ALLOWED, m.toString());
  }

  /** One entry of the allow-list: {@code <namespace>/<name>=<replicationGroupId>}, each part a glob with {@code *}. */
  record Rule(Pattern namespace, Pattern name, Pattern group) {
    static Rule parse(String entry) {
      if (entry == null) return null;
      String e = entry.trim();
      int eq = e.indexOf('=');
      if (eq < 0 || e.indexOf('=', eq + 1) >= 0) return null;
      String who = e.substring(0, eq).trim();
      String group = e.substring(eq + 1).trim();
      int slash = who.indexOf('/');
      if (slash < 0 || who.indexOf('/', slash + 1) >= 0) return null;
      String ns = who.substring(0, slash).trim();
      String n = who.substring(slash + 1).trim();
      if (ns.isEmpty() || n.isEmpty() || group.isEmpty()) return null;
      return new Rule(glob(ns, false), glob(n, false), glob(group, true));
    }

    boolean matches(String ns, String n, String replicationGroupId) {
      return namespace.matcher(ns).matches() && name.matcher(n).matches() && group.matcher(replicationGroupId).matches();
    }

    /** ElastiCache keeps replication group ids in lower case, so they compare without case. */
    private static Pattern glob(String glob, boolean ignoreCase) {
      List<String> literals = new ArrayList<>();
      for (String part : glob.split("\\*", -1)) literals.add(Pattern.quote(part));
      return Pattern.compile(String.join(".*", literals), ignoreCase ? Pattern.CASE_INSENSITIVE : 0);
    }
  }
}
