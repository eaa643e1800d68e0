// Every recorded operation stream in tests/web_fixtures/ (the Python encoder writes them; js-*.json
// are written by hand): applying all batches gives "final", and exactly "done" are marked done.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { PartialDocument, toPointer } from "../../partialjson/static/partialjson.js";

const folder = new URL("../web_fixtures/", import.meta.url);
const files = readdirSync(folder).filter((name) => name.endsWith(".json")).sort();

// The pointer of every value in a document, the document's own ("") first.
function* pointers(value, path = []) {
  yield toPointer(path);
  if (value !== null && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) yield* pointers(item, [...path, Array.isArray(value) ? Number(key) : key]);
  }
}

test("there are fixtures to replay", () => {
  assert.ok(files.length >= 4, `only ${files.length} fixtures in ${folder.pathname}`);
});

for (const file of files) {
  const fixture = JSON.parse(readFileSync(new URL(file, folder), "utf8"));
  test(`fixture ${file}: ${fixture.name}`, () => {
    const doneCalls = [];
    const doc = new PartialDocument({
      onDone: (path) => doneCalls.push(toPointer(path)),
      onError: (error) => assert.fail(error),
    });
    for (const batch of fixture.batches) assert.equal(doc.apply(batch), true);
    assert.deepEqual(doc.value, fixture.final);
    assert.deepEqual([...doneCalls].sort(), [...fixture.done].sort(), "onDone was called for exactly the done pointers");
    // isDone: a done value and everything inside it, nothing else.
    const done = new Set(fixture.done);
    for (const pointer of pointers(fixture.final)) {
      const expected = [...done].some((d) => pointer === d || pointer.startsWith(d + "/"));
      assert.equal(doc.isDone(pointer), expected, `isDone(${JSON.stringify(pointer)})`);
    }
  });
}
