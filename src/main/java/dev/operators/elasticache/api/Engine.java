package dev.operators.elasticache.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The cache engine. */
public enum Engine {
  @JsonProperty("valkey")
  VALKEY("valkey"),
  @JsonProperty("redis")
  REDIS("redis");

  private final String awsName;

  Engine(String awsName) {
    this.awsName = awsName;
  }

  /** The engine name AWS uses. */
  public String awsName() {
    return awsName;
  }
}
