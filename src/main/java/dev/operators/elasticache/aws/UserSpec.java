package dev.operators.elasticache.aws;

import java.util.List;
import java.util.Map;

/**
 * A CreateUser call. {@code authenticationType}: password (one or two {@code passwords}), iam or
 * no-password-required (AuthenticationMode.Type). Passwords are secret: toString never shows them.
 */
public record UserSpec(
    String userId,
    String userName,
    String engine,
    String accessString,
    String authenticationType,
    List<String> passwords,
    Map<String, String> tags) {

  public UserSpec {
    passwords = passwords == null ? List.of() : List.copyOf(passwords);
    tags = tags == null ? Map.of() : Map.copyOf(tags);
  }

  @Override
  public String toString() {
    return "UserSpec[" + userId + ", name=" + userName + ", engine=" + engine + ", access=" + accessString
        + ", authentication=" + authenticationType + ", passwords=" + passwords.size() + " <redacted>, tags=" + tags + "]";
  }
}
