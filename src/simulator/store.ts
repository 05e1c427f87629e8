/**
 * The object store: insert (with the device choosing an id when asked for 0), delete, storage accounting.
 * Sequence numbers are kept per (type, id) and survive delete and re-create (PROTOCOL.md 4.1): the n-th object
 * ever stored at a (type, id) reads sequence n-1 (mod 256). Capacity is 256 objects in 1024 pages of 126 bytes.
 */
import type { StorageInfo } from '../protocol/commands/get-storage-info.js';
import { formatId } from '../protocol/ids.js';
import { objectTypeName } from '../protocol/object-types.js';
import { WRAPPED_HEADER_LENGTH } from '../protocol/wrapped-object.js';
import { E, fail } from './fail.js';
import { objectKey, STORAGE, type DeviceContents, type SimObject } from './state.js';

/** Bytes of metadata the simulator charges per object on top of its body (the 59-byte header of PROTOCOL.md 5.5). */
const OBJECT_OVERHEAD = WRAPPED_HEADER_LENGTH;

export function pagesFor(bodyLength: number): number {
  return Math.ceil((OBJECT_OVERHEAD + bodyLength) / STORAGE.pageSize);
}

export function storageInfo(contents: DeviceContents, lengthOf: (o: SimObject) => number): StorageInfo {
  let pages = 0;
  for (const o of contents.objects.values()) pages += pagesFor(lengthOf(o));
  return {
    totalRecords: STORAGE.records,
    freeRecords: STORAGE.records - contents.objects.size,
    totalPages: STORAGE.pages,
    freePages: STORAGE.pages - pages,
    pageSize: STORAGE.pageSize,
  };
}

/** Resolves id 0 to the lowest free id of that type; refuses the reserved id 0xFFFF and occupied (type, id). */
export function allocateId(contents: DeviceContents, type: number, id: number): number {
  if (id === 0xffff) fail(E.INVALID_ID, 'Object id 0xffff is reserved.');
  if (id !== 0) {
    if (contents.objects.has(objectKey(type, id))) fail(E.OBJECT_EXISTS, `${objectTypeName(type)} ${formatId(id)} already exists.`);
    return id;
  }
  for (let candidate = 1; candidate < 0xffff; candidate++) {
    if (!contents.objects.has(objectKey(type, candidate))) return candidate;
  }
  return fail(E.STORAGE_FAILED, `No free ${objectTypeName(type)} id is left.`);
}

/** Checks there is room for one more object with a body of `bodyLength` bytes. */
export function checkRoom(contents: DeviceContents, bodyLength: number, lengthOf: (o: SimObject) => number): void {
  const info = storageInfo(contents, lengthOf);
  if (info.freeRecords < 1 || info.freePages < pagesFor(bodyLength)) fail(E.STORAGE_FAILED, 'The device is out of object storage.');
}

/**
 * Stores `obj` (its id already allocated). When `sequence` is undefined the object gets the next sequence number
 * of its (type, id); an object restored from a wrap keeps its own and the counter moves past it.
 */
export function insertObject(contents: DeviceContents, obj: Omit<SimObject, 'sequence'>, sequence?: number): SimObject {
  const k = objectKey(obj.type, obj.id);
  const next = contents.sequences.get(k) ?? 0;
  const seq = sequence ?? next;
  const stored: SimObject = { ...obj, sequence: seq & 0xff };
  contents.objects.set(k, stored);
  contents.sequences.set(k, sequence === undefined ? (next + 1) & 0xff : Math.max(next, (seq + 1) & 0xff));
  return stored;
}

export function removeObject(contents: DeviceContents, obj: SimObject): void {
  contents.objects.delete(objectKey(obj.type, obj.id));
  obj.material.fill(0);
}
