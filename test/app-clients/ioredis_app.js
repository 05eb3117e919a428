// ioredis as a Node app uses it: REDIS_URL from the connection Secret's `url` key.
// A rediss:// URL turns TLS on; the server certificate is verified against Node's trust store
// (the test adds its CA with NODE_EXTRA_CA_CERTS).
//
//   node ioredis_app.js <key> <value>   # SET key value, GET key, print the value
const Redis = require("ioredis");

async function main() {
  const [key, value] = process.argv.slice(2);
  const redis = new Redis(process.env.REDIS_URL, {
    maxRetriesPerRequest: 1,
    retryStrategy: () => null, // fail at once instead of reconnecting for ever
    lazyConnect: true,
  });
  try {
    await redis.connect();
    await redis.set(key, value);
    console.log(await redis.get(key));
  } finally {
    redis.disconnect();
  }
}

main().catch((e) => {
  // the message never holds the URL or the password
  console.error(`${e.name}: ${e.message}`);
  process.exit(1);
});
