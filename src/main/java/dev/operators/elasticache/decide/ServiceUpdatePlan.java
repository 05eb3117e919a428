package dev.operators.elasticache.decide;

import dev.operators.elasticache.api.ServiceUpdateStatus;
import dev.operators.elasticache.aws.UpdateAction;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Pure decisions about AWS's service updates: what status lists, what an event says, when Auto applies one. */
public final class ServiceUpdatePlan {
  private ServiceUpdatePlan() {}

  /**
   * An action Auto starts. Not a stopped one: someone stopped it (BatchStopUpdateAction) on purpose,
   * and applying it again is theirs to decide.
   */
  static final Set<String> APPLICABLE = Set.of("not-applied");
  /** An action under way: nothing else is applied to the group meanwhile. */
  static final Set<String> UNDER_WAY = Set.of("waiting-to-start", "in-progress", "stopping", "scheduling", "scheduled");
  private static final List<String> SEVERITIES = List.of("critical", "important", "medium", "low");
  private static final Map<String, DayOfWeek> DAYS = Map.of("mon", DayOfWeek.MONDAY, "tue", DayOfWeek.TUESDAY,
      "wed", DayOfWeek.WEDNESDAY, "thu", DayOfWeek.THURSDAY, "fri", DayOfWeek.FRIDAY, "sat", DayOfWeek.SATURDAY, "sun", DayOfWeek.SUNDAY);
  private static final Duration WEEK = Duration.ofDays(7);

  /** The action is under way on its group (AWS is applying it, or about to). */
  public static boolean underWay(String status) {
    return UNDER_WAY.contains(status);
  }

  /** A notice for people: a Kubernetes event on the cache. */
  public record Notice(boolean warning, String reason, String message) {}

  /** The status entries for a group's actions, by name. */
  public static List<ServiceUpdateStatus> entries(List<UpdateAction> actions) {
    return actions.stream().sorted(Comparator.comparing(UpdateAction::serviceUpdateName))
        .map(a -> new ServiceUpdateStatus(a.serviceUpdateName(), a.severity(), a.type(), date(a.releaseDate()),
            date(a.recommendedApplyByDate()), a.status()))
        .toList();
  }

  private static String date(Instant t) {
    return t == null ? null : t.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  /**
   * The events for what changed between the status's list and the new one: a new update, one that
   * started applying, stopped, or completed. An update that left the list otherwise (AWS withdrew it) says nothing.
   */
  public static List<Notice> transitions(List<ServiceUpdateStatus> before, List<ServiceUpdateStatus> after, boolean auto) {
    Map<String, ServiceUpdateStatus> old = before == null ? Map.of()
        : before.stream().collect(Collectors.toMap(ServiceUpdateStatus::getName, Function.identity(), (a, b) -> a));
    List<Notice> out = new ArrayList<>();
    for (ServiceUpdateStatus u : after == null ? List.<ServiceUpdateStatus>of() : after) {
      ServiceUpdateStatus was = old.get(u.getName());
      String status = u.getStatus();
      String wasStatus = was == null ? null : was.getStatus();
      if (Objects.equals(status, wasStatus)) continue;
      String what = "Service update " + u.getName() + " (" + u.getSeverity() + ", " + u.getType() + ")";
      if ("complete".equals(status)) {
        out.add(new Notice(false, "ServiceUpdateApplied", what + " is applied"));
      } else if ("stopped".equals(status)) {
        out.add(new Notice(true, "ServiceUpdateStopped", what + " was stopped before it was applied to every node"
            + (auto ? "; spec.serviceUpdates Auto does not apply a stopped update again: apply it (BatchApplyUpdateAction) when ready" : "")));
      } else if (UNDER_WAY.contains(status) && (wasStatus == null || !UNDER_WAY.contains(wasStatus))) {
        out.add(new Notice(false, "ServiceUpdateApplying", what + " is being applied (" + status + ")"));
      } else if (was == null) {
        out.add(new Notice(false, "ServiceUpdateAvailable", what + " is available"
            + (u.getRecommendedApplyBy() == null ? "" : ", recommended to apply by " + u.getRecommendedApplyBy())
            + (auto ? "; it is applied in the maintenance window" : "; spec.serviceUpdates is Manual: apply it yourself, or set Auto")));
      }
    }
    return out;
  }

  /**
   * The one update Auto applies to a group now, if any: none while one is under way on the group;
   * else the most severe one not applied yet, the earliest recommended date first.
   */
  public static Optional<UpdateAction> next(List<UpdateAction> actions) {
    if (actions.stream().anyMatch(a -> UNDER_WAY.contains(a.status()))) return Optional.empty();
    return actions.stream().filter(a -> APPLICABLE.contains(a.status()))
        .min(Comparator.comparingInt((UpdateAction a) -> severityRank(a.severity()))
            .thenComparing(a -> a.recommendedApplyByDate() == null ? Instant.MAX : a.recommendedApplyByDate())
            .thenComparing(UpdateAction::serviceUpdateName));
  }

  private static int severityRank(String severity) {
    int i = SEVERITIES.indexOf(severity == null ? "" : severity.toLowerCase(Locale.ROOT));
    return i < 0 ? SEVERITIES.size() : i;
  }

  /** The maintenance window that counts: the spec's when set, else the one AWS reports for the group, else none. */
  public static String window(String specWindow, String awsWindow) {
    if (specWindow != null && !specWindow.isBlank()) return specWindow;
    return awsWindow == null || awsWindow.isBlank() ? null : awsWindow;
  }

  /**
   * Whether {@code now} falls in the weekly window {@code ddd:hh24:mi-ddd:hh24:mi} (UTC, AWS's
   * format): from its start (included) to its end (excluded); a window may run over the week's end
   * (sat:23:00-sun:01:00). No window, or one that does not parse: never.
   */
  public static boolean inWindow(String window, Instant now) {
    if (window == null) return false;
    String[] parts = window.trim().toLowerCase(Locale.ROOT).split("-");
    if (parts.length != 2) return false;
    Duration start = offset(parts[0]);
    Duration end = offset(parts[1]);
    if (start == null || end == null) return false;
    ZonedDateTime t = now.atZone(ZoneOffset.UTC);
    Duration at = Duration.ofDays(t.getDayOfWeek().getValue() - 1L).plusHours(t.getHour()).plusMinutes(t.getMinute())
        .plusSeconds(t.getSecond()).plusNanos(t.getNano());
    Duration length = end.minus(start);
    if (length.isNegative() || length.isZero()) length = length.plus(WEEK);
    Duration since = at.minus(start);
    if (since.isNegative()) since = since.plus(WEEK);
    return since.compareTo(length) < 0;
  }

  /** "ddd:hh:mm" as the time since Monday 00:00. */
  private static Duration offset(String s) {
    String[] p = s.split(":");
    if (p.length != 3 || !DAYS.containsKey(p[0])) return null;
    try {
      int h = Integer.parseInt(p[1]);
      int m = Integer.parseInt(p[2]);
      if (h < 0 || h > 23 || m < 0 || m > 59) return null;
      return Duration.ofDays(DAYS.get(p[0]).getValue() - 1L).plusHours(h).plusMinutes(m);
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
