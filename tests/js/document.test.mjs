// PartialDocument: every operation, pointers, errors, callbacks and isDone.
import { test } from "node:test";
import assert from "node:assert/strict";
import { PartialDocument, parsePointer, toPointer } from "../../partialjson/static/partialjson.js";

// A document that records its callbacks; errors are collected, not thrown.
function recorder() {
  const calls = [];
  const doc = new PartialDocument({
    onChange: (path, value) => calls.push(["change", path, structuredClone(value)]),
    onDone: (path) => calls.push(["done", path]),
    onError: (error) => calls.push(["error", error.message]),
  });
  return { doc, calls };
}

test("add builds objects, arrays and the document", () => {
  const { doc, calls } = recorder();
  assert.equal(doc.value, undefined);
  assert.equal(doc.apply([
    { op: "add", path: "", value: {} },
    { op: "add", path: "/title", value: "Tr" },
    { op: "add", path: "/days", value: [] },
    { op: "add", path: "/days/0", value: { n: 1 } },
    { op: "add", path: "/days/-", value: { n: 2 } },
    { op: "add", path: "/days/2", value: null },
    { op: "add", path: "/days/0/ok", value: true },
  ]), true);
  assert.deepEqual(doc.value, { title: "Tr", days: [{ n: 1, ok: true }, { n: 2 }, null] });
  const changes = calls.filter((c) => c[0] === "change");
  assert.deepEqual(changes.map((c) => c[1]), [[], ["title"], ["days"], ["days", 0], ["days", 1], ["days", 2], ["days", 0, "ok"]]);
  assert.deepEqual(changes[4], ["change", ["days", 1], { n: 2 }]);
  assert.deepEqual(calls.at(-1), ["done", ["days", 0, "ok"]], "a boolean is complete when it arrives");
});

test("a scalar or an array can be the document", () => {
  const { doc } = recorder();
  doc.apply([{ op: "add", path: "", value: "ab" }, { op: "append", path: "", value: "c" }]);
  assert.equal(doc.value, "abc");
  doc.apply([{ op: "replace", path: "", value: [1] }, { op: "add", path: "/1", value: 2 }]);
  assert.deepEqual(doc.value, [1, 2]);
});

test("append grows a string, in objects and arrays, and reports the whole string", () => {
  const { doc, calls } = recorder();
  doc.apply([
    { op: "add", path: "", value: { s: "", list: [""] } },
    { op: "append", path: "/s", value: "Zü" },
    { op: "append", path: "/s", value: "rich 🌍" },
    { op: "append", path: "/list/0", value: "x" },
  ]);
  assert.deepEqual(doc.value, { s: "Zürich 🌍", list: ["x"] });
  assert.deepEqual(calls.slice(1), [
    ["change", ["s"], "Zü"], ["change", ["s"], "Zürich 🌍"], ["change", ["list", 0], "x"],
  ]);
});

test("replace sets an existing member, item or the document", () => {
  const { doc, calls } = recorder();
  doc.apply([
    { op: "add", path: "", value: { when: "2026-12", items: [1, 2] } },
    { op: "replace", path: "/when", value: "2026-12-03T00:00:00Z" },
    { op: "replace", path: "/items/1", value: { deep: [3] } },
  ]);
  assert.deepEqual(doc.value, { when: "2026-12-03T00:00:00Z", items: [1, { deep: [3] }] });
  assert.deepEqual(calls.at(-1), ["change", ["items", 1], { deep: [3] }]);
  assert.equal(calls.filter((c) => c[0] === "error").length, 0);
});

test("values are copied from the operations, so one batch can build two documents", () => {
  const batch = [{ op: "add", path: "", value: {} }, { op: "add", path: "/a", value: [] }, { op: "add", path: "/a/-", value: 1 }];
  const one = new PartialDocument();
  const two = new PartialDocument();
  one.apply(batch);
  two.apply(batch);
  assert.deepEqual(one.value, { a: [1] });
  assert.deepEqual(two.value, { a: [1] });
  assert.deepEqual(batch[0].value, {});
});

test("pointers: ~0 and ~1 escapes, decoded ~1 before ~0", () => {
  assert.deepEqual(parsePointer(""), []);
  assert.deepEqual(parsePointer("/"), [""]);
  assert.deepEqual(parsePointer("/a~1b/m~0n/~01/0"), ["a/b", "m~n", "~1", "0"]);
  assert.equal(toPointer(["a/b", "m~n", "~1", 0, ""]), "/a~1b/m~0n/~01/0/");
  for (const bad of ["a", "/a~", "/a~2", "/~x"]) assert.throws(() => parsePointer(bad), /JSON Pointer/);
  const { doc } = recorder();
  doc.apply([
    { op: "add", path: "", value: {} },
    { op: "add", path: "/a~1b", value: "1" },
    { op: "add", path: "/m~0n", value: "2" },
    { op: "add", path: "/~01", value: "3" },
    { op: "add", path: "/", value: "empty key" },
    { op: "append", path: "/~01", value: "!" },
  ]);
  assert.deepEqual(doc.value, { "a/b": "1", "m~n": "2", "~1": "3!", "": "empty key" });
});

test("a key named __proto__ is a member, not the prototype", () => {
  const { doc } = recorder();
  doc.apply([{ op: "add", path: "", value: {} }, { op: "add", path: "/__proto__", value: { polluted: true } }]);
  assert.equal(Object.getPrototypeOf(doc.value), Object.prototype);
  assert.deepEqual(doc.value.__proto__, { polluted: true });
  assert.equal({}.polluted, undefined);
  assert.deepEqual(Object.keys(doc.value), ["__proto__"]);
});

test("done: onDone once per path, isDone for the value and what it contains", () => {
  const { doc, calls } = recorder();
  doc.apply([
    { op: "add", path: "", value: { a: { b: "x", c: [1] }, d: "y" } },
    { op: "done", path: "/a/b" },
  ]);
  assert.equal(doc.isDone("/a/b"), true);
  assert.equal(doc.isDone(["a", "b"]), true);
  assert.equal(doc.isDone("/a"), false);
  assert.equal(doc.isDone("/a/c/0"), false);
  doc.apply([{ op: "done", path: "/a" }, { op: "done", path: "/a" }]);
  assert.equal(doc.isDone("/a/c/0"), true);
  assert.equal(doc.isDone(["a", "c", 0]), true);
  assert.equal(doc.isDone("/d"), false);
  assert.equal(doc.isDone(""), false);
  doc.apply([{ op: "done", path: "" }]);
  assert.equal(doc.isDone("/d"), true);
  assert.deepEqual(calls.filter((c) => c[0] === "done"), [["done", ["a", "b"]], ["done", ["a"]], ["done", []]]);
  assert.throws(() => doc.isDone("d"), /JSON Pointer/);
});

test("isDone is false everywhere in a strict-RFC stream (no done operations)", () => {
  const { doc } = recorder();
  doc.apply([{ op: "add", path: "", value: { a: "x" } }, { op: "replace", path: "/a", value: "xy" }]);
  assert.equal(doc.isDone(""), false);
  assert.equal(doc.isDone("/a"), false);
});

test("a key that looks like a prefix is not a container: /ab is not inside /a", () => {
  const { doc } = recorder();
  doc.apply([{ op: "add", path: "", value: { a: 1, ab: 2 } }, { op: "done", path: "/a" }]);
  assert.equal(doc.isDone("/ab"), false);
});

const invalid = [
  ["an unknown op", { op: "remove", path: "/a" }, /unknown op "remove"/],
  ["a missing op", { path: "/a" }, /unknown op undefined/],
  ["not an object", 42, /an operation must be an object or a string/],
  ["a bad pointer", { op: "add", path: "a", value: 1 }, /does not start with "\/"/],
  ["a bad escape", { op: "add", path: "/a~2", value: 1 }, /"~" not followed by 0 or 1/],
  ["a missing parent", { op: "add", path: "/nope/x", value: 1 }, /no member "nope" in the object at ""/],
  ["a parent that is a string", { op: "add", path: "/s/x", value: 1 }, /the value at "\/s" is not an object or an array/],
  ["a parent that is null", { op: "add", path: "/z/x", value: 1 }, /the value at "\/z" is not an object or an array/],
  ["an add past the end of an array", { op: "add", path: "/list/3", value: 1 }, /index must be the array's length 1 \(or "-"\), not 3/],
  ["an add inside an array (not the wire format)", { op: "add", path: "/list/0", value: 1 }, /length 1/],
  ["a non-index in an array", { op: "replace", path: "/list/01", value: 1 }, /"01" is not an index of the array at "\/list"/],
  ["a replace past the end", { op: "replace", path: "/list/1", value: 1 }, /index 1 is past the end of the array at "\/list"/],
  ["a replace of a missing member", { op: "replace", path: "/new", value: 1 }, /no member "new"/],
  ["a replace of an inherited name", { op: "replace", path: "/toString", value: 1 }, /no member "toString"/],
  ["a replace without a value", { op: "replace", path: "/s" }, /"replace" needs a value/],
  ["an append to a number", { op: "append", path: "/n", value: "x" }, /the value at "\/n" is not a string/],
  ["an append to an object", { op: "append", path: "", value: "x" }, /the document is not a string/],
  ["an append of a non-string", { op: "append", path: "/s", value: 5 }, /an append's value must be a string/],
  ["a done on a missing path", { op: "done", path: "/list/5" }, /past the end/],
  ["a \"-\" outside an add", { op: "done", path: "/list/-" }, /"-" is not an index/],
];

for (const [name, op, message] of invalid) {
  test(`invalid operation: ${name}`, () => {
    const { doc, calls } = recorder();
    const start = { op: "add", path: "", value: { s: "x", n: 1, z: null, list: ["a"] } };
    const after = { op: "add", path: "/after", value: 1 };
    assert.equal(doc.apply([start, op, after]), false);
    const errors = calls.filter((c) => c[0] === "error");
    assert.equal(errors.length, 1);
    // The message names the operation and says what is wrong with it.
    assert.ok(errors[0][1].startsWith(`partialjson: cannot apply ${JSON.stringify(op)}: `), errors[0][1]);
    assert.match(errors[0][1], message);
    assert.equal("after" in doc.value, false, "applying stopped at the invalid operation");
  });
}

test("an operation before the document exists is an error", () => {
  const { doc, calls } = recorder();
  doc.apply([{ op: "add", path: "/a", value: 1 }]);
  assert.match(calls[0][1], /there is no document yet/);
  const other = recorder();
  other.doc.apply([{ op: "replace", path: "", value: 1 }]);
  assert.match(other.calls[0][1], /there is no document to replace/);
});

test("after an error the document refuses later batches", () => {
  const { doc, calls } = recorder();
  doc.apply([{ op: "add", path: "", value: {} }, { op: "append", path: "/x", value: "y" }]);
  assert.equal(doc.apply([{ op: "add", path: "/a", value: 1 }]), false);
  assert.deepEqual(doc.value, {});
  assert.match(calls.at(-1)[1], /stopped at an earlier error \(partialjson: cannot apply .*"\/x"/);
});

test("a batch that is not an array is an error", () => {
  const { doc, calls } = recorder();
  assert.equal(doc.apply({ op: "add", path: "", value: 1 }), false);
  assert.match(calls[0][1], /a batch must be an array of operations/);
  assert.equal(doc.apply([{ op: "add", path: "", value: 1 }]), false, "and the document stops");
});

test("without onError, apply throws the error", () => {
  const doc = new PartialDocument();
  assert.throws(() => doc.apply([{ op: "nope", path: "" }]), /cannot apply .*unknown op "nope"/);
});

test("a callback's exception propagates as itself, not as an invalid operation", () => {
  const boom = new Error("boom");
  const errors = [];
  const doc = new PartialDocument({ onChange: () => { throw boom; }, onError: (e) => errors.push(e) });
  assert.throws(() => doc.apply([{ op: "add", path: "", value: 1 }]), (e) => e === boom);
  assert.deepEqual(errors, []);
});

test("an error names a large operation by its start", () => {
  const { doc, calls } = recorder();
  const op = { op: "append", path: "/x", value: "y".repeat(10000) };
  doc.apply([{ op: "add", path: "", value: {} }, op]);
  assert.ok(calls[1][1].startsWith(`partialjson: cannot apply ${JSON.stringify(op).slice(0, 200)}...: no member "x"`), calls[1][1]);
  assert.ok(calls[1][1].length < 300);
});

test("short forms: a bare string appends, a relative path starts from the operation before", () => {
  const { doc, calls } = recorder();
  assert.equal(doc.apply([
    { op: "add", path: "", value: { items: [] } },
    { op: "add", path: "/items/0", value: {} },
    { op: "add", path: "0/id", value: 7 },
    { op: "add", path: "1/ti~1tle", value: "Zü" },
    "ri",
  ]), true);
  // Across batches: the first item of a batch refers to the last of the one before.
  assert.equal(doc.apply(["ch 🌍", { op: "done", path: "0" }, { op: "done", path: "1" }, { op: "add", path: "1/1", value: { id: 8 } }]), true);
  assert.deepEqual(doc.value, { items: [{ id: 7, "ti/tle": "Zürich 🌍" }, { id: 8 }] });
  assert.deepEqual(calls.filter((c) => c[0] === "done").map((c) => c[1]), [["items", 0, "id"], ["items", 0, "ti/tle"], ["items", 0]]);
  assert.equal(doc.isDone("/items/0/ti~1tle"), true);
  assert.equal(doc.isDone("/items/1"), false);
  assert.equal(doc.isDone("/items/0/id"), true, "a number is complete when it arrives");
});

test("a relative path that goes up past the document is an error", () => {
  const { doc, calls } = recorder();
  assert.equal(doc.apply([{ op: "add", path: "", value: { a: {} } }, { op: "add", path: "/a/b", value: "" }, { op: "done", path: "3" }]), false);
  assert.match(calls.at(-1)[1], /goes up past the document from "\/a\/b"/);
});

test("a short form with no operation before it is an error", () => {
  for (const [op, message] of [["add", /a bare string \(an append\) with no operation before it/],
    [{ op: "add", path: "0/x", value: 1 }, /a relative pointer "0\/x" with no operation before it/]]) {
    const { doc, calls } = recorder();
    assert.equal(doc.apply([op]), false);
    assert.match(calls[0][1], message);
  }
});

test("a new document (a restarted stream's) has nothing done, and done paths report again", () => {
  const { doc, calls } = recorder();
  doc.apply([
    { op: "add", path: "", value: {} },
    { op: "add", path: "/call", value: { city: "Oslo" } },
    { op: "done", path: "/call/city" },
  ]);
  assert.equal(doc.isDone("/call/city"), true);
  doc.apply([{ op: "replace", path: "", value: {} }]);
  assert.deepEqual(doc.value, {});
  assert.equal(doc.isDone("/call/city"), false);
  doc.apply([{ op: "add", path: "/call", value: { city: "Oslo" } }, { op: "done", path: "/call/city" }]);
  assert.equal(doc.isDone("/call/city"), true);
  assert.equal(calls.filter((c) => c[0] === "done").length, 2);
});
