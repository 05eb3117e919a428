package dev.operators.elasticache.testsupport;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The AWS emulator of {@code test/aws-emulator} (moto plus the project's extensions), started with
 * {@code start.sh} on a free port and stopped with {@code stop.sh}. Offers its control API to
 * tests: reset, runtime configuration, injected faults, call counters and the AUTH tokens a
 * replication group accepts.
 *
 * <p>Use {@link #shared()} to share one emulator between test classes of a JVM, or
 * {@link #start(String...)} with try-with-resources for a private one.
 */
public final class AwsEmulator implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration START_TIMEOUT = Duration.ofSeconds(180);
  private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(30);
  private static AwsEmulator shared;

  private final Path root;
  private final URI uri;
  private final int port;
  private final Path log;
  private final HttpClient http;
  private boolean closed;

  private AwsEmulator(Path root, URI uri, Path log) {
    this.root = root;
    this.uri = uri;
    this.port = uri.getPort();
    this.log = log;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).version(HttpClient.Version.HTTP_1_1)
        .build();
  }

  /**
   * One emulator for the whole JVM (state transitions of 1 s), started on first use and stopped by a
   * shutdown hook. Tests sharing it should {@link #reset()} before each test.
   */
  public static synchronized AwsEmulator shared() {
    if (shared == null) {
      AwsEmulator e = startNamed("shared-" + ProcessHandle.current().pid(), "--creating-seconds", "1", "--modifying-seconds", "1", "--deleting-seconds", "1");
      Runtime.getRuntime().addShutdownHook(new Thread(e::close, "aws-emulator-stop"));
      shared = e;
    }
    return shared;
  }

  /** Starts a private emulator with the given launcher options (e.g. {@code --creating-seconds 2}). */
  public static AwsEmulator start(String... launcherOptions) {
    return startNamed("p" + ProcessHandle.current().pid() + "-" + System.nanoTime(), launcherOptions);
  }

  private static AwsEmulator startNamed(String logName, String... launcherOptions) {
    Path root = projectRoot();
    Path log = root.resolve("target").resolve("aws-emulator-" + logName + ".log");
    Path startOutput = root.resolve("target").resolve("aws-emulator-" + logName + ".start.out");
    List<String> command = new ArrayList<>();
    command.add("bash");
    command.add(root.resolve("test/aws-emulator/start.sh").toString());
    command.add("0");
    command.add(log.toString());
    command.addAll(List.of(launcherOptions));
    try {
      Files.createDirectories(log.getParent());
      // stdout carries the URL (last line); stderr (setup.sh's chatter, start-up failures) goes to a file.
      Path stdout = root.resolve("target").resolve("aws-emulator-" + logName + ".start.url");
      Process p = new ProcessBuilder(command).directory(root.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
          .redirectOutput(stdout.toFile())
          .redirectError(startOutput.toFile())
          .start();
      if (!p.waitFor(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        p.descendants().forEach(ProcessHandle::destroy);
        p.destroyForcibly();
        throw new IllegalStateException("start.sh did not finish within " + START_TIMEOUT + "; see " + startOutput);
      }
      String out = Files.readString(stdout);
      String url = out.lines().map(String::trim).filter(l -> l.startsWith("http://") || l.startsWith("https://"))
          .reduce((a, b) -> b).orElse(null);
      if (p.exitValue() != 0 || url == null) {
        throw new IllegalStateException("start.sh failed (exit " + p.exitValue() + "), stdout: " + out
            + "\nstderr: " + readQuietly(startOutput) + "\nlog: " + readQuietly(log));
      }
      AwsEmulator e = new AwsEmulator(root, URI.create(url), log);
      e.health();
      return e;
    } catch (IOException e) {
      throw new UncheckedIOException("could not start the AWS emulator", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting the AWS emulator", e);
    }
  }

  /** The directory holding {@code test/aws-emulator/start.sh}: user.dir or one of its parents. */
  static Path projectRoot() {
    Path dir = Paths.get(System.getProperty("user.dir")).toAbsolutePath();
    for (Path d = dir; d != null; d = d.getParent()) {
      if (Files.isRegularFile(d.resolve("test/aws-emulator/start.sh"))) {
        return d;
      }
    }
    throw new IllegalStateException("no test/aws-emulator/start.sh in " + dir + " or its parents");
  }

  /** The endpoint for the SDK clients' endpointOverride, e.g. {@code http://127.0.0.1:41234}. */
  public URI uri() {
    return uri;
  }

  public int port() {
    return port;
  }

  /** The emulator's own log file. */
  public Path log() {
    return log;
  }

  /** moto's reset plus the extensions': all resources, faults, counters and the configuration. */
  public void reset() {
    send("POST", "/moto-api/reset", null);
  }

  /**
   * Turns moto's IAM access control on (its {@code INITIAL_NO_AUTH_ACTION_COUNT} set to 0 through
   * {@code POST /moto-api/reset-auth}): from now on every AWS call must be signed with the access
   * key of an IAM user made in the emulator, and is refused unless that user's policies allow its
   * action. Control calls ({@code /_emulator}, {@code /moto-api}) stay open.
   */
  public void enforceIam() {
    send("POST", "/moto-api/reset-auth", 0);
  }

  /**
   * Changes the runtime configuration (creatingSeconds, modifyingSeconds, deletingSeconds, endpointHost, endpointPort;
   * the contract's snapshottingSeconds, eniReleaseSeconds, secretDeletionSeconds, maxNodesPerCustomer,
   * maxReplicationGroups, insufficientCapacityNodeTypes).
   */
  public Map<String, Object> config(Map<String, ?> settings) {
    return JSON.convertValue(send("POST", "/_emulator/config", settings), new TypeReference<Map<String, Object>>() {});
  }

  /**
   * Adds a fault rule: the next {@code throttle} matching calls are throttled, the next
   * {@code serverError} ones answer a server error (HTTP 500), every matching call waits
   * {@code latencyMs}. {@code service} and {@code action} may be {@code "*"}.
   */
  public void faults(String service, String action, int throttle, int serverError, int latencyMs) {
    faults(service, action, throttle, serverError, latencyMs, 500);
  }

  /** As {@link #faults(String, String, int, int, int)} with the server error's HTTP status (500 or 503). */
  public void faults(String service, String action, int throttle, int serverError, int latencyMs, int serverErrorStatus) {
    Map<String, Object> rule = new LinkedHashMap<>();
    rule.put("service", service);
    rule.put("action", action);
    rule.put("throttle", throttle);
    rule.put("serverError", serverError);
    rule.put("latencyMs", latencyMs);
    rule.put("serverErrorStatus", serverErrorStatus);
    send("POST", "/_emulator/faults", rule);
  }

  /**
   * Throttling of {@code service}'s calls in one account only (EXTENSIONS.md E64), as AWS throttles
   * each account on its own: another account's calls (its own poller's) neither see nor spend it.
   */
  public void throttleIn(String account, String service, int throttle) {
    send("POST", "/_emulator/faults", Map.of("service", service, "action", "*", "throttle", throttle, "account", account));
  }

  public void clearFaults() {
    send("DELETE", "/_emulator/faults", null);
  }

  /** AWS calls received since the last reset, by {@code "<service>:<Action>"} (faulted calls included). */
  public Map<String, Integer> calls() {
    return JSON.convertValue(send("GET", "/_emulator/calls", null), new TypeReference<Map<String, Integer>>() {});
  }

  /** The number of {@code service:action} calls received (0 when none). */
  public int calls(String service, String action) {
    return calls().getOrDefault(service + ":" + action, 0);
  }

  /** The same counts per caller: {@code <access key id> -> <service>:<Action> -> n} (the key from the SigV4 signature). */
  public Map<String, Map<String, Integer>> callsByAccessKey() {
    return JSON.convertValue(send("GET", "/_emulator/calls?by=accessKey", null),
        new TypeReference<Map<String, Map<String, Integer>>>() {});
  }

  /**
   * The same counts per account and region the calls acted in (EXTENSIONS.md E64):
   * {@code <account>/<region> -> <service>:<Action> -> n}; a role's credentials count in the role's account.
   */
  public Map<String, Map<String, Integer>> callsByAccount() {
    return JSON.convertValue(send("GET", "/_emulator/calls?by=account", null),
        new TypeReference<Map<String, Map<String, Integer>>>() {});
  }

  public void clearCalls() {
    send("DELETE", "/_emulator/calls", null);
  }

  /**
   * The AUTH tokens the replication group currently accepts (two while a ROTATE is pending, none
   * without AUTH). Throws {@link IllegalStateException} when the group does not exist.
   */
  /** E71: the group's token is optional (clients without one are let in too) until SET. */
  public boolean authTokenOptional(String replicationGroupId) {
    return send("GET", "/_emulator/replication-groups/" + replicationGroupId + "/auth", null).path("optional").asBoolean(false);
  }

  public List<String> authTokens(String replicationGroupId) {
    JsonNode body = send("GET", "/_emulator/replication-groups/" + replicationGroupId + "/auth", null);
    List<String> tokens = new ArrayList<>();
    body.path("tokens").forEach(t -> tokens.add(t.asText()));
    return tokens;
  }

  /**
   * E45: the RBAC users the group's data plane accepts now (members of its user group):
   * userId, userName, accessString, authentication, passwords, enabled.
   */
  public JsonNode users(String replicationGroupId) {
    return send("GET", "/_emulator/replication-groups/" + replicationGroupId + "/users", null).path("users");
  }

  /** E66: the users a serverless cache's data plane accepts now, as {@link #users} (empty without a user group). */
  public JsonNode serverlessUsers(String name) {
    return send("GET", "/_emulator/serverless-caches/" + name + "/users", null).path("users");
  }

  /** E66: the enabled users of a serverless cache's user group by user name, with the passwords each accepts. */
  public java.util.Map<String, List<String>> acceptedServerlessUsers(String name) {
    return accepted(serverlessUsers(name));
  }

  /**
   * E74: the emulator's verdict on {@code token} sent by an app as the password of the IAM user
   * {@code userName} to the replication group {@code cacheName}: {@code {"valid", "reason", ...}}.
   */
  public JsonNode verifyIamToken(String cacheName, String userName, String token) {
    return send("POST", "/_emulator/iam-auth/verify", java.util.Map.of("cacheName", cacheName, "userName", userName, "token", token));
  }

  /** E45: the enabled users of the group's user group by user name, with the passwords each accepts. */
  public java.util.Map<String, List<String>> acceptedUsers(String replicationGroupId) {
    return accepted(users(replicationGroupId));
  }

  /** The enabled ones of these data-plane users by user name, with the passwords each accepts. */
  private static java.util.Map<String, List<String>> accepted(JsonNode users) {
    java.util.Map<String, List<String>> out = new java.util.TreeMap<>();
    for (JsonNode u : users) {
      if (!u.path("enabled").asBoolean()) continue;
      List<String> passwords = new ArrayList<>();
      u.path("passwords").forEach(p -> passwords.add(p.asText()));
      out.put(u.path("userName").asText(), passwords);
    }
    return out;
  }

  /** E27: what the group was seeded from: snapshotName, sourceReplicationGroupId, snapshotArns (nulls / empty when nothing). */
  public JsonNode restoreInfo(String replicationGroupId) {
    return send("GET", "/_emulator/replication-groups/" + replicationGroupId + "/restore", null);
  }

  /** E58: the ARNs a serverless cache was created from (SnapshotArnsToRestore; empty when created empty). */
  public List<String> serverlessRestoredFrom(String name) {
    List<String> out = new java.util.ArrayList<>();
    send("GET", "/_emulator/serverless-caches/" + name + "/restore", null).path("snapshotArnsToRestore").forEach(a -> out.add(a.asText()));
    return out;
  }

  /** E27: an object in the emulator's S3 (bucket made when missing), for restores from RDB files. */
  public void putS3Object(String bucket, String key, byte[] data) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("bucket", bucket);
    body.put("key", key);
    body.put("base64", java.util.Base64.getEncoder().encodeToString(data));
    send("POST", "/_emulator/s3-objects", body);
  }

  /** Contract B1: the group's backup window comes now (snapshotting); fails (HTTP 409) unless it is available. */
  public void startBackup(String replicationGroupId) {
    send("POST", "/_emulator/replication-groups/" + replicationGroupId + "/backup", null);
  }

  /** Contract B4: the group's maintenance window comes now; the deferred fields it applied. */
  public List<String> reachMaintenanceWindow(String replicationGroupId) {
    JsonNode body = send("POST", "/_emulator/replication-groups/" + replicationGroupId + "/maintenance", null);
    List<String> applied = new ArrayList<>();
    body.path("applied").forEach(f -> applied.add(f.asText()));
    return applied;
  }

  /**
   * E28: AWS publishes a service update for every replication group of {@code engine} (redis or
   * valkey); its actions then show in DescribeUpdateActions.
   */
  public void publishServiceUpdate(String name, String engine, String severity, java.time.Instant recommendedApplyBy) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("name", name);
    body.put("engine", engine);
    body.put("severity", severity);
    body.put("recommendedApplyBy", recommendedApplyBy.toString());
    send("POST", "/_emulator/service-updates", body);
  }

  /** Contract B2: the next {@code count} CreateReplicationGroup calls are accepted, then end in create-failed. */
  public void failNextCreates(int count, String message) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("count", count);
    body.put("message", message);
    send("POST", "/_emulator/create-failures", body);
  }

  /** The fault rules with their remaining counts (GET /_emulator/faults). */
  public List<Map<String, Object>> faultRules() {
    return JSON.convertValue(send("GET", "/_emulator/faults", null).path("faults"), new TypeReference<List<Map<String, Object>>>() {});
  }

  public void clearCreateFailures() {
    send("DELETE", "/_emulator/create-failures", null);
  }

  /** Create failures asked for and not yet used. */
  public int pendingCreateFailures() {
    return send("GET", "/_emulator/create-failures", null).path("pending").size();
  }

  /**
   * The group's backup window comes now: true when a backup started, false when the emulator
   * refused (409: not available, or automatic backups off; 404: no such group).
   */
  public boolean tryBackup(String replicationGroupId) {
    return sendStatus("POST", "/_emulator/replication-groups/" + replicationGroupId + "/backup") == 200;
  }

  /**
   * The group's maintenance window comes now: the deferred fields AWS starts applying (empty when
   * nothing was held), or null when the emulator refused (409: the group is not available; 404).
   */
  public List<String> tryMaintenanceWindow(String replicationGroupId) {
    HttpResponse<String> r = sendForResponse("POST", "/_emulator/replication-groups/" + replicationGroupId + "/maintenance");
    if (r.statusCode() != 200) return null;
    List<String> applied = new ArrayList<>();
    parseOrText(r.body()).path("applied").forEach(f -> applied.add(f.asText()));
    return applied;
  }

  private int sendStatus(String method, String path) {
    return sendForResponse(method, path).statusCode();
  }

  private HttpResponse<String> sendForResponse(String method, String path) {
    try {
      HttpRequest req = HttpRequest.newBuilder(uri.resolve(path)).timeout(HTTP_TIMEOUT).method(method, HttpRequest.BodyPublishers.noBody()).build();
      return http.send(req, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(method + " " + path + " on the AWS emulator " + uri + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** Stops the emulator (stop.sh). Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      Process p = new ProcessBuilder("bash", root.resolve("test/aws-emulator/stop.sh").toString(), String.valueOf(port))
          .directory(root.toFile()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not stop the AWS emulator on port " + port, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "AwsEmulator[" + uri + ", log " + log + "]";
  }

  private void health() {
    send("GET", "/_emulator/health", null);
  }

  private JsonNode send(String method, String path, Object body) {
    try {
      HttpRequest.Builder b = HttpRequest.newBuilder(uri.resolve(path)).timeout(HTTP_TIMEOUT);
      if (body == null) {
        b.method(method, HttpRequest.BodyPublishers.noBody());
      } else {
        b.header("Content-Type", "application/json")
            .method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
      }
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() / 100 != 2) {
        throw new IllegalStateException(method + " " + path + " answered HTTP " + r.statusCode() + ": " + r.body());
      }
      String text = r.body();
      return text == null || text.isBlank() ? JSON.createObjectNode() : parseOrText(text);
    } catch (IOException e) {
      throw new UncheckedIOException(method + " " + path + " on the AWS emulator " + uri + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static JsonNode parseOrText(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      return JSON.getNodeFactory().textNode(text); // moto's reset answers plain text in some versions
    }
  }

  private static String readQuietly(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file) : "(no " + file + ")";
    } catch (IOException e) {
      return "(unreadable " + file + ": " + e.getMessage() + ")";
    }
  }

  /** The n-th /64 of a VPC's /56 IPv6 block (2600:1f18:ab:cd00::/56, 3 -> 2600:1f18:ab:cd03::/64). */
  public static String ipv6Subnet(String vpcBlock, int n) {
    java.math.BigInteger base = new java.math.BigInteger(1, ipv6Bytes(vpcBlock.substring(0, vpcBlock.indexOf('/'))));
    java.math.BigInteger subnet = base.add(java.math.BigInteger.valueOf(n).shiftLeft(64));
    byte[] raw = subnet.toByteArray();
    byte[] bytes = new byte[16];
    System.arraycopy(raw, Math.max(0, raw.length - 16), bytes, Math.max(0, 16 - raw.length), Math.min(16, raw.length));
    try {
      return java.net.InetAddress.getByAddress(bytes).getHostAddress().replaceAll("(:0)+$", "::").replaceAll(":::", "::") + "/64";
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] ipv6Bytes(String address) {
    try {
      return java.net.InetAddress.getByName(address).getAddress();
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException(address, e);
    }
  }
}
