package dev.operators.elasticache.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.operators.elasticache.testsupport.AwsEmulator;
import dev.operators.elasticache.testsupport.OperatorProcess;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Stands in for AWS's data plane: what the emulator's replication group accepts becomes what a real
 * redis-server accepts, polled every 200 ms through the server's own {@code bridge} admin user.
 *
 * <ul>
 *   <li>AUTH tokens (emulator {@code /auth}, E7/E20): the passwords of the server's {@code default} user.
 *   <li>RBAC users (emulator {@code /users}, E45): every member of the group's user group becomes an
 *       ACL user of the same name ({@code ACL SETUSER <name> reset >password... <access string>}, so it
 *       can do exactly what its access string allows); the group's user named {@code default} replaces
 *       the server's default user; users that leave the group are removed ({@code ACL DELUSER}). An IAM
 *       user gets a password only the bridge knows ({@link #iamPassword}): an app logs in through
 *       {@link IamAuthProxy}, which gives it in exchange for a token the emulator finds valid (E74).
 * </ul>
 *
 * A serverless cache ({@link #startServerless}, emulator {@code /_emulator/serverless-caches/<name>/users},
 * E66) has no token: without a user group its server's default user takes everyone (no access control).
 *
 * The server's configuration must have {@code user bridge on >bridge-secret-0000 ~* &* +@all}.
 */
final class DataPlaneBridge implements AutoCloseable {
  static final String ADMIN = "bridge";
  static final String ADMIN_PASSWORD = "bridge-secret-0000";
  /** The config line that creates the bridge's admin user. */
  static final String ADMIN_CONFIG = "user " + ADMIN + " on >" + ADMIN_PASSWORD + " ~* &* +@all";

  private final AwsEmulator aws;
  private final String replicationGroupId;
  private final int port;
  private final Path ca;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicReference<List<String>> tokens;
  /** The ACL users applied: user name to what was applied (access string and passwords). */
  private final AtomicReference<Map<String, String>> users = new AtomicReference<>(Map.of());
  private final Thread thread;
  private final boolean serverless;
  /** IAM users of the user group now, and their bridge-only passwords (random per bridge). */
  private final java.util.Set<String> iamUsers = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private final Map<String, String> iamPasswords = new java.util.concurrent.ConcurrentHashMap<>();

  private DataPlaneBridge(AwsEmulator aws, String replicationGroupId, int port, Path ca, List<String> initialTokens, boolean serverless) {
    this.serverless = serverless;
    this.aws = aws;
    this.replicationGroupId = replicationGroupId;
    this.port = port;
    this.ca = ca;
    this.tokens = new AtomicReference<>(List.copyOf(initialTokens));
    this.thread = new Thread(this::run, "data-plane-bridge");
    thread.setDaemon(true);
  }

  /** Starts bridging; {@code initialTokens} are the passwords the server was started with (requirepass). */
  static DataPlaneBridge start(AwsEmulator aws, String replicationGroupId, int port, Path ca, List<String> initialTokens) {
    DataPlaneBridge b = new DataPlaneBridge(aws, replicationGroupId, port, ca, initialTokens, false);
    b.thread.start();
    return b;
  }

  /** Starts bridging the user group of the serverless cache of this name (no token: the server starts without a password). */
  static DataPlaneBridge startServerless(AwsEmulator aws, String serverlessCacheName, int port, Path ca) {
    DataPlaneBridge b = new DataPlaneBridge(aws, serverlessCacheName, port, ca, List.of(), true);
    b.thread.start();
    return b;
  }

  /** The AUTH tokens the server's default user accepts now (while the group has no user group). */
  List<String> tokens() {
    return tokens.get();
  }

  /** The ACL users made from the group's user group now, by user name (values: access string). */
  Map<String, String> users() {
    Map<String, String> out = new LinkedHashMap<>();
    users.get().forEach((name, applied) -> out.put(name, applied.split("\n", 2)[0]));
    return out;
  }

  /** Whether {@code name} is an IAM user (authentication {@code iam}) of the group's user group now. */
  boolean isIamUser(String name) {
    return iamUsers.contains(name);
  }

  /** The redis-server password of an IAM user, which only the bridge and its proxy know. */
  String iamPassword(String name) {
    return iamPasswords.computeIfAbsent(name, n -> "iam-bridge-" + java.util.UUID.randomUUID());
  }

  private void run() {
    while (running.get()) {
      try {
        syncOnce();
      } catch (Exception e) {
        // the group may not exist yet, or the server not be up: try again
      }
      OperatorProcess.sleep(200);
    }
  }

  private String cli(List<String> command) {
    return AppClients.redisCli(port, ca, ADMIN, ADMIN_PASSWORD, command);
  }

  private void syncOnce() {
    JsonNode members = serverless ? aws.serverlessUsers(replicationGroupId) : aws.users(replicationGroupId);
    Map<String, JsonNode> wanted = new LinkedHashMap<>();
    members.forEach(u -> wanted.put(u.path("userName").asText(), u));
    Map<String, String> applied = new LinkedHashMap<>(users.get());
    if (!wanted.isEmpty()) {
      for (var e : wanted.entrySet()) {
        JsonNode u = e.getValue();
        List<String> passwords = new ArrayList<>();
        u.path("passwords").forEach(p -> passwords.add(p.asText()));
        String access = u.path("accessString").asText();
        String signature = access + "\n" + u.path("authentication").asText() + "\n" + String.join("\n", passwords);
        if (signature.equals(applied.get(e.getKey()))) continue;
        List<String> command = new ArrayList<>(List.of("ACL", "SETUSER", e.getKey(), "reset"));
        if (u.path("authentication").asText().equals("no-password-required")) command.add("nopass");
        if (u.path("authentication").asText().equals("iam")) command.add(">" + iamPassword(e.getKey()));
        passwords.forEach(p -> command.add(">" + p));
        command.addAll(List.of(access.trim().split("\\s+")));
        if (cli(command).equals("OK")) applied.put(e.getKey(), signature);
      }
      wanted.forEach((name, u) -> {
        if (u.path("authentication").asText().equals("iam")) iamUsers.add(name);
        else iamUsers.remove(name);
      });
      iamUsers.retainAll(wanted.keySet());
      for (String name : List.copyOf(applied.keySet())) {
        if (wanted.containsKey(name)) continue;
        if (cli(List.of("ACL", "DELUSER", name)).matches("\\d+")) applied.remove(name);
      }
      users.set(Map.copyOf(applied));
      return;
    }
    iamUsers.clear();
    List<String> now = serverless ? List.of() : aws.authTokens(replicationGroupId);
    if (!applied.isEmpty()) {
      // back from RBAC to the AUTH token: the user group's users go, default takes every right again
      for (String name : List.copyOf(applied.keySet())) {
        String reply = name.equals("default")
            ? cli(List.of("ACL", "SETUSER", "default", "reset", "on", "nopass", "~*", "&*", "+@all"))
            : cli(List.of("ACL", "DELUSER", name));
        if (reply.equals("OK") || reply.matches("\\d+")) applied.remove(name);
      }
      users.set(Map.copyOf(applied));
      tokens.set(List.of());
    }
    if (!now.isEmpty() && !now.equals(tokens.get())) {
      List<String> command = new ArrayList<>(List.of("ACL", "SETUSER", "default", "resetpass", "on"));
      now.forEach(t -> command.add(">" + t));
      if (cli(command).equals("OK")) tokens.set(now);
    }
  }

  @Override
  public void close() {
    running.set(false);
  }
}
