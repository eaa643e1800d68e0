// The transports: readNdjson on a fetch Response, connect on a (fake) EventSource.
import { test } from "node:test";
import assert from "node:assert/strict";
import { connect, readNdjson, StreamError } from "../../partialjson/static/partialjson.js";

const RECORDS = [
  { id: 1, ops: [{ op: "add", path: "", value: {} }, { op: "add", path: "/city", value: "Zü" }] },
  { id: 2, ops: [{ op: "append", path: "/city", value: "rich 🌍 東京" }, { op: "done", path: "/city" }] },
  { id: 3, ops: [{ op: "add", path: "/note", value: "é" }] },
  { id: 4, end: true },
];
const FINAL = { city: "Zürich 🌍 東京", note: "é" };
const BYTES = new TextEncoder().encode(RECORDS.map((r) => JSON.stringify(r) + "\n").join(""));

// A fetch Response whose body yields these byte chunks.
function response(chunks, init) {
  const body = new ReadableStream({
    pull(controller) {
      if (chunks.length) controller.enqueue(chunks.shift());
      else controller.close();
    },
  });
  return new Response(body, init);
}

function handlers() {
  const seen = { changes: [], done: [], errors: [], ends: [] };
  return {
    seen,
    onChange: (path, value) => seen.changes.push([path, value]),
    onDone: (path) => seen.done.push(path),
    onError: (error) => seen.errors.push(error),
    onEnd: (value) => seen.ends.push(structuredClone(value)),
  };
}

test("readNdjson: chunks cut at every byte, inside characters and lines", async () => {
  const multibyte = [...BYTES].findIndex((b) => b >= 0x80);
  assert.ok(multibyte > 0, "the stream has multi-byte characters to cut");
  for (let cut = 1; cut < BYTES.length; cut++) {
    const h = handlers();
    const doc = await readNdjson(response([BYTES.slice(0, cut), BYTES.slice(cut)]), h);
    assert.deepEqual(doc.value, FINAL, `cut at ${cut}`);
    assert.deepEqual(h.seen.errors, [], `cut at ${cut}`);
    assert.deepEqual(h.seen.ends, [FINAL]);
    assert.deepEqual(h.seen.done, [["city"]]);
  }
});

test("readNdjson: one byte at a time", async () => {
  const h = handlers();
  const doc = await readNdjson(response([...BYTES].map((b) => new Uint8Array([b]))), h);
  assert.deepEqual(doc.value, FINAL);
  assert.deepEqual(h.seen.changes.map(([path]) => path), [[], ["city"], ["city"], ["note"]]);
  assert.equal(doc.isDone("/city"), true);
});

test("readNdjson: a line is applied as soon as its newline arrives", async () => {
  let controller;
  const body = new ReadableStream({ start: (c) => { controller = c; } });
  const h = handlers();
  const reading = readNdjson(new Response(body), h);
  const encode = (text) => new TextEncoder().encode(text);
  const settle = () => new Promise((resolve) => setTimeout(resolve, 10));
  controller.enqueue(encode(JSON.stringify(RECORDS[0]) + "\n" + JSON.stringify(RECORDS[1]).slice(0, 20)));
  await settle();
  assert.deepEqual(h.seen.changes, [[[], { city: "Zü" }], [["city"], "Zü"]]);
  controller.enqueue(encode(JSON.stringify(RECORDS[1]).slice(20) + "\n"));
  await settle();
  assert.equal(h.seen.changes.at(-1)[1], "Zürich 🌍 東京");
  controller.enqueue(encode('{"id": 5, "end": true}\n'));
  await reading;
  assert.equal(h.seen.ends.length, 1);
});

test("readNdjson: CRLF, blank lines and a last line without a newline", async () => {
  const text = RECORDS.map((r) => JSON.stringify(r)).join("\r\n\r\n");
  const h = handlers();
  const doc = await readNdjson(response([new TextEncoder().encode(text)]), h);
  assert.deepEqual(doc.value, FINAL);
  assert.deepEqual(h.seen.errors, []);
  assert.equal(h.seen.ends.length, 1);
});

test("readNdjson: the server's error record ends the stream with a StreamError", async () => {
  const error = { type: "SchemaViolation", message: "days: too many items", path: "/days/3", offset: 812 };
  const lines = [RECORDS[0], { id: 2, error }, RECORDS[2]].map((r) => JSON.stringify(r) + "\n").join("");
  let cancelled = false;
  const chunks = [new TextEncoder().encode(lines)];
  const body = new ReadableStream({
    pull: (c) => (chunks.length ? c.enqueue(chunks.shift()) : new Promise(() => {})), // never ends by itself
    cancel: () => { cancelled = true; },
  });
  const h = handlers();
  const doc = await readNdjson(new Response(body), h);
  assert.equal(h.seen.errors.length, 1);
  const [e] = h.seen.errors;
  assert.ok(e instanceof StreamError);
  assert.deepEqual([e.type, e.path, e.offset], ["SchemaViolation", "/days/3", 812]);
  assert.equal(e.message, "SchemaViolation: days: too many items");
  assert.deepEqual(doc.value, { city: "Zü" }, "the record after the error is not applied");
  assert.equal(cancelled, true, "the body is cancelled, releasing the connection");
  assert.deepEqual(h.seen.ends, []);
});

test("readNdjson: a stream cut before its end record is an error", async () => {
  const h = handlers();
  const doc = await readNdjson(response([new TextEncoder().encode(JSON.stringify(RECORDS[0]) + "\n")]), h);
  assert.deepEqual(doc.value, { city: "Zü" });
  assert.match(h.seen.errors[0].message, /ended without an end record/);
});

test("readNdjson: lines that are not records", async () => {
  for (const [line, message] of [["{nope", /an NDJSON line is not JSON/], ['{"id": 1}', /has no ops, error or end/]]) {
    const h = handlers();
    await readNdjson(response([new TextEncoder().encode(line + "\n")]), h);
    assert.equal(h.seen.errors.length, 1);
    assert.match(h.seen.errors[0].message, message);
  }
  const h = handlers();
  await readNdjson(response([new TextEncoder().encode('{"id": 1, "ops": [{"op": "append", "path": "/x", "value": "y"}]}\n{"id": 2, "end": true}\n')]), h);
  assert.match(h.seen.errors[0].message, /cannot apply .*there is no document yet/);
  assert.deepEqual(h.seen.ends, [], "an invalid operation stops reading");
});

test("readNdjson: an HTTP error status", async () => {
  const h = handlers();
  await readNdjson(new Response("busy", { status: 503 }), h);
  assert.match(h.seen.errors[0].message, /HTTP 503/);
});

test("readNdjson: without onError the promise rejects", async () => {
  await assert.rejects(readNdjson(response([new TextEncoder().encode('{"id": 1, "error": {"type": "X", "message": "m"}}\n')])), StreamError);
});

// Just what connect uses of EventSource; emit() plays the browser's part.
class FakeEventSource {
  static last;
  constructor(url) {
    this.url = url;
    this.readyState = 0; // CONNECTING
    this.listeners = {};
    FakeEventSource.last = this;
  }
  addEventListener(type, listener) {
    (this.listeners[type] ??= []).push(listener);
  }
  close() {
    this.readyState = 2; // CLOSED
  }
  emit(type, fields = {}) {
    for (const listener of this.listeners[type] ?? []) listener({ type, lastEventId: "", ...fields });
  }
  patch(id, ops) {
    this.emit("message", { data: JSON.stringify(ops), lastEventId: String(id) });
  }
}

function open(extra = {}) {
  const h = handlers();
  const connection = connect("/stream?q=1", { ...h, EventSource: FakeEventSource, ...extra });
  return { h, connection, source: FakeEventSource.last };
}

test("connect: patches applied, end closes the source and reports the value", () => {
  const { h, connection, source } = open();
  assert.equal(source.url, "/stream?q=1");
  assert.equal(connection.source, source);
  source.readyState = 1;
  source.patch(1, RECORDS[0].ops);
  source.patch(2, RECORDS[1].ops);
  source.patch(3, RECORDS[2].ops);
  assert.deepEqual(connection.document.value, FINAL);
  assert.equal(connection.document.isDone("/city"), true);
  assert.deepEqual(h.seen.done, [["city"]]);
  source.emit("end", { data: "{}" });
  assert.equal(source.readyState, 2, "closed, so the browser does not reconnect");
  assert.deepEqual(h.seen.ends, [FINAL]);
  assert.deepEqual(h.seen.errors, []);
});

test("connect: after a reconnection a batch already applied is skipped, not applied twice", () => {
  const { h, connection, source } = open();
  source.patch(1, RECORDS[0].ops);
  source.patch(2, [{ op: "append", path: "/city", value: "ri" }]);
  source.emit("error"); // the connection dropped: EventSource reconnects (readyState stays CONNECTING)
  source.patch(2, [{ op: "append", path: "/city", value: "ri" }]); // a server that resends from Last-Event-ID itself
  source.patch(3, [{ op: "append", path: "/city", value: "ch" }]);
  assert.equal(connection.document.value.city, "Zürich");
  assert.deepEqual(h.seen.errors, [], "a reconnection is not an error");
  assert.notEqual(source.readyState, 2);
});

test("connect: the server's error event closes the source with a StreamError", () => {
  const { h, connection, source } = open();
  source.patch(1, RECORDS[0].ops);
  source.emit("error", { data: JSON.stringify({ type: "JsonSyntaxError", message: "unexpected '}'", path: null, offset: 17 }) });
  assert.equal(source.readyState, 2);
  const [e] = h.seen.errors;
  assert.ok(e instanceof StreamError);
  assert.deepEqual([e.type, e.path, e.offset, e.message], ["JsonSyntaxError", null, 17, "JsonSyntaxError: unexpected '}'"]);
  assert.deepEqual(connection.document.value, { city: "Zü" });
});

test("connect: an error event whose data is not JSON still reports its text", () => {
  const { h, source } = open();
  source.emit("error", { data: "upstream timed out" });
  assert.match(h.seen.errors[0].message, /upstream timed out/);
  assert.equal(source.readyState, 2);
});

test("connect: EventSource giving up (CLOSED) is an error", () => {
  const { h, source } = open();
  source.readyState = 2;
  source.emit("error");
  assert.match(h.seen.errors[0].message, /the connection to \/stream\?q=1 failed/);
});

test("connect: an invalid operation or a patch that is not JSON closes the source", () => {
  const first = open();
  first.source.patch(1, [{ op: "append", path: "", value: "x" }]);
  assert.match(first.h.seen.errors[0].message, /cannot apply .*there is no document yet/);
  assert.equal(first.source.readyState, 2);
  const second = open();
  second.source.emit("message", { data: "[{", lastEventId: "1" });
  assert.match(second.h.seen.errors[0].message, /a batch.s data is not JSON/);
  assert.equal(second.source.readyState, 2);
});

test("connect: without onError an invalid operation throws, and the source is closed", () => {
  connect("/s", { EventSource: FakeEventSource });
  const source = FakeEventSource.last;
  assert.throws(() => source.patch(1, [{ op: "bad", path: "" }]), /unknown op "bad"/);
  assert.equal(source.readyState, 2);
});

test("connect: close() closes the source", () => {
  const { connection, source } = open();
  connection.close();
  assert.equal(source.readyState, 2);
});
