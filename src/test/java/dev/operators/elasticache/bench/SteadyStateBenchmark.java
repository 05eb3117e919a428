package dev.operators.elasticache.bench;

import dev.operators.elasticache.decide.Names;
import dev.operators.elasticache.testsupport.AwsEmulator;
import dev.operators.elasticache.testsupport.AwsTestClients;
import dev.operators.elasticache.testsupport.ControlPlane;
import dev.operators.elasticache.testsupport.OperatorProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * A benchmark, not a test: `make bench` (N caches, default 200) in steady state against the
 * emulator with the operator's default sweep periods. It prints AWS calls per cache per hour
 * (measured over a window and scaled to an hour) and the time from a change made behind the
 * operator's back to its correction. Nothing here asserts a timing.
 */
class SteadyStateBenchmark {
  static final int CACHES = Integer.getInteger("bench.caches", 200);
  static final int WINDOW_SECONDS = Integer.getInteger("bench.windowSeconds", 240);
  static final int DRIFTS = Integer.getInteger("bench.drifts", 3);

  @Test
  void steadyState() throws Exception {
    StringBuilder report = new StringBuilder();
    try (AwsEmulator aws = AwsEmulator.start("--creating-seconds", "5", "--modifying-seconds", "5", "--deleting-seconds", "5");
         AwsTestClients clients = AwsTestClients.of(aws);
         ControlPlane k8s = ControlPlane.start("bench")) {
      BenchFleet fleet = BenchFleet.prepare(clients, k8s, "bench");
      try (OperatorProcess op = startOperator(k8s, aws)) {
        StringBuilder yaml = new StringBuilder();
        for (int i = 0; i < CACHES; i++) {
          yaml.append(fleet.cache("c" + i, "bench"));
        }
        long t0 = System.nanoTime();
        k8s.kubectlWithInput(yaml.toString(), "apply", "-f", "-").ok();
        k8s.kubectlWithTimeout(null, 1300, "wait", "--for=condition=Ready", "rediscaches", "--all", "-n", "bench", "--timeout=1200s").ok();
        double readyAll = (System.nanoTime() - t0) / 1e9;
        report.append(String.format("%d caches Ready from apply in %.0f s (emulator: 5 s creating; operator limit 10 AWS calls/s)%n", CACHES, readyAll));

        // Let the last Secrets and statuses settle, and the poller fall back from its fast period
        // (kept for 2 minutes after a reconcile last waited on AWS) to the steady one.
        OperatorProcess.sleep(Integer.getInteger("bench.settleSeconds", 150) * 1000L);
        aws.clearCalls();
        long w0 = System.nanoTime();
        OperatorProcess.sleep(WINDOW_SECONDS * 1000L);
        double window = (System.nanoTime() - w0) / 1e9;
        Map<String, Integer> calls = new TreeMap<>(aws.calls());
        int total = calls.values().stream().mapToInt(Integer::intValue).sum();
        double perCacheHour = total / window * 3600 / CACHES;
        report.append(String.format("steady state over %.0f s: %d AWS calls in all = %.2f calls per cache per hour%n", window, total, perCacheHour));
        calls.forEach((k, v) -> report.append(String.format("  %-48s %5d  (%.1f per hour)%n", k, v, v / window * 3600)));

        List<Double> drifts = new ArrayList<>();
        for (int i = 0; i < DRIFTS; i++) {
          String id = Names.replicationGroupId("bench", "bench", "c" + (i * 7 % CACHES));
          clients.elastiCache().modifyReplicationGroup(r -> r.replicationGroupId(id).snapshotRetentionLimit(9).applyImmediately(true));
          long d0 = System.nanoTime();
          while (true) {
            var g = clients.elastiCache().describeReplicationGroups(r -> r.replicationGroupId(id)).replicationGroups().get(0);
            if (g.snapshotRetentionLimit() == 0 && g.status().equals("available")) break;
            if ((System.nanoTime() - d0) / 1e9 > 600) throw new AssertionError("drift on " + id + " not corrected in 600 s");
            OperatorProcess.sleep(500);
          }
          drifts.add((System.nanoTime() - d0) / 1e9);
        }
        report.append(String.format("drift (snapshotRetentionLimit changed behind the operator's back) corrected in: %s s "
            + "(includes the emulator's 5 s of 'modifying' for the outside change and 5 s for the correction; steady sweep period 60 s)%n",
            drifts.stream().map(d -> String.format("%.1f", d)).toList()));
      }
    }
    System.out.println("\n===== steady-state benchmark =====\n" + report);
    Files.writeString(Path.of("target/benchmark.txt"), report.toString());
  }

  static OperatorProcess startOperator(ControlPlane k8s, AwsEmulator aws) {
    return OperatorProcess.start(k8s.operatorKubeconfig(), aws.uri(), "bench", "bench", Map.of(
        "REDISCACHE_SWEEP_FAST_PERIOD", "5s", "REDISCACHE_SWEEP_STEADY_PERIOD", "60s"));
  }
}
