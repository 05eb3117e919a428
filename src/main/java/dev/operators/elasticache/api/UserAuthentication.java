package dev.operators.elasticache.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How an app's ElastiCache user authenticates. */
public enum UserAuthentication {
  /** A password the operator generates and keeps in the app's Secret (and Secrets Manager, when the cache keeps its token there). */
  @JsonProperty("password")
  PASSWORD,
  /** A short-lived IAM token the app signs with its own role. */
  @JsonProperty("iam")
  IAM
}
