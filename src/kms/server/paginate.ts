/**
 * Limit/Marker paging of the List* operations: the marker is the offset of the next item.
 * https://docs.aws.amazon.com/kms/latest/APIReference/API_ListKeys.html
 */
import { KmsException } from './kms-exception.js';

export function paginate<T>(items: readonly T[], limit: number | undefined, marker: string | undefined, defaultLimit: number):
  { page: T[]; NextMarker?: string; Truncated: boolean } {
  let start = 0;
  if (marker !== undefined) {
    if (!/^\d{1,9}$/.test(marker) || Number(marker) > items.length) {
      throw new KmsException('InvalidMarkerException', 'The marker is not valid; pass the NextMarker of the previous response.');
    }
    start = Number(marker);
  }
  const end = start + (limit ?? defaultLimit);
  const page = items.slice(start, end);
  return end < items.length ? { page, NextMarker: String(end), Truncated: true } : { page, Truncated: false };
}
