package dev.operators.elasticache.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** The estimated monthly on-demand cost, or why there is none. An estimate for people, not a bill. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class CostStatus {
  @JsonPropertyDescription("Estimated monthly cost in USD (two decimals, 730 hours); absent when the operator has no price for the node type in this region.")
  private String usd;
  @JsonPropertyDescription("What the estimate is made of (price per node-hour, its source and date, the Valkey discount), or why it is unknown (e.g. no price for cache.x9.large in me-south-1).")
  private String note;

  public CostStatus() {}

  public CostStatus(String usd, String note) {
    this.usd = usd;
    this.note = note;
  }

  public String getUsd() { return usd; }
  public void setUsd(String usd) { this.usd = usd; }
  public String getNote() { return note; }
  public void setNote(String note) { this.note = note; }

  @Override
  public boolean equals(Object o) {
    return o instanceof CostStatus c && Objects.equals(usd, c.usd) && Objects.equals(note, c.note);
  }

  @Override
  public int hashCode() {
    return Objects.hash(usd, note);
  }
}
