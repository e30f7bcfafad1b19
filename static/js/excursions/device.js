// The captures kept on the device: their metadata ("items") and their files ("blobs"), in IndexedDB,
// until the server has confirmed them. One store per kind of capture page (its database name).
//
//   const device = captureDevice("tandem-excursions", owner);
//   device.save(item, blob?)  item and its file in one transaction (both or neither)
//   device.put(item)          item.excursionId groups items; item.media.id keys its blob
//   device.items(groupId)     this person's items of that group, oldest first
//   device.blob(mediaId)      the file, or null;  device.dropBlob(mediaId) once the server has it

import { localStore } from "../store.js";

const ITEMS = "items";
const BLOBS = "blobs";
// The schema as an ordered list of migrations: never edit one, append a new one.
const MIGRATIONS = [
  (db) => {
    db.createObjectStore(ITEMS, { keyPath: "id" }).createIndex("excursion", "excursionId");
    db.createObjectStore(BLOBS, { keyPath: "id" });
  },
];

export function captureDevice(name, owner) {
  const db = localStore(name, MIGRATIONS);
  return {
    save: (item, blob) => db.transaction([ITEMS, BLOBS], "readwrite", (tx) => {
      tx.objectStore(ITEMS).put(item);
      if (blob) tx.objectStore(BLOBS).put({ id: item.media.id, blob });
    }),
    put: (item) => db.put(ITEMS, item),
    items: async (groupId) => (await db.getAll(ITEMS, { index: "excursion", query: groupId }))
      .filter((i) => i.owner === owner)
      .sort((a, b) => a.capturedAt.localeCompare(b.capturedAt)),
    blob: async (mediaId) => (await db.get(BLOBS, mediaId))?.blob ?? null,
    dropBlob: (mediaId) => db.delete(BLOBS, mediaId),
  };
}
