package dev.operators.elasticache.e2e;

import dev.operators.elasticache.testsupport.Proc;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The real clients apps use, each given nothing but the connection Secret's keys, and the CA that
 * stands in for the public CA AWS's certificates chain to (the one input from outside the Secret):
 * redis-py, Celery (broker and result backend), django-redis, ioredis and Lettuce, each a small app
 * of {@code test/app-clients} run as its own process (installed and cached by its setup.sh; Lettuce 7
 * needs Netty 4.2, which the operator's Quarkus does not have, so it gets its own classpath too).
 *
 * <p>redis-py and Lettuce read the Secret the way a ServiceBinding projects it (servicebinding.io):
 * one file per key in a directory under {@code SERVICE_BINDING_ROOT}; the others get one key in an
 * environment variable, as a Deployment's {@code secretKeyRef} gives it.
 */
final class AppClients {
  private final Path appDir;
  private final Path python;
  private final Path nodeModules;
  private final String javaClasspath;
  private final Path caFile;

  private AppClients(Path root, Path python, Path nodeModules, String javaClasspath, Path caFile) {
    this.appDir = root.resolve("test/app-clients");
    this.python = python;
    this.nodeModules = nodeModules;
    this.javaClasspath = javaClasspath;
    this.caFile = caFile.toAbsolutePath();
  }

  /** Installs the clients (a no-op when cached) and trusts {@code caFile} in each. */
  static AppClients install(Path root, Path caFile) {
    Proc.Result setup = Proc.run(root, Map.of(), null, 900, List.of("bash", "test/app-clients/setup.sh")).ok();
    Map<String, String> paths = new HashMap<>();
    setup.out().lines().map(l -> l.split(" ", 2)).filter(p -> p.length == 2).forEach(p -> paths.put(p[0], p[1]));
    return new AppClients(root, Path.of(paths.get("venv"), "bin", "python"), Path.of(paths.get("node_modules")),
        paths.get("java_classpath"), caFile);
  }

  Path python() {
    return python;
  }

  /** Writes the Secret as a ServiceBinding projects it: {@code <bindings>/<name>/<key>}, one file per key. */
  static Path bindingDirectory(Path bindings, String name, Map<String, String> secret) {
    try {
      Path dir = bindings.resolve(name);
      Files.createDirectories(dir);
      try (Stream<Path> old = Files.list(dir)) {
        for (Path p : old.toList()) Files.delete(p);
      }
      for (var e : secret.entrySet()) Files.writeString(dir.resolve(e.getKey()), e.getValue(), StandardCharsets.UTF_8);
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * redis-py: {@code redis.from_url(<pythonUrl file>)} (with {@code clusterMode} "true" in the binding,
   * {@code RedisCluster.from_url}), the binding found by its {@code type} under SERVICE_BINDING_ROOT.
   */
  Proc.Result redisPy(Path bindings, String key, String value) {
    return run(Map.of("SERVICE_BINDING_ROOT", bindings.toAbsolutePath().toString()), python.toString(), "redis_py_app.py", key, value);
  }

  /** redis-py, GET only; with {@code clusterMode} "true" in the binding, its cluster client. */
  Proc.Result redisPy(Path bindings, String key) {
    return run(Map.of("SERVICE_BINDING_ROOT", bindings.toAbsolutePath().toString()), python.toString(), "redis_py_app.py", key);
  }

  /** Celery with CELERY_BROKER_URL as broker and result backend; a worker runs add(2, 3). */
  Proc.Result celery(String brokerUrl) {
    return run(Map.of("CELERY_BROKER_URL", brokerUrl), python.toString(), "celery_app.py");
  }

  /** Django's cache through django-redis, LOCATION from REDIS_URL. */
  Proc.Result djangoRedis(String redisUrl, String key, String value) {
    return run(Map.of("REDIS_URL", redisUrl), python.toString(), "django_app.py", key, value);
  }

  /** ioredis: {@code new Redis(process.env.REDIS_URL)}. */
  Proc.Result ioredis(String redisUrl, String key, String value) {
    return run(Map.of("REDIS_URL", redisUrl, "NODE_PATH", nodeModules.toString()), "node", "ioredis_app.js", key, value);
  }

  private Proc.Result run(Map<String, String> appEnv, String interpreter, String... args) {
    Map<String, String> env = new HashMap<>(appEnv);
    env.put("SSL_CERT_FILE", caFile.toString()); // Python's ssl.create_default_context() trusts this file
    env.put("NODE_EXTRA_CA_CERTS", caFile.toString()); // Node adds it to its own trust store
    env.put("PYTHONDONTWRITEBYTECODE", "1");
    List<String> command = Stream.concat(Stream.of(interpreter), Stream.of(args)).toList();
    return Proc.run(appDir, env, null, 120, command);
  }

  /**
   * Lettuce as a Spring Boot app configures it from a binding (Spring Cloud Bindings maps {@code host},
   * {@code port}, {@code password} and {@code ssl} to {@code spring.data.redis.*}), the binding found by
   * its {@code type} under SERVICE_BINDING_ROOT: TLS with the peer verified (certificate and host
   * name), AUTH with the password. {@code set <key> <value>}, {@code get <key>} or {@code keys <pattern>}.
   */
  Proc.Result lettuce(Path bindings, String... command) {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String[] args = Stream.concat(Stream.of("-cp", javaClasspath, "LettuceApp"), Stream.of(command)).toArray(String[]::new);
    return run(Map.of("SERVICE_BINDING_ROOT", bindings.toAbsolutePath().toString()), java, args);
  }

  /** redis-cli as the test's bridge user (not an app): TLS against the CA, one command, its reply. */
  static String redisCli(int port, Path caFile, String user, String password, List<String> command) {
    List<String> cli = new java.util.ArrayList<>(List.of("redis-cli", "--tls", "--cacert", caFile.toAbsolutePath().toString(),
        "-h", "localhost", "-p", Integer.toString(port), "--user", user, "--pass", password, "--no-auth-warning"));
    cli.addAll(command);
    return Proc.run(Path.of("."), Map.of(), null, 30, cli).out().strip();
  }
}
