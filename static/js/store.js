// The device's local store: one small IndexedDB wrapper for every module that keeps data on the phone
// (the outbox, the excursion captures…).
//
//   const db = localStore("tandem-outbox", MIGRATIONS);
//     MIGRATIONS: the schema as an ordered list of functions (db, versionchange transaction); never edit
//     one, append a new one (the database version is the length of the list).
//   db.transaction(stores, mode, (tx, done) => …) → a promise of the value given to done(), settled when
//     the transaction completes (rejected when it fails or aborts).
//   db.get(store, key), db.getAll(store, {index, query}), db.add(store, value) → key, db.put(store, value),
//   db.delete(store, key): one request each, in its own transaction.
//
// A connection the browser closed (storage pressure, another tab upgrading the schema) is reopened on the
// next call.

export function localStore(name, migrations) {
  let opening = null;

  function open() {
    if (opening) return opening;
    opening = new Promise((resolve, reject) => {
      const request = indexedDB.open(name, migrations.length);
      request.onupgradeneeded = (event) => {
        for (let v = event.oldVersion; v < migrations.length; v += 1) migrations[v](request.result, request.transaction);
      };
      request.onsuccess = () => {
        const db = request.result;
        db.onclose = () => { opening = null; };
        db.onversionchange = () => { db.close(); opening = null; };
        resolve(db);
      };
      request.onerror = () => { opening = null; reject(request.error); };
      request.onblocked = () => { opening = null; reject(new Error("IndexedDB blocked")); };
    });
    return opening;
  }

  /** A transaction on a live connection: a closed one throws InvalidStateError, then it is reopened. */
  async function begin(stores, mode) {
    try {
      return (await open()).transaction(stores, mode);
    } catch (error) {
      opening = null;
      return (await open()).transaction(stores, mode);
    }
  }

  async function transaction(stores, mode, fn) {
    const tx = await begin(stores, mode);
    return new Promise((resolve, reject) => {
      let result;
      tx.oncomplete = () => resolve(result);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error ?? new Error("IndexedDB transaction aborted"));
      const fail = (error) => {
        try { tx.abort(); } catch { /* already finished */ }
        reject(error);
      };
      try {
        // Called at once: a transaction left without a request until a later task commits empty.
        Promise.resolve(fn(tx, (value) => { result = value; })).catch(fail);
      } catch (error) {
        fail(error);
      }
    });
  }

  /** One request in its own transaction; resolves with the request's result. */
  function one(store, mode, make) {
    return transaction(store, mode, (tx, done) => {
      const request = make(tx.objectStore(store));
      request.onsuccess = () => done(request.result);
    });
  }

  return {
    transaction,
    get: (store, key) => one(store, "readonly", (s) => s.get(key)),
    getAll: (store, { index, query } = {}) => one(store, "readonly", (s) => (index ? s.index(index) : s).getAll(query)),
    add: (store, value) => one(store, "readwrite", (s) => s.add(value)),
    put: (store, value) => one(store, "readwrite", (s) => s.put(value)),
    delete: (store, key) => one(store, "readwrite", (s) => s.delete(key)),
  };
}
