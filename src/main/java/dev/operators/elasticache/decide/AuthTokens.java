package dev.operators.elasticache.decide;

import java.security.SecureRandom;

/**
 * AUTH tokens by AWS's rules (ElastiCache API reference, CreateReplicationGroup, AuthToken): 16 to
 * 128 printable ASCII characters, where the only special characters allowed are ! & # $ ^ < > and -.
 * Generated tokens use letters and digits only, so they need no escaping in a URL.
 */
public final class AuthTokens {
  public static final int LENGTH = 64;
  static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  private static final String ALLOWED_SPECIAL = "!&#$^<>-";
  private static final SecureRandom RANDOM = new SecureRandom();

  private AuthTokens() {}

  public static String generate() {
    StringBuilder sb = new StringBuilder(LENGTH);
    for (int i = 0; i < LENGTH; i++) sb.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    return sb.toString();
  }

  public static boolean isValid(String token) {
    if (token == null || token.length() < 16 || token.length() > 128) return false;
    for (char c : token.toCharArray()) {
      boolean alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
      if (!alnum && ALLOWED_SPECIAL.indexOf(c) < 0) return false;
    }
    return true;
  }
}
