package dev.operators.elasticache.decide;

import static org.assertj.core.api.Assertions.assertThat;

import dev.operators.elasticache.api.ServiceUpdateStatus;
import dev.operators.elasticache.aws.UpdateAction;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServiceUpdatePlanTest {
  static Instant at(String t) {
    return Instant.parse(t);
  }

  @Test
  void inWindowFromItsStartIncludedToItsEndExcluded() {
    String w = "sun:04:00-sun:05:00"; // 2026-01-04 is a Sunday
    assertThat(ServiceUpdatePlan.inWindow(w, at("2026-01-04T03:59:59Z"))).isFalse();
    assertThat(ServiceUpdatePlan.inWindow(w, at("2026-01-04T04:00:00Z"))).isTrue();
    assertThat(ServiceUpdatePlan.inWindow(w, at("2026-01-04T04:59:59Z"))).isTrue();
    assertThat(ServiceUpdatePlan.inWindow(w, at("2026-01-04T05:00:00Z"))).isFalse();
    assertThat(ServiceUpdatePlan.inWindow(w, at("2026-01-11T04:30:00Z"))).as("every week").isTrue();
    assertThat(ServiceUpdatePlan.inWindow(w, at("2026-01-05T04:30:00Z"))).as("another day").isFalse();
  }

  @Test
  void aWindowOverMidnightAndOverTheWeeksEnd() {
    assertThat(ServiceUpdatePlan.inWindow("tue:23:30-wed:00:30", at("2026-01-06T23:45:00Z"))).isTrue();
    assertThat(ServiceUpdatePlan.inWindow("tue:23:30-wed:00:30", at("2026-01-07T00:15:00Z"))).isTrue();
    assertThat(ServiceUpdatePlan.inWindow("tue:23:30-wed:00:30", at("2026-01-07T00:30:00Z"))).isFalse();
    // AWS's default for a group without one: sun:23:00-mon:01:30 (Monday is the week's start here)
    assertThat(ServiceUpdatePlan.inWindow("sun:23:00-mon:01:30", at("2026-01-04T23:30:00Z"))).isTrue();
    assertThat(ServiceUpdatePlan.inWindow("sun:23:00-mon:01:30", at("2026-01-05T01:00:00Z"))).isTrue();
    assertThat(ServiceUpdatePlan.inWindow("sun:23:00-mon:01:30", at("2026-01-05T02:00:00Z"))).isFalse();
    assertThat(ServiceUpdatePlan.inWindow("sat:23:00-sun:01:00", at("2026-01-04T00:30:00Z"))).isTrue();
    assertThat(ServiceUpdatePlan.inWindow("SUN:04:00-SUN:05:00", at("2026-01-04T04:30:00Z"))).as("AWS's case").isTrue();
  }

  @Test
  void noWindowOrAMalformedOneIsNeverOpen() {
    assertThat(ServiceUpdatePlan.inWindow(null, at("2026-01-04T04:30:00Z"))).isFalse();
    assertThat(ServiceUpdatePlan.inWindow("sun:04:00", at("2026-01-04T04:30:00Z"))).isFalse();
    assertThat(ServiceUpdatePlan.inWindow("xyz:04:00-sun:05:00", at("2026-01-04T04:30:00Z"))).isFalse();
    assertThat(ServiceUpdatePlan.inWindow("sun:25:00-sun:26:00", at("2026-01-04T04:30:00Z"))).isFalse();
  }

  @Test
  void theSpecsWindowCountsElseTheOneAwsReports() {
    assertThat(ServiceUpdatePlan.window("sun:04:00-sun:05:00", "mon:01:00-mon:02:00")).isEqualTo("sun:04:00-sun:05:00");
    assertThat(ServiceUpdatePlan.window(null, "mon:01:00-mon:02:00")).isEqualTo("mon:01:00-mon:02:00");
    assertThat(ServiceUpdatePlan.window(" ", null)).isNull();
  }

  static UpdateAction action(String name, String severity, String applyBy, String status) {
    return new UpdateAction("rc-g", name, severity, "security-update", at("2026-01-01T00:00:00Z"),
        applyBy == null ? null : at(applyBy), status);
  }

  @Test
  void autoAppliesTheMostSevereFirstAndNothingWhileOneIsUnderWay() {
    var low = action("u-low", "low", "2026-01-10T00:00:00Z", "not-applied");
    var critical = action("u-critical", "critical", "2026-03-01T00:00:00Z", "not-applied");
    var critical2 = action("u-critical-2", "critical", "2026-02-01T00:00:00Z", "not-applied");
    assertThat(ServiceUpdatePlan.next(List.of(low, critical, critical2))).contains(critical2);
    assertThat(ServiceUpdatePlan.next(List.of(low, action("u-x", "important", null, "in-progress")))).isEmpty();
    assertThat(ServiceUpdatePlan.next(List.of(action("u-s", "critical", null, "stopped")))).as("a stopped one is left to people").isEmpty();
    assertThat(ServiceUpdatePlan.next(List.of(action("u-c", "critical", null, "complete")))).isEmpty();
  }

  static ServiceUpdateStatus entry(String name, String status) {
    return new ServiceUpdateStatus(name, "important", "security-update", "2026-01-01T00:00:00Z", "2026-02-01T00:00:00Z", status);
  }

  @Test
  void statusEntriesAreByNameWithDatesToTheSecond() {
    var b = new UpdateAction("rc-g", "b", "low", "security-update", at("2026-01-01T00:00:00.123Z"), null, "not-applied");
    var a = action("a", "critical", "2026-02-01T00:00:00Z", "in-progress");
    assertThat(ServiceUpdatePlan.entries(List.of(b, a))).containsExactly(
        new ServiceUpdateStatus("a", "critical", "security-update", "2026-01-01T00:00:00Z", "2026-02-01T00:00:00Z", "in-progress"),
        new ServiceUpdateStatus("b", "low", "security-update", "2026-01-01T00:00:00Z", null, "not-applied"));
  }

  @Test
  void eventsForANewUpdateApplyingStoppedAndApplied() {
    assertThat(ServiceUpdatePlan.transitions(null, List.of(entry("u", "not-applied")), false))
        .extracting(ServiceUpdatePlan.Notice::reason).containsExactly("ServiceUpdateAvailable");
    assertThat(ServiceUpdatePlan.transitions(List.of(entry("u", "not-applied")), List.of(entry("u", "not-applied")), false)).isEmpty();
    assertThat(ServiceUpdatePlan.transitions(List.of(entry("u", "not-applied")), List.of(entry("u", "in-progress")), true))
        .extracting(ServiceUpdatePlan.Notice::reason).containsExactly("ServiceUpdateApplying");
    assertThat(ServiceUpdatePlan.transitions(List.of(entry("u", "waiting-to-start")), List.of(entry("u", "in-progress")), true))
        .as("still under way").isEmpty();
    var stopped = ServiceUpdatePlan.transitions(List.of(entry("u", "in-progress")), List.of(entry("u", "stopped")), true);
    assertThat(stopped).extracting(ServiceUpdatePlan.Notice::reason).containsExactly("ServiceUpdateStopped");
    assertThat(stopped.get(0).warning()).isTrue();
    assertThat(ServiceUpdatePlan.transitions(List.of(entry("u", "in-progress")), List.of(entry("u", "complete")), true))
        .extracting(ServiceUpdatePlan.Notice::reason).containsExactly("ServiceUpdateApplied");
    assertThat(ServiceUpdatePlan.transitions(List.of(entry("u", "not-applied")), List.of(), true)).as("withdrawn: nothing to say").isEmpty();
  }
}
