package dev.operators.elasticache.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The built operator (target/quarkus-app) as its own process, under the ServiceAccount identity of
 * deploy/ (operator.kubeconfig), pointed at the AWS emulator with dummy credentials.
 */
public final class OperatorProcess implements AutoCloseable {
  private final Process process;
  private final int httpPort;
  private final Path log;

  private OperatorProcess(Process process, int httpPort, Path log) {
    this.process = process;
    this.httpPort = httpPort;
    this.log = log;
  }

  public static OperatorProcess start(Path kubeconfig, URI aws, String clusterId, String logName) {
    return start(kubeconfig, aws, clusterId, logName, Map.of());
  }

  public static OperatorProcess start(Path kubeconfig, URI aws, String clusterId, String logName, Map<String, String> extraEnv) {
    return start(kubeconfig, aws, clusterId, logName, extraEnv, List.of("-Xmx256m"));
  }

  /** With these JVM options instead of the tests' {@code -Xmx256m} (the benchmark runs deploy/'s). */
  public static OperatorProcess start(Path kubeconfig, URI aws, String clusterId, String logName, Map<String, String> extraEnv,
      List<String> jvmOptions) {
    Path root = AwsEmulator.projectRoot();
    Path jar = root.resolve("target/quarkus-app/quarkus-run.jar");
    if (!Files.isRegularFile(jar)) throw new IllegalStateException(jar + " missing: run mvn package first");
    int port = freePort();
    Path log = root.resolve("target/operator-" + logName + ".log");
    List<String> command = new java.util.ArrayList<>(List.of(javaBinary()));
    command.addAll(jvmOptions);
    command.addAll(List.of("-jar", jar.toString()));
    ProcessBuilder pb = new ProcessBuilder(command)
        .directory(root.toFile())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    Map<String, String> env = pb.environment();
    env.put("KUBECONFIG", kubeconfig.toString());
    env.put("REDISCACHE_AWS_ENDPOINT_OVERRIDE", aws.toString());
    env.put("REDISCACHE_CLUSTER_ID", clusterId);
    env.put("REDISCACHE_SWEEP_FAST_PERIOD", "1s");
    env.put("REDISCACHE_SWEEP_STEADY_PERIOD", "5s");
    env.put("REDISCACHE_SWEEP_SECURITY_GROUP_PERIOD", "5s");
    env.put("AWS_ACCESS_KEY_ID", "testing");
    env.put("AWS_SECRET_ACCESS_KEY", "testing");
    env.put("AWS_REGION", "us-east-1");
    env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
    env.remove("AWS_PROFILE");
    env.putAll(extraEnv);
    try {
      OperatorProcess op = new OperatorProcess(pb.start(), port, log);
      op.awaitReady(Duration.ofSeconds(90));
      return op;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void awaitReady(Duration timeout) {
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) throw new IllegalStateException("operator exited with " + process.exitValue() + "; log " + log + ":\n" + tail());
      try {
        var r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/q/health/ready")).build(),
            HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) return;
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      sleep(500);
    }
    throw new IllegalStateException("operator not ready within " + timeout + "; log:\n" + tail());
  }

  /** The HTTP status of {@code /q/health/<which>} (ready, live); -1 when nothing answers. */
  public int health(String which) {
    try {
      return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/q/health/" + which)).build(),
          HttpResponse.BodyHandlers.ofString()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public boolean isAlive() { return process.isAlive(); }

  /** SIGTERM, as Kubernetes stops a pod; does not wait for the process to end. */
  public void terminate() {
    process.destroy();
  }

  public String metrics() {
    try {
      return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/q/metrics")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** kill -9: no shutdown hooks, as a crash or an OOM kill. */
  public void kill() {
    process.destroyForcibly();
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public String tail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    } catch (IOException e) {
      return "(no log)";
    }
  }

  public Path log() { return log; }

  public long pid() { return process.pid(); }

  /** The JDK tool of the JVM running the tests (jcmd, ...). */
  public static String jdkTool(String name) {
    return Path.of(System.getProperty("java.home"), "bin", name).toString();
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) process.destroyForcibly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  static int freePort() {
    try (var s = new java.net.ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
