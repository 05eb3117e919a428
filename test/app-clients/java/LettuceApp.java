import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Lettuce, the client Spring Data Redis uses, configured the way Spring Cloud Bindings configures a
 * Spring Boot app from a servicebinding.io binding of type {@code redis}: {@code host}, {@code port},
 * {@code username} (an RBAC user's), {@code password} and {@code ssl} (spring.data.redis.host/port/username/password/ssl.enabled). TLS verifies
 * the server's certificate and host name against the JDK's trust store, or against the PEM file
 * SSL_CERT_FILE names (the test's CA).
 *
 *   java LettuceApp set <key> <value>   # SET, then GET; prints the value
 *   java LettuceApp get <key>           # prints the value
 *   java LettuceApp keys <pattern>      # prints the number of matching keys
 */
public final class LettuceApp {
  public static void main(String[] args) throws Exception {
    Map<String, String> binding = binding(Path.of(System.getenv("SERVICE_BINDING_ROOT")), "redis");
    RedisURI.Builder uri = RedisURI.builder().withHost(binding.get("host")).withPort(Integer.parseInt(binding.get("port")))
        .withSsl(Boolean.parseBoolean(binding.get("ssl"))).withVerifyPeer(true).withTimeout(Duration.ofSeconds(10));
    // an RBAC user's binding also has username (spring.data.redis.username): AUTH <username> <password>
    if (binding.containsKey("password") && binding.containsKey("username")) {
      uri.withAuthentication(binding.get("username"), binding.get("password").toCharArray());
    } else if (binding.containsKey("password")) {
      uri.withPassword(binding.get("password").toCharArray());
    }
    RedisClient client = RedisClient.create();
    String ca = System.getenv("SSL_CERT_FILE");
    if (ca != null) client.setOptions(ClientOptions.builder().sslOptions(SslOptions.builder().jdkSslProvider().trustManager(new File(ca)).build()).build());
    int exit = 0;
    try (StatefulRedisConnection<String, String> connection = client.connect(uri.build())) {
      RedisCommands<String, String> redis = connection.sync();
      switch (args[0]) {
        case "set" -> {
          redis.set(args[1], args[2]);
          System.out.println(redis.get(args[1]));
        }
        case "get" -> System.out.println(redis.get(args[1]));
        case "keys" -> System.out.println(redis.keys(args[1]).size());
        default -> throw new IllegalArgumentException("unknown command " + args[0]);
      }
    } catch (RuntimeException e) {
      // the messages never hold the password
      for (Throwable t = e; t != null; t = t.getCause()) System.err.println(t.getClass().getSimpleName() + ": " + t.getMessage());
      exit = 1;
    } finally {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
    System.exit(exit);
  }

  /** The binding of this type under SERVICE_BINDING_ROOT: one directory, one file per key. */
  static Map<String, String> binding(Path root, String type) throws IOException {
    List<Path> dirs;
    try (Stream<Path> s = Files.list(root)) {
      dirs = s.filter(Files::isDirectory).filter(d -> !d.getFileName().toString().startsWith("..")).sorted().toList();
    }
    for (Path d : dirs) {
      Path t = d.resolve("type");
      if (Files.isRegularFile(t) && Files.readString(t, StandardCharsets.UTF_8).strip().equals(type)) {
        Map<String, String> out = new HashMap<>();
        try (Stream<Path> files = Files.list(d)) {
          for (Path f : files.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().startsWith("..")).toList()) {
            out.put(f.getFileName().toString(), Files.readString(f, StandardCharsets.UTF_8));
          }
        }
        return out;
      }
    }
    throw new IllegalStateException("no binding of type " + type + " under " + root);
  }
}
