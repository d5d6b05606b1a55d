// Answers of hostile shapes, each about `bytes` long: what a response under someone else's
// control (a custom endpoint, a proxy, the network on http:) could send. Shared by
// tests/node/shapes.test.mjs (memory) and bench/bench.mjs (time against JSON.parse).
const repeat = (text, times) => text.repeat(Math.max(0, Math.floor(times)));
const flush = (inner) => `{"flushCloudDBInstanceResponse":{${inner}}}`;
const ok = '"returnCode":"0","returnMessage":"success"';

export const SHAPES = {
  'empty objects, unknown root': (n) => `{"a":[${repeat('{},', n / 3)}{}]}`,
  'empty arrays where instances belong': (n) => flush(`${ok},"cloudDBInstanceList":[${repeat('[],', n / 3)}[]]`),
  'empty instances': (n) => flush(`${ok},"cloudDBInstanceList":[${repeat('{},', n / 3)}{}]`),
  'wide and deep, unknown member': (n) => flush(`"x":[${repeat('[[[[{}]]]],', n / 11)}1]`),
  'many keys': (n) => flush(Array.from({ length: Math.floor(n / 12) }, (_, i) => `"k${i}":1`).join(',')),
  'a long string': (n) => flush(`"returnCode":"0","returnMessage":"${'x'.repeat(n)}"`),
  'escapes': (n) => flush(`"returnCode":"0","returnMessage":"${repeat('\\u00e9\\n', n / 8)}"`),
  'numbers': (n) => flush(`"returnCode":"0","x":[${repeat('12345.678e9,', n / 12)}1]`),
  'unknown members in instances': (n) => flush(`${ok},"cloudDBInstanceList":[${repeat('{"zz":{"y":[1,2,{}]}},', n / 22)}{}]`),
  'an error with long details': (n) => `{"error":{"errorCode":"200","message":"Authentication Failed","details":"${'d'.repeat(n)}"}}`,
  'XML, unknown root': (n) => `<a>${repeat('<b/>', n / 4)}</a>`,
  'XML, many siblings, unknown member': (n) => `<flushCloudDBInstanceResponse><x>${repeat('<y><z><w/></z></y>', n / 18)}</x></flushCloudDBInstanceResponse>`,
  'XML, empty instances': (n) => `<flushCloudDBInstanceResponse><returnCode>0</returnCode><returnMessage>success</returnMessage><cloudDBInstanceList>${repeat('<c/>', n / 4)}</cloudDBInstanceList></flushCloudDBInstanceResponse>`,
  'small instances': (n) => flush(`${ok},"cloudDBInstanceList":[${repeat('{"cloudDBInstanceNo":"1","cloudDBServiceName":"x","zone":{},"cloudDBServerInstanceList":[{},{}]},', n / 90)}{}]`),
};

// The XML shapes' documents written as JSON, the same elements as members and items: what the
// bench times JSON.parse on for an XML shape (JSON.parse would refuse the XML at its first byte).
export const JSON_FORMS = {
  'XML, unknown root': (n) => `{"a":{"b":[${repeat('"",', n / 4)}""]}}`,
  'XML, many siblings, unknown member': (n) => flush(`"x":{"y":[${repeat('{"z":{"w":""}},', n / 18)}{"z":{"w":""}}]}`),
  'XML, empty instances': (n) => flush(`${ok},"cloudDBInstanceList":[${repeat('{},', n / 4)}{}]`),
};
