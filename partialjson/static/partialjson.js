// partialjson.js: the browser side of partialjson.web. Dependency-free ES module, no build step.
// Needs a 2022 browser or Node 18+ (private fields, Object.hasOwn, structuredClone).
//
// The server (partialjson.web) sends batches of operations on a JSON document; this module
// applies them to a plain object and calls back per path.
//
// Operations (paths are RFC 6901 JSON Pointers: "" is the document, "/a/0/b", "~0" is "~",
// "~1" is "/"):
//   {"op": "add", "path": P, "value": V}      a new member, a new array item (last segment equal
//                                             to the array's length, or "-"), or the document.
//                                             V is {} or [] for a container later operations fill,
//                                             the text so far of a growing string, or a whole value.
//   {"op": "replace", "path": P, "value": V}  the value at P becomes V.
//   {"op": "append", "path": P, "value": T}   extension: the string at P grows by the text T.
//   {"op": "done", "path": P}                 extension: the value at P is complete. A number or a
//                                             boolean is complete when it arrives (no "done").
// Short forms on the wire (they refer to the operation before, in the previous batch for the
// first of a batch: a document must apply every batch of a stream, in order):
//   "text"        a bare string: an append of "text" to the path of the operation before.
//   P = "N/..."   a Relative JSON Pointer: up N levels from the path of the operation before,
//                 then down ("1/title" after "/items/3/id" is "/items/3/title"; "0" is that path).
//
// API:
//   const doc = new PartialDocument({onChange, onDone, onError});
//   doc.apply(ops)     applies an array of operations in order; returns true if all applied.
//                      Each costs O(its path and value): an append walks only its path.
//   doc.value          the document (undefined until the first add at ""). Containers are
//                      updated in place; values taken from operations are copied.
//   doc.isDone(path)   whether a "done" arrived for path or for a value containing it (a complete
//                      value's parts are complete), or a number or boolean was put there. path: a
//                      pointer or an array of keys. Streams in strict-RFC mode send no "done":
//                      there only numbers and booleans are known complete.
//   onChange(path, value)  once per operation, with the operation's path as an array (strings for
//                      object keys, numbers for array indices) and the new value there.
//   onDone(path)       once per path, when its "done" arrives or a number or boolean is put there
//                      (after its onChange), with the path as an array.
//   onError(error)     an invalid operation (bad pointer, missing parent, unknown op, append to a
//                      non-string...): an Error naming the operation. Applying stops there, and the
//                      document refuses later batches, since it no longer follows the server's.
//                      Without onError, apply throws the error. An exception thrown by a
//                      callback propagates out of apply (the operations after it are not applied).
//
//   connect(url, handlers) -> {document, source, close()}
//       Opens an EventSource on url and applies its batches (the default "message" events). A server "error" event calls
//       onError with a StreamError (type, message, path, offset) and closes the source; "end" calls
//       onEnd(value) and closes it, so the browser does not reconnect. A dropped connection is
//       left to EventSource, which reconnects with Last-Event-ID; a batch whose id was already
//       applied is skipped. handlers: onChange, onDone, onError, onEnd, and EventSource (a class,
//       for tests; default globalThis.EventSource).
//   readNdjson(response, handlers) -> Promise<PartialDocument>
//       Reads a fetch() Response of NDJSON records ({"id", "ops"}, {"id", "error"}, {"id", "end"})
//       as they arrive, with the same handlers. Resolves when the stream ends or fails (an end
//       without an "end" record is an error); without onError, rejects on an error instead.

const OPS = new Set(["add", "replace", "append", "done"]);
const INDEX = /^(0|[1-9][0-9]*)$/;

// An error the server reported ("event: error" or an NDJSON "error" record).
export class StreamError extends Error {
  constructor({ type = "Error", message = "", path = null, offset = null } = {}) {
    super(`${type}: ${message}`);
    this.name = "StreamError";
    this.type = type;
    this.path = path;
    this.offset = offset;
  }
}

// "/a~1b/0" -> ["a/b", "0"] (segments stay strings: only the container says if one is an index).
// With base (the segments of another path), also a Relative JSON Pointer: "2/x" is up 2, then /x.
export function parsePointer(pointer, base) {
  const relative = typeof pointer === "string" && /^(0|[1-9][0-9]*)(\/|$)/.exec(pointer);
  if (relative && base) {
    const up = Number(relative[1]);
    if (up > base.length) throw new Error(`${JSON.stringify(pointer)} goes up past the document from ${JSON.stringify(toPointer(base))}`);
    return [...base.slice(0, base.length - up), ...parsePointer(pointer.slice(relative[1].length))];
  }
  if (relative) throw new Error(`a relative pointer ${JSON.stringify(pointer)} with no operation before it`);
  if (typeof pointer !== "string") throw new Error(`a JSON Pointer must be a string, not ${typeof pointer}`);
  if (pointer === "") return [];
  if (pointer[0] !== "/") throw new Error(`JSON Pointer ${JSON.stringify(pointer)} does not start with "/"`);
  if (/~[^01]|~$/.test(pointer)) throw new Error(`JSON Pointer ${JSON.stringify(pointer)} has a "~" not followed by 0 or 1`);
  // ~1 before ~0: "~01" is "~1", not "/".
  return pointer.slice(1).split("/").map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}

// ["a/b", 0] -> "/a~1b/0"
export function toPointer(path) {
  return path.map((key) => "/" + String(key).replace(/~/g, "~0").replace(/\//g, "~1")).join("");
}

// An operation as the error shows it: a whole value sent in one op may be large.
function describe(op) {
  const text = JSON.stringify(op) ?? String(op);
  return text.length > 200 ? `${text.slice(0, 200)}...` : text;
}

function copy(value) {
  return value !== null && typeof value === "object" ? structuredClone(value) : value;
}

// Assignment to "__proto__" would set the prototype, not a member.
function setMember(object, key, value) {
  if (key === "__proto__") {
    Object.defineProperty(object, key, { value, writable: true, enumerable: true, configurable: true });
  } else {
    object[key] = value;
  }
}

export class PartialDocument {
  #handlers;
  #done = new Set(); // pointers of the values a "done" arrived for
  #failed = null;
  #last = null; // the previous operation's path (segments), which short forms refer to

  constructor(handlers = {}) {
    this.#handlers = handlers;
    this.value = undefined;
  }

  apply(ops) {
    if (this.#failed) return this.#fail(new Error(`partialjson: this document stopped at an earlier error (${this.#failed.message})`));
    if (!Array.isArray(ops)) return this.#stop(new Error(`partialjson: a batch must be an array of operations, not ${describe(ops)}`));
    for (const op of ops) {
      try {
        this.#applyOne(op);
      } catch (cause) {
        if (cause instanceof CallbackFailure) throw cause.error;
        return this.#stop(new Error(`partialjson: cannot apply ${describe(op)}: ${cause.message}`));
      }
    }
    return true;
  }

  // The document no longer follows the server's: later batches are refused.
  #stop(error) {
    this.#failed = error;
    return this.#fail(error);
  }

  isDone(path) {
    const pointer = Array.isArray(path) ? toPointer(path) : path;
    parsePointer(pointer); // a malformed pointer is an error, not "not done"
    // The value or any value containing it: "/a/b" is done if "/a/b", "/a" or "" is.
    for (let end = pointer.length; end >= 0; end = pointer.lastIndexOf("/", end - 1)) {
      if (this.#done.has(pointer.slice(0, end))) return true;
      if (end === 0) break;
    }
    return false;
  }

  #fail(error) {
    if (!this.#handlers.onError) throw error;
    this.#handlers.onError(error);
    return false;
  }

  #applyOne(item) {
    let op = item;
    let segments;
    if (typeof item === "string") {
      if (this.#last === null) throw new Error("a bare string (an append) with no operation before it");
      op = { op: "append", value: item };
      segments = this.#last;
    } else {
      if (op === null || typeof op !== "object" || Array.isArray(op)) throw new Error("an operation must be an object or a string");
      if (!OPS.has(op.op)) throw new Error(`unknown op ${JSON.stringify(op.op)}`);
      segments = parsePointer(op.path, this.#last);
    }
    if (op.op !== "done" && !("value" in op)) throw new Error(`"${op.op}" needs a value`);
    this.#applyAt(op, segments);
    this.#last = segments;
  }

  #applyAt(op, segments) {

    if (segments.length === 0) return this.#applyToDocument(op);
    if (this.value === undefined) throw new Error("there is no document yet (the first operation adds \"\")");

    // Walk to the parent, turning array segments into numbers for the callbacks.
    const path = [];
    let parent = this.value;
    for (let i = 0; i < segments.length - 1; i++) {
      const key = this.#key(parent, segments[i], segments, i, false);
      path.push(key);
      parent = parent[key];
    }
    const last = segments.length - 1;
    const key = this.#key(parent, segments[last], segments, last, op.op === "add");
    path.push(key);

    if (op.op === "add") {
      if (Array.isArray(parent)) parent.push(copy(op.value));
      else setMember(parent, key, copy(op.value));
      return this.#changed(path, parent[key]);
    }
    if (op.op === "replace") {
      if (Array.isArray(parent)) parent[key] = copy(op.value);
      else setMember(parent, key, copy(op.value));
      return this.#changed(path, parent[key]);
    }
    if (op.op === "append") {
      if (typeof parent[key] !== "string") throw new Error(`the value at ${JSON.stringify(op.path)} is not a string`);
      if (typeof op.value !== "string") throw new Error("an append's value must be a string");
      parent[key] += op.value;
      return this.#changed(path, parent[key]);
    }
    return this.#markDone(toPointer(path), path);
  }

  // The key of segments[i] in container; for an add's last segment, the member or item to create.
  #key(container, segment, segments, i, adding) {
    const where = () => JSON.stringify(toPointer(segments.slice(0, i)));
    if (Array.isArray(container)) {
      if (adding && segment === "-") return container.length;
      if (!INDEX.test(segment)) throw new Error(`${JSON.stringify(segment)} is not an index of the array at ${where()}`);
      const index = Number(segment);
      if (adding ? index !== container.length : index >= container.length) {
        throw new Error(adding
          ? `an added item's index must be the array's length ${container.length} (or "-"), not ${index} (at ${where()})`
          : `index ${index} is past the end of the array at ${where()} (length ${container.length})`);
      }
      return index;
    }
    if (container === null || typeof container !== "object") {
      throw new Error(`the value at ${where()} is not an object or an array`);
    }
    if (!adding && !Object.hasOwn(container, segment)) {
      throw new Error(`no member ${JSON.stringify(segment)} in the object at ${where()}`);
    }
    return segment;
  }

  #applyToDocument(op) {
    if (op.op === "add" || op.op === "replace") {
      if (op.op === "replace" && this.value === undefined) throw new Error("there is no document to replace");
      this.value = copy(op.value);
      this.#done.clear(); // a new document (a bridge stream's restart): nothing in it is done yet
      return this.#changed([], this.value);
    }
    if (this.value === undefined) throw new Error("there is no document yet");
    if (op.op === "append") {
      if (typeof this.value !== "string") throw new Error("the document is not a string");
      if (typeof op.value !== "string") throw new Error("an append's value must be a string");
      this.value += op.value;
      return this.#changed([], this.value);
    }
    return this.#markDone("", []);
  }

  #changed(path, value) {
    callback(this.#handlers.onChange, path, value);
    // A number or boolean is sent only whole: complete when it arrives.
    if (typeof value === "number" || typeof value === "boolean") this.#markDone(toPointer(path), path);
  }

  #markDone(pointer, path) {
    if (this.#done.has(pointer)) return;
    this.#done.add(pointer);
    callback(this.#handlers.onDone, path);
  }
}

// A callback's own exception is the caller's to see, not an invalid operation.
class CallbackFailure {
  constructor(error) {
    this.error = error;
  }
}

function callback(fn, ...args) {
  if (!fn) return;
  try {
    fn(...args);
  } catch (error) {
    throw new CallbackFailure(error);
  }
}

function report(handlers, error) {
  if (!handlers.onError) throw error;
  handlers.onError(error);
}

export function connect(url, handlers = {}) {
  const Source = handlers.EventSource ?? globalThis.EventSource;
  const doc = new PartialDocument(handlers);
  const source = new Source(url);
  let lastId = -Infinity;
  const close = () => source.close();
  const stop = (error) => {
    close();
    report(handlers, error);
  };

  source.addEventListener("message", (event) => {
    // After a reconnection the server resends from Last-Event-ID; never apply a batch twice.
    const id = event.lastEventId === "" ? NaN : Number(event.lastEventId);
    if (id <= lastId) return;
    let ops;
    try {
      ops = JSON.parse(event.data);
    } catch (cause) {
      return stop(new Error(`partialjson: a batch's data is not JSON (${cause.message})`));
    }
    let ok = false;
    try {
      ok = doc.apply(ops); // false: it reported the error
    } finally {
      if (!ok) close();
    }
    if (!Number.isNaN(id)) lastId = id;
  });

  // "error" is both the server's event (a MessageEvent with data) and EventSource's own
  // connection error (no data), after which it reconnects unless it gave up (CLOSED).
  source.addEventListener("error", (event) => {
    if (typeof event.data === "string") {
      let detail;
      try {
        detail = JSON.parse(event.data);
      } catch {
        detail = { message: event.data };
      }
      return stop(new StreamError(detail));
    }
    if (source.readyState === 2) report(handlers, new Error(`partialjson: the connection to ${url} failed`));
  });

  source.addEventListener("end", () => {
    close();
    handlers.onEnd?.(doc.value);
  });

  return { document: doc, source, close };
}

export async function readNdjson(response, handlers = {}) {
  const document = new PartialDocument(handlers);
  if (!response.ok) {
    report(handlers, new Error(`partialjson: HTTP ${response.status} from ${response.url}`));
    return document;
  }
  const reader = response.body.getReader();
  const decoder = new TextDecoder(); // with {stream: true}, keeps a character cut between chunks
  let pending = ""; // the start of a line whose newline has not arrived

  // Returns false when the stream is over (end, error or an invalid operation).
  const line = (text) => {
    if (text.endsWith("\r")) text = text.slice(0, -1);
    if (text.trim() === "") return true;
    let record;
    try {
      record = JSON.parse(text);
    } catch (cause) {
      report(handlers, new Error(`partialjson: an NDJSON line is not JSON (${cause.message}): ${text.slice(0, 80)}`));
      return false;
    }
    if (record.error) {
      report(handlers, new StreamError(record.error));
      return false;
    }
    if (record.end) {
      handlers.onEnd?.(document.value);
      return false;
    }
    if (!Array.isArray(record.ops)) {
      report(handlers, new Error(`partialjson: an NDJSON record has no ops, error or end: ${text.slice(0, 80)}`));
      return false;
    }
    return document.apply(record.ops);
  };

  try {
    for (;;) {
      const { value, done } = await reader.read();
      const text = done ? decoder.decode() : decoder.decode(value, { stream: true });
      // Only the new text is scanned for newlines.
      let start = 0;
      for (let end = text.indexOf("\n"); end !== -1; end = text.indexOf("\n", start)) {
        const whole = pending + text.slice(start, end);
        pending = "";
        start = end + 1;
        if (!line(whole)) return document;
      }
      pending += text.slice(start);
      if (done) {
        if (pending !== "" && !line(pending)) return document;
        report(handlers, new Error("partialjson: the NDJSON stream ended without an end record"));
        return document;
      }
    }
  } finally {
    reader.cancel().catch(() => {}); // release the connection when we stop early
  }
}
