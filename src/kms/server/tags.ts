/**
 * Tag rules shared by CreateKey, ReplicateKey and TagResource (KMS-SPEC 4, recorded on AWS): duplicate keys in one
 * request, the reserved `aws:` prefix and more than 50 tags are TagException; an update keeps the tag's position.
 * https://docs.aws.amazon.com/kms/latest/APIReference/API_TagResource.html
 */
import type { Tag } from '../model/shapes.js';
import { KmsException } from './kms-exception.js';

export const MAX_TAGS = 50;

/** `existing` with `incoming` applied (new keys appended, existing keys updated in place). */
export function mergeTags(existing: readonly Tag[], incoming: readonly Tag[]): Tag[] {
  const seen = new Set<string>();
  for (const t of incoming) {
    if (seen.has(t.TagKey)) throw new KmsException('TagException', 'Duplicate tag keys');
    seen.add(t.TagKey);
    if (t.TagKey.toLowerCase().startsWith('aws:')) throw new KmsException('TagException', 'Tags beginning with aws: are reserved');
  }
  const out = existing.map((t) => ({ ...t }));
  for (const t of incoming) {
    const at = out.findIndex((o) => o.TagKey === t.TagKey);
    if (at >= 0) out[at].TagValue = t.TagValue;
    else out.push({ TagKey: t.TagKey, TagValue: t.TagValue });
  }
  if (out.length > MAX_TAGS) throw new KmsException('TagException', 'Too many tags');
  return out;
}
