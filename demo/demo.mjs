// make demo: a Redis server with sample keys, the local gateway over it, the console, and one real
// signed flush from Node through the npm package. Ctrl-C stops everything it started.
//   node demo/demo.mjs [--once]      (--once: stop after the flush, for tests)
import { buildFlushRequest, parseFlushResponse } from '../pkg/index.node.mjs';
import { startRedis, fill, totalKeys } from '../tests/support/redis.mjs';
import { startGateway, ROOT } from '../tests/support/gateway.mjs';
import { join } from 'node:path';

const once = process.argv.includes('--once');
const accessKey = 'demo-access-key';
const secretKey = 'demo-secret-key';
const instances = [
  { no: '882689', name: 'demo-cache' },
  { no: '882690', name: 'demo-sessions', isHa: true },
  { no: '1103456', name: 'demo-orders-vpc', platform: 'vpc', isHa: true },
];

const bold = (s) => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s);
const redis = [];
let gateway;

async function stop() {
  await gateway?.stop();
  await Promise.all(redis.map((r) => r.close()));
}

try {
  for (const instance of instances) {
    const server = await startRedis();
    redis.push(server);
    instance.redisUrl = server.url;
    await fill(server.port, 1000, `${instance.name}:key`);
  }
  gateway = await startGateway({
    credentials: [{ accessKey, secretKey }],
    instances,
    extra: `www_dir = ${JSON.stringify(join(ROOT, 'www'))}\npkg_dir = ${JSON.stringify(join(ROOT, 'pkg'))}`,
  });
  console.log(bold('ncloud-redis-flush demo'));
  console.log(`  console     ${gateway.url}/`);
  console.log(`  endpoint    ${gateway.url}  (local gateway, NAVER Cloud's authentication)`);
  console.log(`  access key  ${accessKey}`);
  console.log(`  secret key  ${secretKey}   (demo only)`);
  for (const [i, instance] of instances.entries()) {
    console.log(`  instance    ${instance.no} "${instance.name}" → Redis on 127.0.0.1:${redis[i].port}, ${await totalKeys(redis[i].port)} keys`);
  }

  const [target] = instances;
  const before = await totalKeys(redis[0].port);
  const request = buildFlushRequest({ cloudDBInstanceNo: target.no, endpoint: gateway.url, timestamp: Date.now(), accessKey, secretKey });
  console.log(`\n${bold('1. The signed request')} (buildFlushRequest)`);
  console.log(`  ${request.method} ${request.url}`);
  for (const [k, v] of Object.entries(request.headers)) console.log(`  ${k}: ${v}`);
  const response = await fetch(request.url, request);
  const body = await response.text();
  console.log(`\n${bold('2. The answer')}: HTTP ${response.status}, ${body.length} bytes`);
  const result = parseFlushResponse(body, { status: response.status });
  const instance = result.cloudDBInstanceList[0];
  console.log(`\n${bold('3. Parsed')} (parseFlushResponse)`);
  console.log(`  requestId ${result.requestId}, returnCode ${result.returnCode} (${result.returnMessage})`);
  console.log(`  instance  ${instance.cloudDBInstanceNo} "${instance.cloudDBServiceName}", ${instance.engineVersion}, ${instance.memorySize} bytes, ${instance.cloudDBInstanceStatusName}`);
  for (const s of instance.cloudDBServerInstanceList) {
    console.log(`  server    ${s.cloudDBServerName} (${s.cloudDBServerRole?.codeName}) ${s.privateDnsName}, up since ${s.uptime}`);
  }
  const after = await totalKeys(redis[0].port);
  console.log(`\n${bold('4. Keys')} in ${target.no}: ${before} before, ${after} after; ${instances[1].no} still has ${await totalKeys(redis[1].port)}.`);
  console.log(`   (the VPC instance ${instances[2].no} is flushed through /vredis/v2 by its master server, ${instances[2].no}1)`);
  if (after !== 0) throw new Error('the instance was not flushed');

  if (once) {
    await stop();
  } else {
    console.log(`\nOpen ${gateway.url}/ to flush from the console. Ctrl-C stops the gateway and Redis.`);
    const quit = async () => {
      await stop();
      process.exit(0);
    };
    process.on('SIGINT', quit);
    process.on('SIGTERM', quit);
  }
} catch (e) {
  console.error(`demo failed: ${e.message}`);
  await stop();
  process.exit(1);
}
