package dev.operators.elasticache.reconciler;

/** The cache cannot progress until a person acts (changes the spec, or AWS resources named in it). */
public final class Stall extends RuntimeException {
  private final String reason;

  public Stall(String reason, String message) {
    super(message, null, false, false);
    this.reason = reason;
  }

  public String reason() { return reason; }
}
