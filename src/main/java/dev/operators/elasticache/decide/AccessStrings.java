package dev.operators.elasticache.decide;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * ElastiCache RBAC access strings, checked before AWS is called (user guide "Role-Based Access
 * Control (RBAC)", "Specifying Permissions Using an Access String"): not blank; no password in it
 * ("You can't specify passwords in an access string": {@code >pw}, {@code <pw}, {@code #hash},
 * {@code !hash}, {@code nopass}, {@code resetpass}); no {@code reset}; every other word one of
 * Valkey's ACL rules. The emulator applies the same rules (EXTENSIONS.md E40).
 */
public final class AccessStrings {
  private static final Pattern RULE = Pattern.compile(
      "^(on|off|allkeys|resetkeys|allchannels|resetchannels|allcommands|nocommands"
          + "|~\\S+|%(R|W|RW)~\\S+|&\\S+|[+-]@[A-Za-z0-9_-]+|[+-][A-Za-z0-9_.-]+(\\|[A-Za-z0-9_.-]+)?)$");

  private AccessStrings() {}

  /** Why AWS refuses this access string (no secret in the text: a password rule is named, not quoted), or empty. */
  public static Optional<String> problem(String access) {
    if (access == null || access.isBlank()) return Optional.of("an access string needs at least one rule");
    for (String rule : access.trim().split("\\s+")) {
      String low = rule.toLowerCase(Locale.ROOT);
      if (">#<!".indexOf(rule.charAt(0)) >= 0 || low.equals("nopass") || low.equals("resetpass")) {
        return Optional.of("an access string cannot hold a password rule (>, <, #, !, nopass, resetpass): passwords are set by the operator");
      }
      if (low.equals("reset")) return Optional.of("an access string cannot use the reset rule");
      if (!RULE.matcher(rule).matches()) return Optional.of("'" + rule + "' is not an ACL rule ElastiCache accepts");
    }
    return Optional.empty();
  }

  /** "If neither [on nor off] is specified in the access string, the user is assigned off." */
  public static boolean enabled(String access) {
    boolean on = false;
    for (String rule : access.trim().split("\\s+")) {
      if (rule.equalsIgnoreCase("on")) on = true;
      if (rule.equalsIgnoreCase("off")) on = false;
    }
    return on;
  }
}
