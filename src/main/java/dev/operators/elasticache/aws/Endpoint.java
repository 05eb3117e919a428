package dev.operators.elasticache.aws;

/** A host and port AWS reports. */
public record Endpoint(String host, int port) {
  @Override
  public String toString() {
    return host + ":" + port;
  }
}
